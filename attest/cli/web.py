"""Commands for the workbench: ``serve``, and ``review`` for reviewing without a browser.

Both act through the same services as the pages: ``review`` acts as the user
who unlocked the archive, ``serve`` as whoever logs in to the pages.
"""

from __future__ import annotations

import ipaddress

import typer

from attest.cli.context import CliState, open_archive
from attest.cli.render import console, print_json, short, table
from attest.errors import UsageError
from attest.service import review as review_service

review_app = typer.Typer(help="Review proposals: list, accept, edit, reject, attach.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(review_app, name="review")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, min=1, max=65535),
    secure_cookies: bool = typer.Option(
        True,
        "--secure-cookies/--no-secure-cookies",
        help="Mark the session cookie Secure (browsers accept it on loopback too).",
    ),
) -> None:
    """Start the web workbench and HTTP API (/api, OpenAPI at /api/openapi.json)."""
    import uvicorn

    from attest.web.app import create_app

    if not _loopback(host) and not secure_cookies:
        raise UsageError("refusing to serve beyond loopback without Secure cookies; put it behind TLS")
    with open_archive(ctx) as archive:
        app = create_app(archive, secure_cookies=secure_cookies)
        console.print(
            f"attest workbench on http://{host}:{port}/ (archive {archive.location}); Ctrl-C stops it"
        )
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def _parse_sets(values: list[str]) -> dict[str, str]:
    changes = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set wants FIELD=VALUE, got {item!r}")
        changes[key.strip()] = value
    return changes


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    document: int = typer.Option(None, "--document", "-d", help="Proposals of this document."),
    status: str = typer.Option(None, help="Documents with this status (new, in_review, reviewed)."),
    before: int = typer.Option(None, help="Page: documents older than this id."),
    limit: int = typer.Option(50, min=1, max=200),
) -> None:
    """The inbox, or the proposals of one document with their candidates."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        user = archive.current_user()
        if document is None:
            page = review_service.inbox(archive, user, status=status, before=before, limit=limit)
            if state.as_json:
                print_json({"items": page.items, "next_before": page.next_before, "counts": page.counts})
                return
            rows = [
                [d["id"], short(d["title"] or d["filename"], 50), d["status"], d["pending"]]
                for d in page.items
            ]
            console.print(table("Inbox", ["id", "title", "status", "pending"], rows))
            if page.next_before:
                console.print(f"more: --before {page.next_before}")
            return
        view = review_service.document_view(archive, user, document)
    props = view["proposals"]
    if state.as_json:
        print_json([{k: v for k, v in p.items() if k != "decision"} for p in props])
        return
    rows = [
        [
            p["id"],
            p["kind"],
            p["label"],
            short(review_service.proposal_name(p), 50),
            p["status"],
            "; ".join(f"{c['id']}:{c['name']} {c['score']}%" for c in p["candidates"]),
        ]
        for p in props
    ]
    console.print(
        table(
            f"Proposals of document {document}", ["id", "kind", "label", "text", "status", "candidates"], rows
        )
    )


def _report(state: CliState, decision: review_service.Decision) -> None:
    if state.as_json:
        print_json(decision.__dict__)
    elif decision.record_id:
        console.print(
            f"proposal {decision.proposal_id}: {decision.action} → {decision.record_type} "
            f"{decision.record_id} (document {decision.document_status})"
        )
    else:
        console.print(
            f"proposal {decision.proposal_id}: {decision.action} (document {decision.document_status})"
        )


@review_app.command("accept")
def review_accept(
    ctx: typer.Context,
    proposal: int = typer.Argument(..., help="Proposal id."),
    confidentiality: str = typer.Option("public", help="public, restricted or confidential."),
    notes: str = typer.Option(None, help="Reviewer's notes (restricted)."),
) -> None:
    """Accept a proposal as a new record."""
    with open_archive(ctx) as archive:
        d = review_service.accept(
            archive, archive.current_user(), proposal, confidentiality=confidentiality, notes=notes
        )
    _report(ctx.obj, d)


@review_app.command("edit")
def review_edit(
    ctx: typer.Context,
    proposal: int = typer.Argument(..., help="Proposal id."),
    sets: list[str] = typer.Option(..., "--set", help="FIELD=VALUE to correct (repeatable)."),
    confidentiality: str = typer.Option("public", help="public, restricted or confidential."),
    notes: str = typer.Option(None, help="Reviewer's notes (restricted)."),
) -> None:
    """Correct fields of a proposal and accept it."""
    with open_archive(ctx) as archive:
        d = review_service.accept(
            archive,
            archive.current_user(),
            proposal,
            changes=_parse_sets(sets),
            confidentiality=confidentiality,
            notes=notes,
        )
    _report(ctx.obj, d)


@review_app.command("reject")
def review_reject(
    ctx: typer.Context,
    proposal: int = typer.Argument(..., help="Proposal id."),
    reason: str = typer.Option(None, help="Why it is wrong."),
) -> None:
    """Reject a proposal (kept, marked rejected)."""
    with open_archive(ctx) as archive:
        d = review_service.reject(archive, archive.current_user(), proposal, reason=reason)
    _report(ctx.obj, d)


@review_app.command("attach")
def review_attach(
    ctx: typer.Context,
    proposal: int = typer.Argument(..., help="Proposal id."),
    record: int = typer.Argument(..., help="Id of the existing record of the same kind."),
) -> None:
    """Attach a proposal to an existing record instead of creating a duplicate."""
    with open_archive(ctx) as archive:
        d = review_service.attach(archive, archive.current_user(), proposal, record)
    _report(ctx.obj, d)
