"""The CLI reference page, generated from the CLI itself so it cannot drift.

``python -m attest.cli.reference > docs/cli.md`` rewrites it; a test fails when
the committed page differs from what the commands say of themselves.
"""

from __future__ import annotations

from typing import Any

import typer.main

# Typer carries its own copy of click, so commands are recognised by shape
# (``commands``, ``param_type_name``) rather than by click's classes.


def _params(cmd: Any) -> list[str]:
    rows = []
    for p in cmd.params:
        if p.param_type_name == "argument":
            required = " — required" if p.required else ""
            rows.append(f"- `{(p.metavar or p.name).upper()}` (argument){required}")
        elif p.param_type_name == "option" and not getattr(p, "hidden", False):
            flags = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
            help_text = " ".join((p.help or "").split())
            rows.append(f"- {flags}: {help_text}" if help_text else f"- {flags}")
    return rows


def _walk(cmd: Any, path: str, out: list[str]) -> None:
    if hasattr(cmd, "commands"):
        if path:
            out += [f"## `attest {path}`", "", " ".join((cmd.help or "").split()), ""]
        for name in sorted(cmd.commands):
            _walk(cmd.commands[name], f"{path} {name}".strip(), out)
        return
    out += [f"## `attest {path}`", ""]
    out += [" ".join((cmd.help or "").split()), ""]
    params = _params(cmd)
    if params:
        out += [*params, ""]


def render() -> str:
    """The whole reference page as Markdown."""
    from attest.cli import app

    root = typer.main.get_command(app)
    out = [
        "# Command reference",
        "",
        "Generated from the commands themselves (`python -m attest.cli.reference > docs/cli.md`).",
        "Global options come before the command: `attest [--archive PATH] [--user NAME] [--json] COMMAND`.",
        "",
    ]
    out += _params(root) + [""]
    _walk(root, "", out)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
