"""Linkage commands: ``match-names``, ``import-list`` and the ``link`` group.

Thin shells over :func:`attest.link.match_names` and
:mod:`attest.service.linkage` (lists, candidate pairs, the review queue,
judgements, merges); the main CLI module calls :func:`register` so these
commands sit beside the others.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from attest.cli.context import CliState, open_archive
from attest.cli.render import console, err_console, print_json, short, table
from attest.link.match import NameMatch, match_names
from attest.service import linkage

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
            raise PairsFileError(f'{source}:{lineno}: expected a JSON object with "a" and "b"')
        for key in ("a", "b"):
            if not isinstance(obj.get(key), str):
                raise PairsFileError(f'{source}:{lineno}: field "{key}" missing or not a string')
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


def import_list_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV file of the list: one row a person, a header row."),
    config: Path | None = typer.Option(None, "--config", help="YAML mapping of columns to fields."),
    name: str | None = typer.Option(None, "--name", help="Name of the list (default: the file name)."),
    confidentiality: str = typer.Option("public", help="Level of the person records made."),
) -> None:
    """Import a detainee list as person records, each tied to its list and row."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        result = linkage.import_list(
            archive, archive.current_user(), file, config=config, name=name, confidentiality=confidentiality
        )
    if state.as_json:
        print_json(result.__dict__)
        return
    mapped = ", ".join(f"{k}←{v!r}" for k, v in result.columns.items())
    console.print(f"imported list {result.list_id} {result.name!r}: {result.rows} persons ({mapped})")


link_app = typer.Typer(
    help=(
        "Link person records. Alone, `attest link` scores every pair of person records and stores the "
        "uncertain ones as candidates (judged pairs are kept); the subcommands review them."
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)


@link_app.callback()
def link_run(ctx: typer.Context) -> None:
    """Without a subcommand: score pairs of person records and store the uncertain ones as candidates."""
    if ctx.invoked_subcommand is not None:
        return
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        with err_console.status("Linking person records (Splink on DuckDB)…"):
            run = linkage.run_linkage(archive, archive.current_user())
    if state.as_json:
        print_json(run.__dict__)
        return
    console.print(
        f"{run.records} person records linked: {run.candidates} candidate pairs to review, "
        f"{run.kept_decided} judged pairs kept as judged, {run.labels} judgements used as labels"
    )


@link_app.command("queue")
def link_queue(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", min=1, max=200, help="How many pairs to show."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many pairs (paging)."),
) -> None:
    """Candidate pairs most worth deciding first (probability nearest 0.5, then most mentions)."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        page = linkage.queue(archive, archive.current_user(), offset=offset, limit=limit)
    if state.as_json:
        print_json(page)
        return
    rows = [
        [
            it["id"],
            f"{it['probability']:.2f}",
            f"{it['a']['name']} ({it['a']['latin']})",
            f"{it['b']['name']} ({it['b']['latin']})",
            it["mentions"],
            short(it["evidence"], 90),
        ]
        for it in page["items"]
    ]
    console.print(
        table(f"Review queue ({page['total']} open)", ["pair", "p", "A", "B", "mentions", "why"], rows)
    )


@link_app.command("judge")
def link_judge(
    ctx: typer.Context,
    pair_id: int = typer.Argument(..., help="Candidate pair id (from `attest link queue`)."),
    decision: str = typer.Argument(..., help="same, different or unsure."),
    note: str | None = typer.Option(None, "--note", help="Why (kept with the judgement)."),
) -> None:
    """Judge a candidate pair; 'same' merges the two records into one cluster."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        result = linkage.judge(archive, archive.current_user(), pair_id, decision, note=note)
    if state.as_json:
        print_json(result.__dict__)
        return
    extra = f", merge {result.merge_id}" if result.merge_id else ""
    extra += f", split merge {result.split_merge_id}" if result.split_merge_id else ""
    extra += f", supersedes judgement {result.supersedes}" if result.supersedes else ""
    console.print(f"pair {pair_id}: {decision} (judgement {result.judgement_id}{extra})")


@link_app.command("split")
def link_split(
    ctx: typer.Context,
    merge_id: int = typer.Argument(..., help="Merge id (from `attest link clusters` or the Linkage page)."),
    different: bool = typer.Option(False, "--different", help="Judge the pair different (default unsure)."),
    note: str | None = typer.Option(None, "--note", help="Why (kept with the judgement)."),
) -> None:
    """Undo a merge; the records and their mentions stay as they were."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        result = linkage.split(
            archive,
            archive.current_user(),
            merge_id,
            decision="different" if different else "unsure",
            note=note,
        )
    if state.as_json:
        print_json(result.__dict__)
        return
    console.print(f"merge {merge_id} split; pair {result.pair_id} now judged {result.decision}")


@link_app.command("clusters")
def link_clusters(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Also records in no merge."),
) -> None:
    """Persons joined by merges, each member with its own mentions and list row."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        user = archive.current_user()
        found = linkage.clusters(archive, user, include_single=all_)
        merges = linkage.merges(archive, user, active_only=True)
    if state.as_json:
        print_json({"clusters": found, "merges": merges})
        return
    rows = [
        [
            c["cluster_id"],
            c["size"],
            c["mentions"],
            "; ".join(
                f"{m['id']} {m['name']}" + (f" [{m['list']['name']}:{m['list']['row']}]" if m["list"] else "")
                for m in c["members"]
            ),
        ]
        for c in found
    ]
    console.print(table("Clusters", ["cluster", "records", "mentions", "members"], rows))
    console.print(
        table(
            "Merges",
            ["merge", "A", "B", "by"],
            [[m["id"], m["a_name"], m["b_name"], m["created_by"]] for m in merges],
        )
    )


@link_app.command("labels")
def link_labels(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="JSON (the default output is a table)."),
) -> None:
    """Reviewers' current judgements of pairs, as training labels."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        rows = linkage.labels(archive, archive.current_user())
    if as_json or state.as_json:
        print_json(rows)
        return
    console.print(
        table(
            "Labels",
            ["pair", "A", "B", "decision", "by", "note"],
            [
                [r["pair_id"], r["record_id_l"], r["record_id_r"], r["decision"], r["judged_by"], r["note"]]
                for r in rows
            ],
        )
    )


def register(app: typer.Typer) -> None:
    """Add the linkage commands to ``app``."""
    app.command("match-names")(match_names_command)
    app.command("import-list")(import_list_command)
    app.add_typer(link_app, name="link")
