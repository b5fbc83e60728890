"""Ingesting into an archive: storage, duplicates, failures, encryption at rest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from attest.archive import Archive
from attest.service.ingest import ingest_paths, ingest_uploads

from .conftest import PASSPHRASE, SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"


def test_ingest_text_and_html(archive: Archive) -> None:
    report = ingest_paths(
        archive, [FIXTURES / "release_with_noise.txt", FIXTURES / "pastor_detained.html"]
    )
    assert [r.status for r in report.results] == ["added", "added"]
    docs = archive.documents.list()
    assert [d["media_type"] for d in docs] == ["text/plain", "text/html"]
    html_doc = archive.documents.get(report.results[1].document_id)
    original = (FIXTURES / "pastor_detained.html").read_bytes()
    assert archive.documents.original(html_doc.id) == original
    assert html_doc.sha256 == hashlib.sha256(original).hexdigest()
    assert html_doc.url == "https://news.example.org/2024/03/pastor-held-kunming"
    assert "Advertisement - story continues below" in html_doc.boilerplate
    assert html_doc.ingested_by == archive.user


def test_proposals_point_at_their_spans(archive: Archive) -> None:
    report = ingest_paths(archive, [FIXTURES / "pastor_detained.html"])
    doc = archive.documents.get(report.results[0].document_id)
    props = archive.proposals.for_document(doc.id)
    assert props, "extraction proposed nothing"
    kinds = {p["kind"] for p in props}
    assert {"person", "amount"} <= kinds
    for p in props:
        assert 0 <= p["start"] < p["end"] <= len(doc.clean_text)
        assert p["status"] == "proposed"
    amounts = [p for p in props if p["kind"] == "amount"]
    assert any(a["data"]["currency"] == "CNY" and a["data"]["value"] == 3000 for a in amounts)
    for a in amounts:
        assert doc.clean_text[a["start"] : a["end"]] == a["text"]


def test_duplicate_is_stored_once(archive: Archive, tmp_path: Path) -> None:
    copy = tmp_path / "copy-of-release.txt"
    copy.write_bytes((FIXTURES / "release_with_noise.txt").read_bytes())
    first = ingest_paths(archive, [FIXTURES / "release_with_noise.txt"])
    second = ingest_paths(archive, [copy])
    assert first.results[0].status == "added"
    assert second.results[0].status == "duplicate"
    assert second.results[0].document_id == first.results[0].document_id
    assert f"already stored as document {first.results[0].document_id}" in second.results[0].message
    assert archive.documents.count() == 1


def test_bad_files_do_not_stop_the_batch(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_bytes((FIXTURES / "release_with_noise.txt").read_bytes())
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_junk.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "d_scan.pdf").write_bytes(b"%PDF-1.4 junk")
    (folder / "e_good.html").write_bytes((FIXTURES / "pastor_detained.html").read_bytes())
    report = ingest_paths(archive, [folder])
    status = {Path(r.path).name: (r.status, r.message) for r in report.results}
    assert status["a_good.txt"][0] == "added"
    assert status["e_good.html"][0] == "added"
    assert status["b_empty.txt"] == ("failed", "empty file")
    assert status["c_junk.txt"] == ("failed", "binary content, not text")
    assert status["d_scan.pdf"][0] == "failed" and "unsupported file type .pdf" in status["d_scan.pdf"][1]
    assert archive.documents.count() == 2


def test_uploads_follow_the_same_rules(archive: Archive) -> None:
    data = (FIXTURES / "release_with_noise.txt").read_bytes()
    report = ingest_uploads(archive, [("a.txt", data), ("b.txt", data), ("c.txt", b"")])
    assert [r.status for r in report.results] == ["added", "duplicate", "failed"]


def test_nothing_in_the_clear_on_disk(archive: Archive, archive_path: Path) -> None:
    ingest_paths(archive, [FIXTURES / "pastor_detained.html", FIXTURES / "release_with_noise.txt"])
    archive.close()
    secrets = [
        "Luo Wenhai",
        "Panlong District Public Security Bureau",
        "Daniyar Seitkali",
        "unregistered religious meeting",
        "pastor-held-kunming",
    ]
    files = [p for p in archive_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        raw = path.read_bytes()
        for secret in secrets:
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in raw, f"{secret!r} readable in {path.name}"
    with Archive.open(archive_path, PASSPHRASE) as reopened:
        assert reopened.documents.count() == 2


def test_bundled_samples_ingest(archive: Archive) -> None:
    report = ingest_paths(archive, [SAMPLES])
    assert report.count("added") >= 5
    assert not report.failed
    titles = [d["title"] for d in archive.documents.list()]
    assert all(titles)
