"""Cross-script linkage benchmark: P/R/F1 with and without the cross-script keys.

Generates person records (bench/linkage_data.py) in which the same Uyghur,
Kazakh or Han person is written in Latin, ULY, Arabic script, Cyrillic,
Chinese characters or pinyin, with typos, swapped order and missing fields,
then links them twice with attest's Splink model: once with the name keys of
attest.link.names, once with plain case-folded names.

    python bench/linkage_crossscript.py            # 1,500 people, ~3,600 records
    python bench/linkage_crossscript.py --quick    # 400 people, for CI
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_common import quiet_splink, save, score, timer, true_pairs  # noqa: E402
from linkage_data import generate_records  # noqa: E402

from attest.link.linkage import link_persons  # noqa: E402

TARGET_F1 = 0.9


def run(persons: int, seed: int = 7, threshold: float = 0.5) -> dict:
    quiet_splink()
    records = generate_records(persons, seed=seed)
    truth = true_pairs((str(r["record_id"]), r["person_id"]) for r in records)
    inputs = [{k: v for k, v in r.items() if k not in ("person_id", "script")} for r in records]
    scores = []
    for label, cross in (("attest, cross-script keys", True), ("attest, plain names", False)):
        with timer() as t:
            result = link_persons(inputs, cross_script=cross, threshold=threshold, explain=False)
        scores.append(score(label, result.pairs_above(threshold), truth, t["seconds"]))
    return {"persons": persons, "records": len(records), "threshold": threshold,
            "scores": scores}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run for CI")
    parser.add_argument("--persons", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    persons = args.persons or (400 if args.quick else 1500)
    out = run(persons, seed=args.seed)
    print(f"cross-script linkage: {out['persons']} people, {out['records']} records, "
          f"threshold {out['threshold']}")
    for s in out["scores"]:
        print("  " + s.line())
    with_keys = out["scores"][0].f1
    print(f"  target F1 >= {TARGET_F1} with keys: {'met' if with_keys >= TARGET_F1 else 'NOT met'}")
    if not args.quick:  # quick runs (CI, tests) leave no files behind
        save("linkage_crossscript", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
