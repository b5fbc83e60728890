"""Linkage commands: ``match-names`` (one pair or a JSONL file of pairs).

A thin shell over :func:`attest.link.match_names`; the main CLI module calls
:func:`register` so these commands sit beside the others.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from attest.link.match import NameMatch, match_names

_out = Console()
_err = Console(stderr=True)


class PairsFileError(ValueError):
    """A line of a pairs file that is not a JSON object with string "a" and "b"."""


def _global_json(ctx: typer.Context) -> bool:
    return bool(getattr(ctx.obj, "as_json", False))


def _show(result: NameMatch) -> None:
    table = Table(title="Name keys", title_justify="left")
    for column in ("", "name", "scripts", "latin", "skeleton", "loose skeleton"):
        table.add_column(column, overflow="fold")
    for label, keys in (("A", result.a), ("B", result.b)):
        table.add_row(
            label,
            keys.original,
            ", ".join(keys.scripts),
            " | ".join(" ".join(r) for r in keys.readings),
            " | ".join(keys.skeletons),
            " | ".join(keys.loose_skeletons),
        )
    _out.print(table)
    colour = "green" if result.probability >= 0.8 else "yellow" if result.probability >= 0.3 else "red"
    _out.print(f"Probability same person (by name alone): [bold {colour}]{result.probability:.3f}[/]")
    _out.print(result.evidence, highlight=False, soft_wrap=True)


def read_pairs(lines: list[str], source: str) -> list[dict[str, Any]]:
    """Parse JSONL pairs; raise :class:`PairsFileError` naming the first bad line."""
    pairs: list[dict[str, Any]] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PairsFileError(f"{source}:{lineno}: not valid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise PairsFileError(f"{source}:{lineno}: expected a JSON object with \"a\" and \"b\"")
        for key in ("a", "b"):
            if not isinstance(obj.get(key), str):
                raise PairsFileError(f"{source}:{lineno}: field \"{key}\" missing or not a string")
        pairs.append(obj)
    return pairs


def match_names_command(
    ctx: typer.Context,
    name_a: str | None = typer.Argument(None, help="First name, in any script."),
    name_b: str | None = typer.Argument(None, help="Second name, in any script."),
    pairs: Path | None = typer.Option(
        None, "--pairs", help='JSONL file of {"a": ..., "b": ...} (or - for stdin).'
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Keys of two names across scripts and the probability they name one person."""
    if pairs is not None:
        if name_a or name_b:
            _err.print("error: give either two names or --pairs FILE, not both")
            raise typer.Exit(2)
        source = "stdin" if str(pairs) == "-" else str(pairs)
        try:
            text = sys.stdin.read() if str(pairs) == "-" else pairs.read_text(encoding="utf-8")
            rows = read_pairs(text.splitlines(), source)
        except (OSError, UnicodeDecodeError) as exc:
            _err.print(f"error: {source}: cannot read ({exc})", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from exc
        except PairsFileError as exc:
            _err.print(f"error: {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from exc
        for row in rows:
            result = match_names(row["a"], row["b"])
            out = {**row, "probability": round(result.probability, 4), "evidence": result.evidence}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    if name_a is None or name_b is None:
        _err.print("error: give two names, or --pairs FILE.jsonl")
        raise typer.Exit(2)
    result = match_names(name_a, name_b)
    if as_json or _global_json(ctx):
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _show(result)


def register(app: typer.Typer) -> None:
    """Add the linkage commands to ``app``."""
    app.command("match-names")(match_names_command)
