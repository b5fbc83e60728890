"""Commands over people, keys and evidence: users, passwd, rekey, audit, verify, sources."""

from __future__ import annotations

import base64
import csv
import json
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import typer

from attest.cli.context import CliState, open_archive, passphrase
from attest.cli.render import console, err_console, print_json, progress_bar, short, table
from attest.errors import UsageError
from attest.secure import accounts
from attest.secure.anchor import archive_public_key, check_anchor, fingerprint, load_anchor, write_anchor
from attest.secure.integrity import verify_originals
from attest.secure.roles import LEVELS, ROLES
from attest.secure.sources import ANONYMITY, GRADES, KINDS

users_app = typer.Typer(help="People who may open the archive, and their roles.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
sources_app = typer.Typer(help="Sources, with their identities protected.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
    app.add_typer(sources_app, name="sources")
    app.command()(passwd)
    app.command()(rekey)
    app.command()(verify)


def new_passphrase(label: str) -> str:
    """ATTEST_NEW_PASSPHRASE when set, else a prompt typed twice (never echoed)."""
    value = os.environ.get("ATTEST_NEW_PASSPHRASE")
    if value:
        return value
    try:
        return typer.prompt(label, hide_input=True, confirmation_prompt=True)
    except typer.Abort as exc:
        raise UsageError("no new passphrase given (set ATTEST_NEW_PASSPHRASE or type it)") from exc


def resealing() -> AbstractContextManager[Callable[..., None]]:
    """A progress bar on stderr for re-sealing protected values (a rotation may touch many)."""
    return progress_bar("Re-sealing protected values")


# -- users ---------------------------------------------------------------------
@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="User name."),
    role: str = typer.Option(..., "--role", "-r", help=f"One of {', '.join(ROLES)}."),
    web: bool = typer.Option(False, "--web", help="Also let them log in to the web workbench with it."),
) -> None:
    """Add a user with their own passphrase (their own key slot, holding only their role's keys)."""
    with open_archive(ctx) as archive:
        secret = new_passphrase(f"Passphrase for {name}")
        user = accounts.add_user(archive, name, role, secret, web_password=secret if web else None)
    console.print(f"Added {user.name} ({user.role}) with their own key slot.")


