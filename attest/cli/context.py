"""How a command finds its archive and passphrase: options, environment, prompt."""

from __future__ import annotations

import os
from dataclasses import dataclass

import typer

from attest.archive import Archive
from attest.errors import UsageError


@dataclass
class CliState:
    archive_path: str | None = None
    user: str | None = None
    as_json: bool = False


def passphrase(*, confirm: bool = False) -> str:
    """ATTEST_PASSPHRASE when set, else an interactive prompt (never echoed)."""
    value = os.environ.get("ATTEST_PASSPHRASE")
    if value:
        return value
    try:
        return typer.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm)
    except typer.Abort as exc:
        raise UsageError("no passphrase given (set ATTEST_PASSPHRASE or type it)") from exc


def open_archive(ctx: typer.Context) -> Archive:
    """The archive chosen by ``--archive`` or ATTEST_ARCHIVE, unlocked."""
    state: CliState = ctx.obj
    if not state.archive_path:
        raise UsageError("no archive chosen: give --archive PATH before the command or set ATTEST_ARCHIVE")
    return Archive.open(state.archive_path, passphrase(), user=state.user)
