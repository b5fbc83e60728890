"""Extraction throughput against spaCy's bare ``nlp.pipe`` on the same texts.

    .venv/bin/python bench/extract_throughput.py            # 1,000 synthetic + real bodies
    .venv/bin/python bench/extract_throughput.py --quick    # 100 documents, for CI

Both runs use the same model, the same texts, the same batch size, in the
same process, with one and with two processes; the table shows documents/s
and words/s and the ratio extraction / bare. The target is a ratio of at
least 0.8: the rules must not cost more than a fifth of the model's time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus  # noqa: E402

from attest.extract import extract_many  # noqa: E402
from attest.extract import places as _places  # noqa: E402
from attest.extract.nlp import MODEL, get_nlp  # noqa: E402


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(texts: list[str], processes: tuple[int, ...] = (1, 2),
        batch_size: int = 32, repeat: int = 2) -> list[dict]:
    """Measure bare nlp.pipe and extract_many; one row per (runner, processes).

    Each figure is the best of ``repeat`` runs, bare and extraction taking
    turns, so a busy machine slows both alike rather than one of them.
    """
    bare = spacy.load(MODEL)
    get_nlp()
    _places.warm()
    words = sum(len(t.split()) for t in texts)
    rows = []
    for n in processes:
        # warm both once on a few texts so model loading is not timed
        list(bare.pipe(texts[:4]))
        extract_many(texts[:4])
        t_bare = t_ext = float("inf")
        for _ in range(repeat):
            t_bare = min(t_bare, _timed(
                lambda n=n: list(bare.pipe(texts, n_process=n, batch_size=batch_size))))
            t_ext = min(t_ext, _timed(
                lambda n=n: extract_many(texts, n_process=n, batch_size=batch_size)))
        for name, secs in (("spacy nlp.pipe", t_bare), ("attest extract_many", t_ext)):
            rows.append({"runner": name, "processes": n, "seconds": secs,
                         "docs_per_s": len(texts) / secs, "words_per_s": words / secs})
        rows.append({"runner": "ratio extract/bare", "processes": n,
                     "ratio": t_bare / t_ext})
    return rows


def format_rows(rows: list[dict], docs: int, words: int) -> str:
    lines = [f"corpus: {docs} documents, {words} words",
             f"{'runner':22} {'proc':>4} {'seconds':>8} {'docs/s':>8} {'words/s':>9}"]
    for r in rows:
        if "ratio" in r:
            lines.append(f"{r['runner']:22} {r['processes']:>4} ratio {r['ratio']:.2f}")
        else:
            lines.append(f"{r['runner']:22} {r['processes']:>4} {r['seconds']:8.2f} "
                         f"{r['docs_per_s']:8.1f} {r['words_per_s']:9.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="100 synthetic documents, one pass each (CI)")
    ap.add_argument("--docs", type=int, default=None, help="synthetic documents (1000)")
    ap.add_argument("--repeat", type=int, default=None, help="best of N runs (2)")
    ap.add_argument("--no-real", action="store_true", help="skip the real article bodies")
    ap.add_argument("--processes", default="1,2", help="comma-separated process counts")
    args = ap.parse_args(argv)
    n = args.docs or (100 if args.quick else 1000)
    repeat = args.repeat or (1 if args.quick else 2)
    texts = corpus.synthetic(n)
    if not args.no_real and not args.quick:
        texts += corpus.real_bodies()
    processes = tuple(int(p) for p in args.processes.split(","))
    rows = run(texts, processes, repeat=repeat)
    print(format_rows(rows, len(texts), sum(len(t.split()) for t in texts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
