"""Shared fixtures: a fresh archive, the CLI, paths to samples and the seed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from attest.archive import Archive

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seeds"
SEED_TEXT = SEED_DIR / "000_3fec5d57c772f8e3.txt"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def seed_text() -> str:
    if not SEED_TEXT.exists():
        pytest.skip("../shared/seeds is not present on this machine")
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def archive(archive_path: Path) -> Iterator[Archive]:
    with Archive.create(archive_path, PASSPHRASE) as arch:
        yield arch


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``attest`` in-process with ATTEST_PASSPHRASE set; returns code and output."""
    from attest.cli import main

    monkeypatch.setenv("ATTEST_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("ATTEST_ARCHIVE", raising=False)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
