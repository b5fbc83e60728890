"""Scale benchmark: link a million generated person records on one machine.

Generates ``--records`` person records (bench/linkage_data.py: Uyghur,
Kazakh and Han people in several scripts, about 2.4 records per person,
names from the generator's "wide" name space: composed names with Zipf-like
frequencies, so namesakes occur at realistic rates and not every ~40 people),
links them with ``attest.link.link_persons`` on DuckDB, and reports the time
of each step and the peak memory of the process (resource.getrusage), plus
pairwise precision/recall against the generator's truth.

Above 200,000 records the model is trained on a 200,000-record sample and
the blocking rules on one name part also require the birth year (see
docs/linkage.md).

    python bench/linkage_scale.py                 # 1,000,000 records
    python bench/linkage_scale.py --quick         # 20,000 records, for CI
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_common import peak_memory_mb, quiet_splink, save, score, timer, true_pairs  # noqa: E402
from linkage_data import generate_records  # noqa: E402

from attest.link.linkage import link_persons  # noqa: E402


def run(n_records: int, seed: int = 3) -> dict:
    quiet_splink()
    with timer() as t_gen:
        records = generate_records(n_records, seed=seed, max_records=n_records, names="wide")
        truth = true_pairs((str(r["record_id"]), r["person_id"]) for r in records)
        persons = len({r["person_id"] for r in records})
        for r in records:
            del r["person_id"], r["script"]
    with timer() as t_link:
        result = link_persons(records, explain=False)
    predicted = result.pairs_above(0.5)
    quality = score("attest link_persons", predicted, truth, t_link["seconds"])
    # Recall among all scored pairs (>= 0.05): what blocking let through at all.
    scored = result.pairs_above(0.0)
    return {
        "records": len(records),
        "persons": persons,
        "true_pairs_scored": round(len(scored & truth) / len(truth), 3) if truth else 0.0,
        "cpus": os.cpu_count(),
        "generate_seconds": round(t_gen["seconds"], 1),
        "link_seconds": round(t_link["seconds"], 1),
        "steps_seconds": {k: round(v, 1) for k, v in result.timings.items()},
        "scored_pairs": len(result.predictions),
        "clusters": int(result.clusters["cluster_id"].nunique()),
        "peak_memory_mb": round(peak_memory_mb()),
        "quality": quality,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 records, for CI")
    parser.add_argument("--records", type=int, default=None)
    args = parser.parse_args(argv)
    n = args.records or (20_000 if args.quick else 1_000_000)
    out = run(n)
    print(f"scale: {out['records']:,} records of {out['persons']:,} people on {out['cpus']} CPUs")
    print(f"  generate {out['generate_seconds']} s; link {out['link_seconds']} s "
          f"(steps: {out['steps_seconds']})")
    print(f"  scored pairs {out['scored_pairs']:,}; clusters {out['clusters']:,}; "
          f"peak memory {out['peak_memory_mb']:,} MB")
    print(f"  share of true pairs among the scored pairs (>= 0.05): {out['true_pairs_scored']}")
    print("  " + out["quality"].line())
    if not args.quick:  # quick runs (CI, tests) leave no files behind
        save("linkage_scale", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
