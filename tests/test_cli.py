"""The command line: set-up, listing, errors as one line with a non-zero status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SEED_TEXT

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def made(cli, archive_path: Path) -> Path:
    assert cli("init", archive_path).code == 0
    return archive_path


def test_init_ingest_list_show(cli, made: Path) -> None:
    run = cli(
        "--archive", made, "ingest", FIXTURES / "release_with_noise.txt", FIXTURES / "pastor_detained.html"
    )
    assert run.code == 0, run.err
    assert "2 added, 0 duplicate, 0 failed" in run.out
    listed = cli("--archive", made, "--json", "documents")
    docs = json.loads(listed.out)
    assert len(docs) == 2 and all(len(d["sha256"]) == 64 for d in docs)
    shown = cli("--archive", made, "show", str(docs[0]["id"]))
    assert shown.code == 0
    assert docs[0]["sha256"] in shown.out
    marked = cli("--archive", made, "show", str(docs[0]["id"]), "--marked")
    assert marked.code == 0 and "Proposals" in marked.out
    as_json = json.loads(cli("--archive", made, "--json", "show", str(docs[1]["id"])).out)
    assert as_json["proposals"] and "clean_text" in as_json


def test_archive_from_environment(cli, made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATTEST_ARCHIVE", str(made))
    run = cli("documents")
    assert run.code == 0 and "Documents" in run.out


def test_duplicate_ingest_says_so(cli, made: Path) -> None:
    cli("--archive", made, "ingest", FIXTURES / "release_with_noise.txt")
    run = cli("--archive", made, "ingest", FIXTURES / "release_with_noise.txt")
    assert run.code == 0
    assert "duplicate" in run.out and "already stored as document 1" in run.out


def test_failed_file_gives_exit_1_and_names_it(cli, made: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"caf\xe9 report")
    run = cli("--archive", made, "ingest", FIXTURES / "release_with_noise.txt", bad)
    assert run.code == 1
    assert "broken.txt" in run.err and "not UTF-8" in run.err
    assert "1 added" in run.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "999"), "no document with id 999"),
        (("documents",), "wrong passphrase"),
    ],
)
def test_errors_are_one_line(
    cli, made: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    if message == "wrong passphrase":
        monkeypatch.setenv("ATTEST_PASSPHRASE", "guess")
    run = cli("--archive", made, *args)
    assert run.code == 2
    assert message in run.err
    assert "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1


def test_missing_and_non_archives(cli, tmp_path: Path) -> None:
    run = cli("--archive", tmp_path / "nope", "documents")
    assert run.code == 2 and "no archive at" in run.err
    run = cli("--archive", FIXTURES, "documents")
    assert run.code == 2 and "is not an attest archive" in run.err
    run = cli("documents")
    assert run.code == 2 and "no archive chosen" in run.err


def test_init_refuses_existing(cli, made: Path) -> None:
    run = cli("init", made)
    assert run.code == 2 and "already exists" in run.err


def test_extract_json_shape(cli) -> None:
    run = cli("extract", FIXTURES / "release_with_noise.txt", "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    for key in ("persons", "organizations", "places", "facilities", "incidents", "claims", "amounts"):
        assert isinstance(data[key], list)
    assert "Advertisement - story continues below" in data["boilerplate_lines"]
    assert any(a["currency"] == "KZT" and a["value"] == 150000 for a in data["amounts"])


def test_extract_unknown_file(cli, tmp_path: Path) -> None:
    run = cli("extract", tmp_path / "missing.txt", "--json")
    assert run.code == 2 and "missing.txt: no such file" in run.err


def test_extract_seed_boilerplate(cli) -> None:
    if not SEED_TEXT.exists():
        pytest.skip("../shared/seeds is not present on this machine")
    data = json.loads(cli("extract", SEED_TEXT, "--json").out)
    assert data["boilerplate_lines"] == [
        "Advertisement - story continues below",
        "TRENDING: North Korea deports runaway U.S. soldier after he broke the law there",
    ]