@users_app.command("list")
def users_list(ctx: typer.Context) -> None:
    """List users and roles."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        rows = archive.users.list()
    if state.as_json:
        print_json([u.model_dump() for u in rows])
        return
    console.print(table("Users", ["name", "role", "active"], [[u.name, u.role, u.active] for u in rows]))


@users_app.command("role")
def users_role(ctx: typer.Context, name: str, role: str) -> None:
    """Change a user's role (their key slot's grants follow; field keys they lose are rotated)."""
    with open_archive(ctx) as archive, resealing() as step:
        lost = accounts.lost_levels(archive.users.get(name).role, role)
        user = accounts.set_role(archive, name, role, progress=step)
    console.print(f"{user.name} is now {user.role}.")
    if lost:
        console.print(f"Rotated the {' and '.join(lost)} field keys: copies {name} kept open nothing new.")


@users_app.command("deactivate")
def users_deactivate(ctx: typer.Context, name: str) -> None:
    """Deactivate a user, delete their key slot and rotate the field keys they held."""
    with open_archive(ctx) as archive, resealing() as step:
        lost = accounts.lost_levels(archive.users.get(name).role, None)
        accounts.deactivate(archive, name, progress=step)
    rotated = f" Rotated the {' and '.join(lost)} field keys." if lost else ""
    console.print(
        f"{name} is deactivated and their key slot removed.{rotated}"
        " Run `attest rekey` if they kept a copy of the folder."
    )


@users_app.command("password")
def users_password(ctx: typer.Context, name: str) -> None:
    """Set a web-login password (your own, or anyone's as admin)."""
    with open_archive(ctx) as archive:
        archive.users.set_password(name, new_passphrase(f"Web password for {name}"))
    console.print(f"Web password of {name} set.")


# -- keys ----------------------------------------------------------------------
def passwd(ctx: typer.Context) -> None:
    """Change your passphrase (rewraps your key slot; nothing is re-encrypted)."""
    old = passphrase()
    with open_archive(ctx) as archive:
        accounts.change_passphrase(archive, old, new_passphrase("New passphrase"))
        who = archive.user
    console.print(f"Passphrase of {who} changed.")


def rekey(
    ctx: typer.Context,
    fields: bool = typer.Option(
        False, "--fields", help="Also rotate the field keys and re-seal every protected value."
    ),
) -> None:
    """Rotate the database key and re-seal it to every user's slot (admin)."""
    archive = open_archive(ctx)
    try:
        if fields:
            with resealing() as step:
                count = accounts.rotate_field_keys(archive, progress=step)
            console.print(f"Field keys rotated; {count} protected values re-sealed.")
            if archive.engine.dialect.name != "sqlite":
                return  # a server database has no data key of ours to rotate
        accounts.rekey(archive)
    finally:
        archive.close()
    console.print("Data key rotated; every key slot holds the new key.")


def verify(ctx: typer.Context) -> None:
    """Re-hash every original and compare with the SHA-256 recorded at ingest."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        with progress_bar("Re-hashing originals", archive.documents.count()) as step:
            report = verify_originals(archive, progress=step)
    if state.as_json:
        print_json({"checked": report.checked, "problems": [p.__dict__ for p in report.problems]})
    else:
        for p in report.problems:
            err_console.print(f"[red]mismatch[/red] document {p.document_id} ({p.filename}): {p.problem}")
        console.print(f"{report.checked} originals checked, {len(report.problems)} mismatches.")
    if not report.ok:
        raise typer.Exit(1)


# -- audit ---------------------------------------------------------------------
@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    anchor: Path | None = typer.Option(
        None, "--anchor", help="Also check the log still extends this anchor."
    ),
    public_key: str | None = typer.Option(None, "--public-key", help="Trusted signing key (base64)."),
) -> None:
    """Recompute the hash chain; name the first broken event (exit 1)."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        check = archive.audit.verify()
        if check.ok and anchor is not None:
            trusted = base64.b64decode(public_key) if public_key else None
            check_anchor(archive, load_anchor(anchor), trusted_key=trusted)
    if state.as_json:
        print_json(
            {
                "ok": check.ok,
                "count": check.count,
                "head": check.head,
                "broken_seq": check.broken_seq,
                "reason": check.reason,
            }
        )
    elif check.ok:
        console.print(
            f"Audit chain intact: {check.count} events, head {check.head[:16]}…"
            + (f"; extends anchor {anchor}" if anchor else "")
        )
    else:
        err_console.print(f"[red]audit chain broken[/red] at event {check.broken_seq}: {check.reason}")
    if not check.ok:
        raise typer.Exit(1)


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="File to write."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv."),
) -> None:
    """Write every event (hashes, never values) for an outside auditor."""
    if fmt not in ("jsonl", "csv"):
        raise UsageError("audit export formats are jsonl and csv")
    with open_archive(ctx) as archive:
        events = [e.model_dump() for e in archive.audit.events()]
    with out.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "jsonl":
            for ev in events:
                fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(fh, fieldnames=list(events[0]) if events else ["seq"])
            writer.writeheader()
            writer.writerows(events)
    console.print(f"Wrote {len(events)} events to {out}.")


@audit_app.command("anchor")
def audit_anchor(
    ctx: typer.Context, out: Path = typer.Argument(..., help="Statement file to write.")
) -> None:
    """Sign the chain's head with the archive key (admin); keep the file outside the archive."""
    with open_archive(ctx) as archive:
        statement = write_anchor(archive, out)
        key = archive_public_key(archive)
    console.print(f"Anchored {statement['count']} events (head {statement['head'][:16]}…) in {out}.")
    console.print(f"Signing key {fingerprint(key)} = {base64.b64encode(key).decode()}")


