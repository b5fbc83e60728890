"""Helpers shared by the secure and publish tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from attest.archive import Archive
from attest.secure import accounts, keys

PASSPHRASES = {
    "vera": "viewer passphrase 1",
    "rafael": "reviewer passphrase 2",
    "ana": "analyst passphrase 3",
}
ROLES_OF = {"vera": "viewer", "rafael": "reviewer", "ana": "analyst"}


def add_team(archive: Archive) -> None:
    """A viewer, a reviewer and an analyst, each with their own key slot."""
    for name, secret in PASSPHRASES.items():
        accounts.add_user(archive, name, ROLES_OF[name], secret)


def open_as(path: Path, name: str) -> Archive:
    return Archive.open(path, PASSPHRASES[name], user=name)


def raw_bytes_of_folder(path: Path) -> dict[str, bytes]:
    """Every file in the archive folder (database, -wal, -shm, key ring), as stored on disk."""
    return {p.name: p.read_bytes() for p in path.iterdir() if p.is_file()}


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Cheaper Argon2id for tests that unlock many times (the ring records what was used).

    Strength is not under test here; the benchmark and docs use the real parameters.
    """
    monkeypatch.setattr(
        keys, "DEFAULT_KDF", {"name": "argon2id", "memory_cost": 8192, "iterations": 1, "lanes": 1}
    )
    yield
