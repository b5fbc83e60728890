"""Roles: what each role may do, through the service layer and through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from attest.archive import Archive
from attest.errors import UnknownRecord
from attest.publish.export import build_export
from attest.publish.policy import parse_policy
from attest.secure.crypto import TamperedData, unseal
from attest.secure.roles import PERMISSIONS, ROLES, PermissionDenied, can, readable_levels, require
from attest.secure.schema import protected_fields
from attest.secure.users import AuthenticationFailed, User
from attest.service.ingest import ingest_uploads

from .secure_helpers import (
    PASSPHRASES,
    add_team,
    fast_kdf,  # noqa: F401 - autouse: cheap Argon2 in these tests
    open_as,
)

# role -> permissions it must have / must not have: the table a reviewer signs off
EXPECTED = {
    "viewer": ({"read"}, {"read_restricted", "read_confidential", "write", "ingest", "export", "admin"}),
    "reviewer": ({"read", "read_restricted", "review"}, {"read_confidential", "ingest", "export", "admin"}),
    "analyst": ({"read_confidential", "ingest", "export"}, {"admin"}),
    "admin": ({"admin", "export", "read_confidential"}, set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_table(role: str) -> None:
    user = User(name="x", role=role)
    allowed, forbidden = EXPECTED[role]
    assert all(can(user, p) for p in allowed)
    assert not any(can(user, p) for p in forbidden)
    assert (
        set(readable_levels(role))
        == {
            "viewer": {"public"},
            "reviewer": {"public", "restricted"},
            "analyst": {"public", "restricted", "confidential"},
            "admin": {"public", "restricted", "confidential"},
        }[role]
    )


def test_inactive_user_may_do_nothing() -> None:
    user = User(name="gone", role="admin", active=False)
    assert not any(can(user, p) for p in PERMISSIONS["admin"])
    with pytest.raises(PermissionDenied, match="deactivated"):
        require(user, "read")


def test_creator_is_admin(archive: Archive) -> None:
    assert archive.current_user() == User(name="owner", role="admin")


def test_web_passwords(archive: Archive) -> None:
    archive.users.add("wanda", "reviewer", password="correct web password")
    assert archive.users.verify_password("wanda", "correct web password").role == "reviewer"
    for name, pw in (("wanda", "wrong"), ("nobody", "correct web password"), ("owner", "")):
        with pytest.raises(AuthenticationFailed, match="unknown user or wrong password"):
            archive.users.verify_password(name, pw)
    archive.users.set_password("wanda", "new web password")
    assert archive.users.verify_password("wanda", "new web password").name == "wanda"
    archive.users.set_active("wanda", False)
    with pytest.raises(AuthenticationFailed):
        archive.users.verify_password("wanda", "new web password")


def test_viewer_through_the_service_layer(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    public = archive.sources.add("person", level="public", protected={"name": "Kalbinur Viewer"})
    hidden = archive.sources.add("person", level="restricted", protected={"name": "Hidden Person"})
    archive.close()
    with open_as(archive_path, "vera") as arch:
        vera = arch.current_user()
        # sees the public source, but not its protected name, even when asking to reveal
        assert arch.sources.get(public, reveal=True).protected == {"name": None}
        assert [s.id for s in arch.sources.list(reveal=True)] == [public]
        with pytest.raises(UnknownRecord):  # a restricted source does not exist for a viewer
            arch.sources.get(hidden)
        with pytest.raises(PermissionDenied):
            arch.protected.get("source", public, "name")
        with pytest.raises(PermissionDenied):
            arch.sources.add("person", protected={"name": "x"})
        with pytest.raises(PermissionDenied):
            arch.protected.put("source", public, "name", "overwritten", "restricted")
        with pytest.raises(PermissionDenied):
            arch.users.add("friend", "admin")
        with pytest.raises(PermissionDenied):
            ingest_uploads(arch, [("a.txt", b"Some report text about a detention.")])
        with pytest.raises(PermissionDenied):
            build_export(arch, parse_policy({"name": "p", "records": {"source": {"fields": ["kind"]}}}))
        # even with the role check bypassed, the viewer's keys open no protected value
        with arch.engine.connect() as conn:
            blobs = conn.execute(protected_fields.select()).all()
        for row in blobs:
            for key in arch.keys.keys.values():
                with pytest.raises(TamperedData):
                    unseal(
                        key,
                        row.ciphertext,
                        f"protected|{row.record_type}|{row.record_id}|{row.field}|{row.level}",
                    )
        assert vera.role == "viewer"


def test_reviewer_reads_restricted_not_confidential(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    sid = archive.sources.add("person", level="restricted", protected={"name": "Secret Name"})
    archive.protected.put("source", sid, "region", "Ili prefecture", "restricted")
    archive.close()
    with open_as(archive_path, "rafael") as arch:
        assert arch.sources.get(sid, reveal=True).protected == {"name": None, "region": "Ili prefecture"}
    with open_as(archive_path, "ana") as arch:
        assert arch.sources.get(sid, reveal=True).protected["name"] == "Secret Name"


@pytest.fixture
def team_archive(archive: Archive, archive_path: Path) -> Path:
    add_team(archive)
    archive.sources.add("person", level="public", protected={"name": "Dilnur Cli"})
    archive.sources.add("person", level="confidential", protected={"name": "Very Hidden"})
    archive.close()
    return archive_path


def test_viewer_through_the_cli(
    team_archive: Path, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # noqa: ANN001
    monkeypatch.setenv("ATTEST_PASSPHRASE", PASSPHRASES["vera"])
    monkeypatch.setenv("ATTEST_NEW_PASSPHRASE", "whatever it is")
    base = ("--archive", team_archive, "--user", "vera")
    shown = cli(*base, "--json", "sources", "list", "--reveal")
    assert shown.code == 0
    assert "Dilnur" not in shown.out and "Very Hidden" not in shown.out
    assert cli(*base, "sources", "show", "2").code == 2  # invisible: no such source
    policy = tmp_path / "p.yaml"
    policy.write_text("name: p\nrecords:\n  source:\n    fields: [kind]\n")
    report = tmp_path / "r.txt"
    report.write_text("A report about a detention in Urumqi.")
    for args in (
        ("sources", "add", "--name", "Someone"),
        ("users", "add", "mallory", "--role", "admin"),
        ("users", "role", "vera", "admin"),
        ("rekey",),
        ("audit", "anchor", tmp_path / "a.json"),
        ("export", "--policy", policy, tmp_path / "out.json"),
        ("ingest", report),
    ):
        run = cli(*base, *args)
        assert run.code == 3, (args, run.out, run.err)
        assert "may not" in run.err
    assert not (tmp_path / "out.json").exists()


def test_admin_adds_users_through_the_cli(archive_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    assert cli("init", archive_path).code == 0
    monkeypatch.setenv("ATTEST_NEW_PASSPHRASE", "kept by nadia")
    assert cli("--archive", archive_path, "users", "add", "nadia", "--role", "reviewer").code == 0
    listed = cli("--archive", archive_path, "--json", "users", "list")
    assert '"nadia"' in listed.out and '"reviewer"' in listed.out
    monkeypatch.setenv("ATTEST_PASSPHRASE", "kept by nadia")
    assert cli("--archive", archive_path, "--user", "nadia", "documents").code == 0
    monkeypatch.setenv("ATTEST_NEW_PASSPHRASE", "nadia changed it")
    assert cli("--archive", archive_path, "passwd").code == 0
    assert cli("--archive", archive_path, "--user", "nadia", "documents").code == 2
    monkeypatch.setenv("ATTEST_PASSPHRASE", "nadia changed it")
    assert cli("--archive", archive_path, "--user", "nadia", "documents").code == 0
