"""Commands over documents: init, ingest, documents, show, summary."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from attest.archive import Archive
from attest.cli.context import CliState, open_archive, passphrase
from attest.cli.render import console, err_console, print_json, progress_bar, short, table
from attest.ingest.pipeline import FileResult, expand_paths
from attest.service.ingest import ingest_paths
from attest.service.summary import ENTITY_KINDS, proposal_overview

PROGRESS_MIN_FILES = 5
_MARK_STYLE = {
    "person": "bold cyan",
    "organization": "bold magenta",
    "place": "bold green",
    "facility": "bold yellow",
    "group": "bold blue",
    "amount": "bold red",
    "claim": "underline",
    "incident": "italic",
}


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(ingest)
    app.command("documents")(list_documents)
    app.command()(show)
    app.command()(summary)


def init(
    path: Path = typer.Argument(..., help="Folder to create the archive in."),
    user: str = typer.Option("owner", help="Name of the first user (holds the first key slot)."),
    database_url: str | None = typer.Option(
        None,
        envvar="ATTEST_DATABASE_URL",
        help="PostgreSQL for a team server, e.g. postgresql+psycopg://user@host/db (no password: "
        "use ATTEST_DATABASE_PASSWORD or ~/.pgpass). Default: an encrypted archive.db in PATH.",
    ),
) -> None:
    """Create a new archive at PATH (encrypted embedded database, or a PostgreSQL one by URL)."""
    with Archive.create(path, passphrase(confirm=True), user=user, database_url=database_url) as archive:
        where = "PostgreSQL" if database_url else "encrypted"
        console.print(f"Created {where} archive at {archive.location} (user {archive.user}).")


def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files and folders (recursive) of reports."),
    processes: int = typer.Option(0, help="Extraction processes (0: choose by batch size)."),
) -> None:
    """Ingest report files: originals kept and hashed, text cleaned, proposals extracted."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        files = list(expand_paths(paths))  # walk the folders once
        if len(files) >= PROGRESS_MIN_FILES and not state.as_json:
            with progress_bar("Ingesting", len(files)) as step:
                done: list[FileResult] = []

                def advance(result: FileResult) -> None:
                    done.append(result)
                    step(len(done))

                report = ingest_paths(archive, files, progress=advance, processes=processes or None)
        else:
            report = ingest_paths(archive, files, processes=processes or None)
    if state.as_json:
        print_json([r.__dict__ for r in report.results])
    else:
        for r in report.results:
            if r.status == "added":
                console.print(f"added     {r.path} → document {r.document_id} ({r.proposals} proposals)")
            elif r.status == "duplicate":
                console.print(f"duplicate {r.path}: {r.message}")
        for r in report.failed:
            err_console.print(f"[red]failed[/red]    {r.path}: {r.message}")
        console.print(
            f"{report.count('added')} added, {report.count('duplicate')} duplicate, "
            f"{report.count('failed')} failed"
        )
    if report.failed:
        raise typer.Exit(1)


def list_documents(
    ctx: typer.Context,
    limit: int = typer.Option(100, min=1, max=10000),
    offset: int = typer.Option(0, min=0),
    status: str | None = typer.Option(None, help="Only documents with this status."),
) -> None:
    """List documents in the archive."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        rows = archive.documents.list(limit=limit, offset=offset, status=status)
    if state.as_json:
        print_json(rows)
        return
    console.print(
        table(
            "Documents",
            ["id", "title", "type", "published", "status", "proposals", "sha256"],
            [
                [
                    r["id"],
                    short(r["title"], 50),
                    r["media_type"],
                    r["published"],
                    r["status"],
                    r["proposals"],
                    r["sha256"][:12],
                ]
                for r in rows
            ],
        )  # fmt: skip
    )


def show(
    ctx: typer.Context,
    doc_id: int = typer.Argument(..., metavar="ID"),
    marked: bool = typer.Option(False, "--marked", help="Mark each proposal in the text."),
) -> None:
    """Show one document: metadata, removed boilerplate and text."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        doc = archive.documents.get(doc_id)
        props = archive.proposals.for_document(doc_id)
    if state.as_json:
        print_json({**doc.model_dump(mode="json"), "proposals": props})
        return
    meta = [["id", doc.id], ["title", doc.title], ["file", doc.filename],
            ["type", doc.media_type], ["url", doc.url], ["published", doc.published],
            ["sha256", doc.sha256], ["size", f"{doc.size} bytes"],
            ["ingested", f"{doc.ingested_at:%Y-%m-%d %H:%M} by {doc.ingested_by}"],
            ["status", doc.status], ["proposals", len(props)]]  # fmt: skip
    console.print(table(f"Document {doc.id}", ["field", "value"], meta))
    if doc.boilerplate:
        console.print(table("Removed boilerplate", ["line"], [[short(b, 90)] for b in doc.boilerplate]))
    body = Text(doc.clean_text)
    if marked:
        for p in props:
            body.stylize(_MARK_STYLE.get(p["kind"], "reverse"), p["start"], p["end"])
        legend = "  ".join(f"[{style}]{kind}[/]" for kind, style in _MARK_STYLE.items())
        console.print(f"Marks: {legend}")
    console.print(body)
    if marked:
        console.print(
            table(
                "Proposals",
                ["span", "kind", "label", "text"],
                [[f"{p['start']}–{p['end']}", p["kind"], p["label"], short(p["text"], 60)] for p in props],
            )
        )


def summary(ctx: typer.Context) -> None:
    """Tables of what extraction proposed: entities, claims, incidents, amounts."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        overview = proposal_overview(archive)
    if state.as_json:
        print_json(overview)
        return
    entity_rows = [
        [p["document_id"], p["kind"], _name(p), p["label"]]
        for kind in ENTITY_KINDS
        for p in overview.get(kind, [])
    ]
    console.print(table("Entities", ["doc", "kind", "name", "role / kind"], entity_rows))
    console.print(
        table(
            "Claims",
            ["doc", "speaker", "via", "cue", "content"],
            [
                [
                    p["document_id"],
                    p["data"].get("speaker"),
                    p["data"].get("via"),
                    p["data"].get("cue"),
                    short(p["text"], 60),
                ]
                for p in overview.get("claim", [])
            ],
        )  # fmt: skip
    )
    console.print(
        table(
            "Incidents",
            ["doc", "type", "victims", "place", "facility", "date"],
            [
                [
                    p["document_id"],
                    p["data"].get("type"),
                    _victims(p["data"]),
                    p["data"].get("place"),
                    p["data"].get("facility"),
                    p["data"].get("date"),
                ]
                for p in overview.get("incident", [])
            ],
        )  # fmt: skip
    )
    console.print(
        table(
            "Amounts",
            ["doc", "text", "value", "currency"],
            [
                [p["document_id"], p["text"], p["data"].get("value"), p["data"].get("currency")]
                for p in overview.get("amount", [])
            ],
        )  # fmt: skip
    )


def _name(proposal: dict) -> str:
    """The entity's name as extracted (the span may be a whole sentence)."""
    data = proposal["data"]
    name = data.get("name") if isinstance(data, dict) else None
    if isinstance(data, dict) and data.get("count") and data.get("group"):
        name = f"{data['count']} {data['group']}"
    return str(name or proposal["text"])


def _victims(data: dict) -> str:
    parts = []
    for v in data.get("victims") or []:
        if v.get("name"):
            parts.append(v["name"])
        else:
            count = f"{v['count']} " if v.get("count") else ""
            parts.append(f"{count}{v.get('group') or 'unnamed'}")
    return "; ".join(parts)
