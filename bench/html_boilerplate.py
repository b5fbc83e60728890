"""HTML boilerplate benchmark: attest's HTML reading against true article bodies.

Runs attest's own reader path (trafilatura, then attest's line filter) over
the 181 real pages of ``../shared/benchmarks/article-extraction`` and scores
the clean text against each page's true ``articleBody`` with the benchmark's
measure: precision / recall / F1 over word 4-shingles, averaged over pages.
Also reports trafilatura alone, so the cost of attest's own line filter (any
article line it wrongly drops) shows as a difference in recall.

    python bench/html_boilerplate.py [--quick] [--data DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

from attest.errors import UnreadableFile
from attest.ingest.pipeline import read_bytes

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "article-extraction"


def shingles(text: str, n: int = 4) -> Counter:
    words = re.findall(r"\w+", text.lower())
    return Counter(tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1)))


def prf(pred: str, true: str) -> tuple[float, float, float]:
    p, t = shingles(pred), shingles(true)
    if not p and not t:
        return 1.0, 1.0, 1.0
    overlap = sum((p & t).values())
    prec = overlap / sum(p.values()) if p else 0.0
    rec = overlap / sum(t.values()) if t else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="first 20 pages only (CI)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    truth_file = args.data / "ground-truth.json"
    if not truth_file.exists():
        print(f"benchmark data not found at {args.data}", file=sys.stderr)
        return 2
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    ids = sorted(truth)[: 20 if args.quick else None]
    scores: dict[str, list[tuple[float, float, float]]] = {"attest": [], "trafilatura": []}
    failures = 0
    start = time.perf_counter()
    for page_id in ids:
        raw = gzip.open(args.data / "html" / f"{page_id}.html.gz").read()
        body = truth[page_id]["articleBody"]
        try:
            text = read_bytes(raw, f"{page_id}.html").clean_text
        except UnreadableFile:
            failures += 1
            text = ""
        scores["attest"].append(prf(text, body))
        scores["trafilatura"].append(prf(trafilatura.extract(raw) or "", body))
    elapsed = time.perf_counter() - start
    print(f"pages={len(ids)} unreadable={failures} seconds={elapsed:.1f}")
    print(f"{'reader':12} {'P':>6} {'R':>6} {'F1':>6}")
    for name, rows in scores.items():
        p, r, f = (sum(x[i] for x in rows) / len(rows) for i in range(3))
        print(f"{name:12} {p:6.3f} {r:6.3f} {f:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