@audit_app.command("log")
def audit_log(
    ctx: typer.Context, last: int = typer.Option(20, min=1, help="How many recent events.")
) -> None:
    """Show the most recent events."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        count, _ = archive.audit.head()
        events = list(archive.audit.events(after_seq=max(0, count - last)))
    if state.as_json:
        print_json([e.model_dump() for e in events])
        return
    console.print(
        table(
            "Audit log",
            ["seq", "at", "actor", "action", "record", "hash"],
            [
                [e.seq, e.at[:19], e.actor, e.action, f"{e.record_type} {e.record_id or ''}", e.hash[:12]]
                for e in events
            ],
        )
    )


# -- sources -------------------------------------------------------------------
@sources_app.command("add")
def sources_add(
    ctx: typer.Context,
    kind: str = typer.Option("person", help=", ".join(KINDS)),
    name: str | None = typer.Option(None, help="Identity (stored encrypted)."),
    contact: str | None = typer.Option(None, help="Contact details (stored encrypted)."),
    grade: str | None = typer.Option(None, help="Reliability " + "-".join((GRADES[0], GRADES[-1]))),
    anonymity: str = typer.Option("anonymous", help=", ".join(ANONYMITY)),
    level: str = typer.Option("restricted", help="Record level: " + ", ".join(LEVELS)),
    attribute: list[str] = typer.Option([], "--attr", help="key=value descriptive attribute (repeatable)."),
) -> None:
    """Add a source; name and contact are sealed under the confidential key."""
    protected = {k: v for k, v in (("name", name), ("contact", contact)) if v}
    attrs = dict(_pair(a) for a in attribute)
    with open_archive(ctx) as archive:
        source_id = archive.sources.add(
            kind, grade=grade, anonymity=anonymity, level=level, attributes=attrs, protected=protected
        )
    console.print(f"Added source {source_id}.")


@sources_app.command("list")
def sources_list(
    ctx: typer.Context,
    reveal: bool = typer.Option(False, "--reveal", help="Decrypt what your role may read."),
) -> None:
    """Sources your role may see."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        rows = archive.sources.list(reveal=reveal)
    if state.as_json:
        print_json([s.model_dump() for s in rows])
        return
    console.print(
        table(
            "Sources",
            ["id", "kind", "grade", "anonymity", "level", "attributes", "protected"],
            [
                [
                    s.id,
                    s.kind,
                    s.grade,
                    s.anonymity,
                    s.level,
                    short(json.dumps(s.attributes), 40),
                    _protected(s.protected),
                ]
                for s in rows
            ],
        )
    )


@sources_app.command("show")
def sources_show(
    ctx: typer.Context,
    source_id: int = typer.Argument(..., metavar="ID"),
    reveal: bool = typer.Option(False, "--reveal", help="Decrypt what your role may read (audited)."),
) -> None:
    """One source; protected values only with --reveal and only for roles that may read them."""
    state: CliState = ctx.obj
    with open_archive(ctx) as archive:
        source = archive.sources.get(source_id, reveal=reveal)
    if state.as_json:
        print_json(source.model_dump())
        return
    rows = [
        ["id", source.id],
        ["kind", source.kind],
        ["grade", source.grade],
        ["anonymity", source.anonymity],
        ["level", source.level],
        *[[k, v] for k, v in source.attributes.items()],
        *[[f"{k} (protected)", "— withheld —" if v is None else v] for k, v in source.protected.items()],
    ]
    console.print(table(f"Source {source.id}", ["field", "value"], rows))


def _pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise UsageError(f"--attr wants key=value, got {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def _protected(values: dict[str, str | None]) -> str:
    return ", ".join(f"{k}: {'withheld' if v is None else v}" for k, v in values.items())
