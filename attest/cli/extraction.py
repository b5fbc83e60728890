"""Commands that need no archive: extract one file, evaluate against gold files."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from attest.cli.context import CliState
from attest.cli.render import console, print_json, short, table
from attest.errors import UsageError
from attest.extract.evaluate import evaluate_dir, gold_files
from attest.ingest.pipeline import read_file
from attest.service.ingest import interchange


def register(app: typer.Typer) -> None:
    app.command()(extract)
    app.command()(evaluate)


def evaluate(
    ctx: typer.Context,
    gold_dir: Path = typer.Argument(..., help="Folder of NAME.txt reports with NAME.gold.json beside them."),
    per_document: bool = typer.Option(False, "--per-document", help="Also print F1 per document."),
) -> None:
    """Score extraction against gold files: precision, recall, F1 per field (micro-averaged)."""
    state: CliState = ctx.obj
    if not gold_dir.is_dir():
        raise UsageError(f"{gold_dir}: not a folder of gold files")
    if not gold_files(gold_dir):
        raise UsageError(f"{gold_dir}: no NAME.gold.json with NAME.txt beside it")
    result = evaluate_dir(gold_dir)
    if state.as_json:
        print_json(
            {
                "documents": result.documents,
                "speaker_accuracy": result.speaker_accuracy,
                "fields": {k: asdict(v) for k, v in result.fields.items()},
            }
        )
        return
    if per_document:
        for name, fields in result.per_document.items():
            console.print(f"{name:40} " + " ".join(f"{f[:5]}={s.f1:.2f}" for f, s in fields.items()))
    console.print(result.format_table(), highlight=False)


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
