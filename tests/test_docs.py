"""Docs stay honest: the public face resolves, and every command is documented."""

from __future__ import annotations

import typer.main

import attest
from attest.cli import app
from attest.cli.reference import render

from .conftest import ROOT


def test_public_names_resolve() -> None:
    for name in attest.__all__:
        assert getattr(attest, name) is not None


def _command_names() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        names.append(name)
        for sub in getattr(cmd, "commands", {}):
            names.append(f"{name} {sub}")
    return names


def test_cli_reference_is_current() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == render(), "docs/cli.md is stale: run python -m attest.cli.reference > docs/cli.md"
    for name in _command_names():
        assert f"attest {name}`" in page, name


def test_readme_links_the_reference() -> None:
    assert "docs/cli.md" in (ROOT / "README.md").read_text(encoding="utf-8")
