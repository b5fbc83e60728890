"""The quick modes of the benchmarks run and print their figures (what CI runs).

The figures themselves are measured by the full runs (docs give the numbers);
here we check that each benchmark still works end to end and reports what it
promises.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import ROOT, SHARED


def run_bench(*args: str, timeout: int = 300) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_html_boilerplate_quick() -> None:
    if not (SHARED / "benchmarks" / "article-extraction").exists():
        pytest.skip("../shared/benchmarks is not present on this machine")
    out = run_bench("bench/html_boilerplate.py", "--quick")
    row = re.search(r"^attest\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.MULTILINE)
    assert row, out
    assert 0.5 < float(row.group(3)) <= 1.0


def test_encryption_overhead_quick() -> None:
    out = run_bench("bench/encryption_overhead.py", "--quick")
    assert "plain docs/s" in out and "encrypted docs/s" in out, out
    assert re.search(r"^end to end\s+[\d.]+\s+[\d.]+\s+-?[\d.]+%$", out, re.MULTILINE), out
    assert re.search(r"unlock \(open archive\) \d+ ms", out), out


def test_web_latency_quick() -> None:
    out = run_bench("bench/web_latency.py", "--quick")
    assert "p95" in out and "inbox" in out and "search" in out, out
