"""Commands that need no archive: extract one file, evaluate against gold files."""

from __future__ import annotations

from pathlib import Path

import typer

from attest.cli.context import CliState
from attest.cli.render import console, print_json, short, table
from attest.ingest.pipeline import read_file
from attest.service.ingest import interchange


def register(app: typer.Typer) -> None:
    app.command()(extract)


def extract(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A report file (text, Markdown or HTML)."),
    as_json: bool = typer.Option(False, "--json", help="Print the interchange JSON."),
) -> None:
    """Print the extraction of one file (no archive needed)."""
    state: CliState = ctx.obj
    result = interchange(read_file(file))
    if as_json or state.as_json:
        print_json(result)
        return
    sections = [
        ("Persons", ["name", "role", "aliases"],
         [[p["name"], p.get("role"), ", ".join(p.get("aliases") or [])] for p in result["persons"]]),
        ("Organizations", ["name"], [[o] for o in result["organizations"]]),
        ("Places", ["name", "kind"], [[p["name"], p.get("kind")] for p in result["places"]]),
        ("Facilities", ["name", "kind", "place"],
         [[f["name"], f.get("kind"), f.get("place")] for f in result["facilities"]]),
        ("Claims", ["speaker", "via", "cue", "starts"],
         [[c.get("speaker"), c.get("via"), c.get("cue"), short(c.get("quote_start"), 60)]
          for c in result["claims"]]),
        ("Incidents", ["type", "place", "facility", "date"],
         [[i.get("type"), i.get("place"), i.get("facility"), i.get("date")] for i in result["incidents"]]),
        ("Amounts", ["text", "value", "currency"],
         [[a.get("text"), a.get("value"), a.get("currency")] for a in result["amounts"]]),
        ("Boilerplate removed", ["line"], [[b] for b in result["boilerplate_lines"]]),
    ]  # fmt: skip
    for title, columns, rows in sections:
        console.print(table(title, columns, rows))
