"""Record linkage with Splink on DuckDB: preparation, the model, clusters."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from attest.link.linkage import (
    build_settings,
    correct_u_for_matches,
    explain_pair,
    link_persons,
    name_frequencies,
    normalise_ethnicity,
    normalise_sex,
    prepare,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def test_prepare_builds_cross_script_columns() -> None:
    frame = prepare([
        {"record_id": "a", "name": "Ilham Tohti", "birth_year": 1969, "sex": "male",
         "ethnicity": "Uighur", "place": "Beijing"},
        {"record_id": "b", "name": "伊力哈木·土赫提", "birth_year": "1969年", "sex": "男",
         "ethnicity": "维吾尔族"},
        {"record_id": "c", "name": None},
    ])
    assert list(frame["unique_id"]) == ["a", "b", "c"]
    assert frame.loc[0, "name_sk"] == frame.loc[1, "name_sk"] == "TKT VLKM"
    assert frame.loc[0, "birth_year"] == frame.loc[1, "birth_year"] == 1969
    assert list(frame["sex"][:2]) == ["M", "M"]
    assert list(frame["ethnicity"][:2]) == ["uyghur", "uyghur"]
    assert pd.isna(frame.loc[2, "name_sk"])


def test_plain_names_baseline_has_no_transliteration() -> None:
    frame = prepare([{"name": "伊力哈木·土赫提"}, {"name": "Ilham Tohti"}], cross_script=False)
    assert frame.loc[0, "name_sk"] != frame.loc[1, "name_sk"]


@pytest.mark.parametrize(("raw", "code"), [("F", "F"), ("female", "F"), ("女", "F"),
                                           ("ئەر", "M"), ("?", None), (None, None)])
def test_sex_vocabulary(raw: str | None, code: str | None) -> None:
    assert normalise_sex(raw) == code


def test_ethnicity_vocabulary_is_cross_script() -> None:
    assert {normalise_ethnicity(x) for x in ("Kazakh", "Қазақ", "哈萨克族", "qazaq")} == {"kazakh"}


def test_settings_use_optional_columns_only_when_present() -> None:
    base = build_settings(["name_latin"])
    names = [c["output_column_name"] for c in base["comparisons"]]
    assert names[:2] == ["name", "birth_year"]
    assert "id_number" not in names
    full = build_settings(["name_latin", "id_number", "birth_date", "postcode"])
    names = [c["output_column_name"] for c in full["comparisons"]]
    assert {"id_number", "postcode"} <= set(names)
    assert any("l.id_number = r.id_number" in r
               for r in full["blocking_rules_to_generate_predictions"])
    large = build_settings(["name_latin"], large=True)
    assert all("birth_year" in r or "place_key" in r
               for r in large["blocking_rules_to_generate_predictions"])


def test_name_frequencies_count_people_not_records() -> None:
    # "a": one person named in three lists; "b": three namesakes born in different years.
    frame = pd.DataFrame({
        "name_sk": ["a", "a", "a", "b", "b", "b", "c"],
        "birth_year": pd.array([1970, 1970, None, 1960, 1975, 1990, 1980], dtype="Int64"),
    })
    tf = dict(zip(*name_frequencies(frame, "name_sk").to_numpy().T, strict=True))
    assert tf["c"] < tf["a"] < tf["b"]  # repeat records of one person count less than namesakes
    assert tf["c"] / tf["b"] == pytest.approx(0.3 / 2)  # sole bearer vs two other bearers
    # Only large inputs adjust the name by its frequency; small ones keep the average name.
    def tf_levels(settings: dict) -> list:
        levels = settings["comparisons"][0]["comparison_levels"]
        return [lv for lv in levels if lv.get("tf_adjustment_column")]
    assert not tf_levels(build_settings(["name_latin"]))
    assert [lv["tf_adjustment_column"] for lv in tf_levels(build_settings(["name_latin"], large=True))] == [
        "name_latin", "name_sk", "name_sk"]


def test_u_correction_takes_matches_out_of_random_pairs() -> None:
    settings = {"probability_two_random_records_match": 0.01, "comparisons": [{
        "comparison_levels": [
            {"is_null_level": True},
            {"m_probability": 0.9, "u_probability": 0.02},
            {"m_probability": 0.1, "u_probability": 0.98},
        ]}]}
    levels = correct_u_for_matches(settings)["comparisons"][0]["comparison_levels"]
    assert levels[1]["u_probability"] < 0.02
    assert levels[1]["u_probability"] + levels[2]["u_probability"] == pytest.approx(1.0)


@pytest.fixture(scope="module")
def linked():
    from linkage_data import generate_records

    records = generate_records(250, seed=5)
    truth = {r["record_id"]: r["person_id"] for r in records}
    for r in records:
        del r["person_id"], r["script"]
    return records, truth, link_persons(records)


def test_linkage_finds_people_across_scripts(linked) -> None:
    records, truth, result = linked
    pairs = result.pairs_above(0.5)
    true_pairs = {
        tuple(sorted((str(a["record_id"]), str(b["record_id"]))))
        for a in records for b in records
        if a["record_id"] < b["record_id"] and truth[a["record_id"]] == truth[b["record_id"]]
    }
    tp = len(pairs & true_pairs)
    assert tp / len(pairs) > 0.85
    assert tp / len(true_pairs) > 0.8
    scripts_linked = {
        (name_a[0].isascii(), name_b[0].isascii())
        for pair in pairs & true_pairs
        for name_a, name_b in [(
            next(r["name"] for r in records if str(r["record_id"]) == pair[0]),
            next(r["name"] for r in records if str(r["record_id"]) == pair[1]),
        )]
    }
    assert (True, False) in scripts_linked or (False, True) in scripts_linked


def test_clusters_and_explained_predictions(linked) -> None:
    records, _, result = linked
    assert len(result.clusters) == len(records)
    assert result.clusters["cluster_id"].nunique() < len(records)
    row = result.predictions.sort_values("match_probability").iloc[-1].to_dict()
    assert row["evidence"].startswith("name:") or "name:" in row["evidence"]
    assert row["evidence"] == explain_pair(row, result.settings)
    assert set(result.timings) >= {"prepare", "train", "predict", "total"}


def test_dataframe_input_is_accepted() -> None:
    frame = pd.DataFrame([
        {"name": "Sayragul Sauytbay", "birth_year": 1977, "sex": "F"},
        {"name": "Сайрагүл Сауытбай", "birth_year": 1977, "sex": "F"},
    ])
    assert len(prepare(frame)) == 2


def test_settings_translate_to_spark_sql() -> None:
    spark = build_settings(["name_latin", "id_number"], dialect="spark")
    sql = " ".join(level["sql_condition"] for c in spark["comparisons"]
                   for level in c["comparison_levels"])
    assert "jaro_winkler(" in sql and "jaro_winkler_similarity(" not in sql
    with pytest.raises(ValueError, match="dialect"):
        build_settings(["name_latin"], dialect="oracle")


@pytest.mark.slow
@pytest.mark.skipif(
    not __import__("os").environ.get("ATTEST_SPARK_TESTS"),
    reason="Spark local mode takes minutes here; set ATTEST_SPARK_TESTS=1 (needs pyspark, Java 17)",
)
def test_same_model_runs_on_spark_local_mode(tmp_path: Path) -> None:
    pyspark = pytest.importorskip("pyspark")
    from splink import SparkAPI
    from splink.backends.spark import similarity_jar_location

    spark = (
        pyspark.sql.SparkSession.builder.master("local[2]")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setCheckpointDir(str(tmp_path))
    from linkage_data import generate_records

    records = generate_records(60, seed=5)
    for r in records:
        del r["person_id"], r["script"]
    result = link_persons(records, db_api=SparkAPI(spark_session=spark))
    assert len(result.clusters) == len(records)
    assert result.clusters["cluster_id"].nunique() < len(records)
