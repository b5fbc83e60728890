"""The export command: every export passes a redaction policy."""

from __future__ import annotations

from pathlib import Path

import typer

from attest.cli.context import CliState, open_archive
from attest.cli.render import console, print_json
from attest.publish.export import FORMATS, export_to_file
from attest.publish.policy import load_policy


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)


def export_command(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="File to write."),
    policy: Path = typer.Option(..., "--policy", "-p", help="Redaction policy (YAML)."),
    fmt: str = typer.Option("json", "--format", "-f", help=" or ".join(FORMATS)),
) -> None:
    """Export records through a redaction policy (refused if a quasi-identifier singles anyone out)."""
    state: CliState = ctx.obj
    rules = load_policy(policy)
    with open_archive(ctx) as archive:
        export = export_to_file(archive, rules, out, fmt)
    if state.as_json:
        print_json({"out": str(out), "policy": rules.name, "counts": export.counts()})
        return
    counts = ", ".join(f"{n} {t}" for t, n in export.counts().items()) or "nothing"
    console.print(f"Exported {counts} to {out} under policy {rules.name!r}.")
