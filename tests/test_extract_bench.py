"""The throughput benchmark runs and prints both figures and their ratio."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "extract_throughput.py"


def test_quick_benchmark_prints_both_figures(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("extract_throughput", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--quick", "--docs", "24", "--processes", "1"]) == 0
    out = capsys.readouterr().out
    assert "spacy nlp.pipe" in out and "attest extract_many" in out
    assert "ratio" in out and "docs/s" in out and "words/s" in out


def test_extract_many_keeps_order_with_two_processes() -> None:
    from attest.extract import extract, extract_many

    texts = [f"Police detained {n} farmers in Kashgar." for n in range(2, 70)]
    many = extract_many(texts, n_process=2, batch_size=8)
    assert [e.text for e in many] == texts
    assert many[5].to_interchange() == extract(texts[5]).to_interchange()


def _chunk_with_pid(texts, batch_size):  # type: ignore[no-untyped-def]
    import os

    from attest.extract.pipeline import _extract_chunk_impl

    out = _extract_chunk_impl(texts, batch_size)
    for ex in out:
        ex.worker_pid = os.getpid()  # type: ignore[attr-defined]
    return out


def test_two_processes_really_share_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch ingest relies on n_process=2 using two worker processes, not one."""
    import os

    from attest.extract import extract_many, pipeline

    monkeypatch.setattr(pipeline, "_extract_chunk", _chunk_with_pid)
    texts = [f"Police detained {n} farmers in Kashgar." for n in range(2, 66)]
    many = extract_many(texts, n_process=2, batch_size=8)
    pids = {ex.worker_pid for ex in many}  # type: ignore[attr-defined]
    assert len(pids) == 2 and os.getpid() not in pids
