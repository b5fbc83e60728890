"""Exports through a redaction policy: allow-lists, levels, pseudonyms, k-anonymity."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from attest.archive import Archive
from attest.publish.export import build_export, export_to_file, render
from attest.publish.kanon import KAnonymityViolation, check_k
from attest.publish.policy import PolicyError, load_policy, parse_policy
from attest.secure.roles import PermissionDenied

from .secure_helpers import (
    add_team,
    fast_kdf,  # noqa: F401 - autouse: cheap Argon2 in these tests
    open_as,
)

PUBLIC = {
    "name": "public",
    "max_level": "public",
    "k": 1,
    "records": {
        "source": {
            "fields": ["kind", "grade", "place", "name", "note"],
            "pseudonymize": ["id", "name"],
        }
    },
}


def _sources(archive: Archive) -> list[int]:
    return [
        archive.sources.add(
            "person",
            level="public",
            grade="B",
            attributes={"place": "Ghulja", "note": "met Rahima R twice"},
            protected={"name": "Aygul Tursun", "contact": "aygul@example.org"},
        ),
        archive.sources.add(
            "person", level="public", attributes={"place": "Ghulja"}, protected={"name": "Aygul Tursun"}
        ),
        archive.sources.add(
            "person", level="restricted", attributes={"place": "Kashgar"}, protected={"name": "Rahima R"}
        ),
    ]


def test_public_export_keeps_only_allowed_public_values(archive: Archive) -> None:
    _sources(archive)
    export = build_export(archive, parse_policy(PUBLIC))
    rows = export.records["source"]
    assert len(rows) == 2  # the restricted source is not exported
    text = json.dumps(export.records)
    assert "Aygul" not in text and "Tursun" not in text and "Rahima" not in text and "example.org" not in text
    assert all(r["name"] is not None and r["name"].startswith("anon-") for r in rows)
    assert rows[0]["place"] == "Ghulja" and rows[0]["grade"] == "B"
    assert "anon-" in rows[0]["note"]  # the name typed into a free-text note was scrubbed
    assert "contact" not in rows[0]  # not in the allow-list at all


def test_pseudonyms_stable_within_unlinkable_across_exports(archive: Archive) -> None:
    _sources(archive)
    first = build_export(archive, parse_policy(PUBLIC)).records["source"]
    second = build_export(archive, parse_policy(PUBLIC)).records["source"]
    assert first[0]["name"] == first[1]["name"]  # same person, same pseudonym in one export
    assert first[0]["name"] != second[0]["name"]  # a new export cannot be joined to the last
    assert {r["id"] for r in first}.isdisjoint({r["id"] for r in second})


def test_restricted_policy_reveals_restricted_values_to_allowed_roles(
    archive: Archive, archive_path: Path
) -> None:
    add_team(archive)
    sid = archive.sources.add("person", level="restricted", protected={"name": "Full Name"})
    archive.protected.put("source", sid, "region", "Altay", "restricted")
    partners = parse_policy(
        {
            "name": "partners",
            "max_level": "restricted",
            "k": 1,
            "roles": ["admin", "analyst"],
            "records": {"source": {"fields": ["id", "region", "name"]}},
        }
    )
    rows = build_export(archive, partners).records["source"]
    assert rows == [{"id": sid, "region": "Altay", "name": None}]  # name is confidential: still withheld
    archive.close()
    with open_as(archive_path, "rafael") as arch, pytest.raises(PermissionDenied, match="may not export"):
        build_export(arch, partners)
    partners.roles = ["admin"]
    with (
        open_as(archive_path, "ana") as arch,
        pytest.raises(PermissionDenied, match="may be applied by admin"),
    ):
        build_export(arch, partners)


def test_k_anonymity_refuses_and_names_the_combination(archive: Archive, tmp_path: Path) -> None:
    for i in range(6):
        archive.sources.add(
            "person",
            level="public",
            attributes={"place": "Urumqi", "birth_year": 1980, "occupation": "imam" if i < 5 else "teacher"},
        )
    policy = parse_policy(
        {
            "name": "k",
            "k": 5,
            "records": {
                "source": {
                    "fields": ["place", "birth_year", "occupation"],
                    "quasi_identifiers": [["place", "birth_year", "occupation"]],
                }
            },
        }
    )
    out = tmp_path / "out.json"
    with pytest.raises(KAnonymityViolation) as err:
        export_to_file(archive, policy, out, "json")
    message = str(err.value)
    assert "place + birth_year + occupation" in message and "singles out 1" in message and "k=5" in message
    assert not out.exists()
    assert not any(e.action == "export" for e in archive.audit.events())
    # dropping occupation from what is exported removes the problem
    policy.records["source"].fields.remove("occupation")
    export_to_file(archive, policy, out, "json")
    assert json.loads(out.read_text())["records"]["source"][0] == {"place": "Urumqi", "birth_year": 1980}


def test_k_check_ignores_rows_without_any_of_the_fields() -> None:
    check_k("person", [{"a": None, "b": None}] * 2 + [{"a": 1, "b": 2}] * 3, [["a", "b"]], 3)
    with pytest.raises(KAnonymityViolation, match="a \\+ b"):
        check_k("person", [{"a": 1, "b": 2}] * 2, [["a", "b"]], 3)


def test_csv_and_json_rendering(archive: Archive, tmp_path: Path) -> None:
    _sources(archive)
    export = build_export(archive, parse_policy(PUBLIC))
    rows = list(csv.DictReader(io.StringIO(render(export, "csv").decode())))
    assert len(rows) == 2 and rows[0]["record_type"] == "source" and rows[0]["place"] == "Ghulja"
    payload = json.loads(render(export, "json"))
    assert payload["policy"] == "public" and len(payload["records"]["source"]) == 2


def test_export_is_audited_with_the_digest_of_the_file(archive: Archive, tmp_path: Path) -> None:
    import hashlib

    _sources(archive)
    out = tmp_path / "export.csv"
    export_to_file(archive, parse_policy(PUBLIC), out, "csv")
    (event,) = [e for e in archive.audit.events() if e.action == "export"]
    from attest.secure.audit import digest

    counts = {"source": 2}
    assert event.after_hash == digest(
        {"format": "csv", "counts": counts, "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}
    )


def test_documents_export_fields_by_allow_list(archive: Archive) -> None:
    from attest.service.ingest import ingest_uploads

    ingest_uploads(archive, [("r.txt", b"Witness Aygul Tursun said the camp held 300 people.")])
    archive.sources.add("person", protected={"name": "Aygul Tursun"})
    policy = parse_policy(
        {"name": "docs", "k": 1, "records": {"document": {"fields": ["sha256", "clean_text"]}}}
    )
    (row,) = build_export(archive, policy).records["document"]
    assert "Aygul Tursun" not in row["clean_text"] and "camp held 300" in row["clean_text"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("name: p\nrecords:\n  source:\n    feilds: [kind]\n", "records.source.feilds"),
        ("name: p\nmax_level: secret\nrecords: {}\n", "max_level"),
        ("name: p\nroles: [root]\nrecords: {}\n", "roles"),
        ("[not, a, mapping]", "a policy is a mapping"),
        ("name: p\nrecords: {source: {fields: [a]\n", "not a readable YAML"),
        ("records: {}\n", "name"),
    ],
)
def test_policy_errors_name_the_file_and_problem(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=match) as err:
        load_policy(path)
    assert str(path) in str(err.value)


def test_cli_export(archive: Archive, archive_path: Path, cli, tmp_path: Path) -> None:  # noqa: ANN001
    _sources(archive)
    policy = tmp_path / "public.yaml"
    policy.write_text(
        "name: public\nk: 1\nrecords:\n  source:\n    fields: [kind, place]\n    pseudonymize: [id, name]\n"
    )
    out = tmp_path / "out.csv"
    run = cli("--archive", archive_path, "export", "--policy", policy, "--format", "csv", out)
    assert run.code == 0, run.err
    assert "Aygul" not in out.read_text() and "Ghulja" in out.read_text()
    policy.write_text(
        "name: public\nrecords:\n  source:\n    fields: [place]\n    quasi_identifiers: [[place]]\n"
    )
    run = cli("--archive", archive_path, "export", "--policy", policy, tmp_path / "refused.json")
    assert run.code == 2 and "singles out" in run.err
