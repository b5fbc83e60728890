"""Probabilistic linkage of person records with Splink 4 (DuckDB by default).

Fellegi-Sunter: each field comparison contributes a Bayes factor learned from
the data (u by random sampling, m by expectation maximisation), and the
product gives the probability that two records name one person. Names are
compared through the cross-script keys of :mod:`attest.link.names`, so a
Chinese court notice and a Kazakh testimony can meet; candidate pairs are
only generated inside blocks that share a name key (or an id number, or a
birth date), which keeps the work near-linear.

The same settings run on Spark for archives beyond one machine: pass a
``db_api`` (``splink.backends.spark.SparkAPI``); see docs/linkage.md.
"""

from __future__ import annotations

import logging
import math
import re
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from attest.link.names import fold_latin, name_keys, token_skeleton
from attest.link.tables import load_table

#: Fields of a person record; all but ``name`` may be missing.
PERSON_FIELDS = (
    "name", "birth_year", "sex", "ethnicity", "place", "facility", "date", "source_list",
)
#: Optional fields used when present (lists often carry them).
OPTIONAL_FIELDS = ("birth_date", "id_number", "address", "postcode")

#: Above this many records blocking rules on one name part also need a birth year.
LARGE = 200_000
#: ... but a whole-name key carried by at most this many records still blocks on its
#: own (a rare name needs no birth year to be compared; the work per block stays bounded).
RARE_KEY = 25

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- preparation


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def _year(value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    digits = text[:4]
    return int(digits) if digits.isdigit() and 1850 <= int(digits) <= 2100 else None


def normalise_sex(value: Any) -> str | None:
    text = _text(value)
    return None if text is None else load_table("sexes").get(text.casefold())


def normalise_ethnicity(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return load_table("ethnicities").get(text.casefold(), fold_latin(text) or text.casefold())


def place_key(value: Any) -> str | None:
    """Places too come in several scripts; compare them by their strict skeleton."""
    text = _text(value)
    if text is None:
        return None
    keys = name_keys(text)
    return "".join(keys.skeleton.split()) or None


def _name_columns(name: str | None, cross_script: bool) -> dict[str, Any]:
    if not name:
        return dict.fromkeys(("name_latin", "name_sk", "name_sk_alt", "name_sk_loose",
                              "tok_a", "tok_b", "lat_a", "lat_b"))
    if not cross_script:
        # Baseline for the benchmarks: plain case-folded tokens, no transliteration.
        tokens = sorted(unicodedata.normalize("NFKC", name).casefold().split())
        joined = " ".join(tokens)
        return {"name_latin": joined, "name_sk": joined, "name_sk_alt": joined,
                "name_sk_loose": joined, "tok_a": tokens[0], "tok_b": tokens[-1],
                "lat_a": tokens[0], "lat_b": tokens[-1]}
    keys = name_keys(name)
    if not keys.tokens:
        return _name_columns(None, cross_script)
    parts = sorted((token_skeleton(t), t) for t in keys.tokens)
    return {
        "name_latin": keys.sorted_latin,
        "name_sk": keys.skeleton,
        "name_sk_alt": keys.skeletons[-1],
        "name_sk_loose": keys.loose,
        "tok_a": parts[0][0],
        "tok_b": parts[-1][0],
        "lat_a": parts[0][1],
        "lat_b": parts[-1][1],
    }


def add_rare_keys(frame: pd.DataFrame, limit: int = RARE_KEY) -> pd.DataFrame:
    """Columns ``name_sk_rare`` / ``name_sk_loose_rare``: the key where at most ``limit`` records carry it."""
    for column in ("name_sk", "name_sk_loose"):
        counts = frame[column].map(frame[column].value_counts())
        frame[f"{column}_rare"] = frame[column].where(counts <= limit)
    return frame


def prepare(records: Iterable[Mapping[str, Any]] | pd.DataFrame, *,
            cross_script: bool = True) -> pd.DataFrame:
    """Person records -> the comparison columns Splink works on (one row each)."""
    frame = records.copy() if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    if "name" not in frame.columns:
        raise ValueError("person records need a 'name' column")
    if "record_id" in frame.columns:
        unique_id = frame["record_id"].astype(str)
    else:
        unique_id = pd.Series([str(i) for i in range(len(frame))], index=frame.index)
    names = [_text(v) for v in frame["name"]]
    name_cache: dict[str | None, dict[str, Any]] = {}
    rows = []
    for name in names:
        if name not in name_cache:
            name_cache[name] = _name_columns(name, cross_script)
        rows.append(name_cache[name])
    out = pd.DataFrame(rows, index=frame.index)
    out.insert(0, "unique_id", unique_id)
    col = frame.get
    out["birth_year"] = pd.array(
        [_year(v) for v in col("birth_year", pd.Series([None] * len(frame), index=frame.index))],
        dtype="Int64",
    )
    if "birth_date" in frame.columns:
        dates = [_text(v) for v in frame["birth_date"]]
        out["birth_date"] = dates
        missing = out["birth_year"].isna()
        out.loc[missing, "birth_year"] = pd.array(
            [_year(d) for d in pd.Series(dates, index=frame.index)[missing]], dtype="Int64"
        )
    out["sex"] = [normalise_sex(v) for v in col("sex", [None] * len(frame))]
    out["ethnicity"] = [normalise_ethnicity(v) for v in col("ethnicity", [None] * len(frame))]
    place_cache: dict[Any, str | None] = {}
    out["place_key"] = [
        place_cache.setdefault(v, place_key(v)) if v not in place_cache else place_cache[v]
        for v in col("place", [None] * len(frame))
    ]
    out["facility_key"] = [
        (fold_latin(t) or t) if (t := _text(v)) else None
        for v in col("facility", [None] * len(frame))
    ]
    out["event_year"] = pd.array([_year(v) for v in col("date", [None] * len(frame))],
                                 dtype="Int64")
    out["source_list"] = [_text(v) for v in col("source_list", [None] * len(frame))]
    for name in ("id_number", "address", "postcode"):
        if name in frame.columns:
            out[name] = [(fold_latin(t) or t) if (t := _text(v)) else None for v in frame[name]]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- model


_SIDE = re.compile(r"\b([lr])\.(\w+)")


#: Similarity functions by SQL dialect (Splink registers them on Spark from its jar).
SPARK_FUNCTIONS = {"jaro_winkler_similarity(": "jaro_winkler("}


def _sides(sql: str) -> str:
    """Comparison levels name columns ``x_l``/``x_r`` (blocking rules use ``l.x``)."""
    return _SIDE.sub(lambda m: f"{m.group(2)}_{m.group(1)}", sql)


def _to_dialect(settings: dict[str, Any], dialect: str) -> dict[str, Any]:
    """Settings are written for DuckDB; rename similarity functions for Spark."""
    if dialect == "duckdb":
        return settings
    if dialect != "spark":
        raise ValueError(f"unsupported SQL dialect {dialect!r} (duckdb or spark)")
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            for generic, specific in SPARK_FUNCTIONS.items():
                level["sql_condition"] = level["sql_condition"].replace(generic, specific)
    return settings


def _levels(column: str, levels: list[tuple[str, str]], *, tf: str | None = None,
            tf_levels: tuple[int, ...] = ()) -> dict[str, Any]:
    """A comparison from (SQL, label) pairs after the null level, best first."""
    out: list[dict[str, Any]] = [
        {"sql_condition": _sides(f"l.{column} IS NULL OR r.{column} IS NULL"),
         "label_for_charts": "missing", "is_null_level": True}
    ]
    for i, (sql, label) in enumerate(levels):
        level: dict[str, Any] = {"sql_condition": _sides(sql), "label_for_charts": label}
        if tf and i in tf_levels:
            level["tf_adjustment_column"] = tf
            level["tf_adjustment_weight"] = 1.0
        out.append(level)
    out.append({"sql_condition": "ELSE", "label_for_charts": "differs"})
    return {"output_column_name": column, "comparison_levels": out}


def _name_comparison(cross_script: bool, use_tf: bool = False) -> dict[str, Any]:
    levels = [("l.name_latin = r.name_latin", "same reading")]
    tf_levels = [0]  # levels whose Bayes factor follows the name's frequency (use_tf)
    if cross_script:
        levels += [
            ("l.name_sk = r.name_sk AND jaro_winkler_similarity(l.name_latin, r.name_latin) >= 0.8",
             "same sound skeleton, similar spelling"),
            ("l.name_sk = r.name_sk", "same sound skeleton"),
            ("l.name_sk_alt = r.name_sk OR l.name_sk = r.name_sk_alt",
             "same skeleton in another reading"),
            ("l.name_sk_loose = r.name_sk_loose", "same skeleton ignoring h/kh/x"),
        ]
        tf_levels += [1, 2]
    close = "jaro_winkler_similarity(l.{0}, r.{1}) >= 0.88"
    both_parts_close = (
        f"({close.format('lat_a', 'lat_a')} AND {close.format('lat_b', 'lat_b')}) OR "
        f"({close.format('lat_a', 'lat_b')} AND {close.format('lat_b', 'lat_a')})"
    )
    levels += [
        (both_parts_close, "every part spelled alike (JW>=0.88)"),
        ("damerau_levenshtein(l.name_sk, r.name_sk) <= 1 AND length(l.name_sk) >= 9 AND "
         "(l.tok_a = r.tok_a OR l.tok_b = r.tok_b)", "one part alike, the other one edit apart"),
        ("l.tok_a = r.tok_a OR l.tok_b = r.tok_b OR l.tok_a = r.tok_b OR l.tok_b = r.tok_a",
         "one name part shared"),
    ]
    comparison = _levels("name_latin", levels)
    for i in tf_levels if use_tf else ():
        level = comparison["comparison_levels"][i + 1]
        level["tf_adjustment_column"] = "name_latin" if i == 0 else "name_sk"
        level["tf_adjustment_weight"] = 1.0
        # Bayes factor m(level) / frequency of the value: Splink would otherwise scale by u of
        # the "l.name_sk = r.name_sk" level, which (after the levels above it) is tiny.
        level["disable_tf_exact_match_detection"] = i > 0
    comparison["output_column_name"] = "name"
    return comparison


def build_settings(columns: Iterable[str], *, cross_script: bool = True,
                   large: bool = False, dialect: str = "duckdb") -> dict[str, Any]:
    """Splink settings for the person-record columns present in ``columns``.

    ``dialect`` ("duckdb" or "spark") picks the names of the similarity functions.
    """
    cols = set(columns)
    comparisons: list[dict[str, Any]] = [_name_comparison(cross_script, use_tf=large and cross_script)]
    # One comparison for birth: a date and the year drawn from it are one fact,
    # and counting both would double the evidence.
    birth: list[tuple[str, str]] = []
    if "birth_date" in cols:
        birth += [
            ("l.birth_date = r.birth_date", "same birth date"),
            ("damerau_levenshtein(l.birth_date, r.birth_date) <= 1", "birth date one digit off"),
        ]
    birth += [
        ("l.birth_year = r.birth_year", "same birth year"),
        ("abs(l.birth_year - r.birth_year) <= 1", "birth years 1 apart"),
        ("abs(l.birth_year - r.birth_year) <= 3", "birth years 2-3 apart"),
    ]
    comparisons.append(_levels("birth_year", birth))
    for column, label in (("sex", "same sex"), ("ethnicity", "same ethnicity")):
        comparisons.append(_levels(column, [(f"l.{column} = r.{column}", label)]))
    for column in ("place_key", "facility_key"):
        comparisons.append(_levels(column, [
            (f"l.{column} = r.{column}", "same"),
            (f"jaro_winkler_similarity(l.{column}, r.{column}) >= 0.88", "similar"),
        ], tf=column, tf_levels=(0,)))
    comparisons.append(_levels("event_year", [
        ("abs(l.event_year - r.event_year) <= 1", "within a year"),
    ]))
    comparisons.append(_levels("source_list", [("l.source_list = r.source_list", "same list")]))
    if "id_number" in cols:
        comparisons.append(_levels("id_number", [
            ("l.id_number = r.id_number", "same id"),
            ("damerau_levenshtein(l.id_number, r.id_number) <= 2", "id within 2 edits"),
        ]))
    if "address" in cols:
        comparisons.append(_levels("address", [
            ("l.address = r.address", "same address"),
            ("jaro_winkler_similarity(l.address, r.address) >= 0.9", "similar address"),
        ], tf="address", tf_levels=(0,)))
    if "postcode" in cols:
        comparisons.append(_levels("postcode", [
            ("l.postcode = r.postcode", "same postcode"),
            ("damerau_levenshtein(l.postcode, r.postcode) <= 1", "postcode one edit"),
        ], tf="postcode", tf_levels=(0,)))
    return _to_dialect({
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": blocking_rules(cols, large=large),
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "max_iterations": 20,
        "em_convergence": 0.001,
    }, dialect)


def blocking_rules(cols: set[str], *, large: bool = False) -> list[str]:
    """Pairs are only compared when they share a name key (or an identifier)."""
    year = " AND l.birth_year = r.birth_year" if large else ""
    rules = [
        "l.name_sk = r.name_sk" + (" AND l.birth_year = r.birth_year" if large else ""),
        "l.name_sk_alt = r.name_sk OR l.name_sk = r.name_sk_alt" if not large else
        "(l.name_sk_alt = r.name_sk OR l.name_sk = r.name_sk_alt) AND l.birth_year = r.birth_year",
        "l.name_sk_loose = r.name_sk_loose AND l.birth_year = r.birth_year",
        "l.tok_a = r.tok_a" + year + (" AND l.sex = r.sex" if large else ""),
        "l.tok_b = r.tok_b" + year + (" AND l.sex = r.sex" if large else ""),
    ]
    if large:
        rules.insert(1, "l.name_sk = r.name_sk AND l.place_key = r.place_key")
        if "name_sk_rare" in cols:  # a rare name is compared without a birth year
            rules.insert(0, "l.name_sk_rare = r.name_sk_rare")
            rules.insert(1, "l.name_sk_loose_rare = r.name_sk_loose_rare")
    if "id_number" in cols:
        rules.append("l.id_number = r.id_number")
    if "birth_date" in cols:
        rules.append("l.birth_date = r.birth_date")
    if "postcode" in cols:
        rules.append("l.postcode = r.postcode")
    return rules


#: Frequency of a name borne by one person only, in people (see name_frequencies).
SOLE_BEARER = 0.3


def name_frequencies(frame: pd.DataFrame, column: str, sole: float = SOLE_BEARER) -> pd.DataFrame:
    """Term-frequency table for a name key, counted over people rather than records.

    A name's record count counts its bearer's repeat records (a person named in three
    lists), so it cannot tell one person from three namesakes. People bearing a key are
    estimated as the distinct birth years among its records, or its records divided by
    the records per (key, birth year) overall, whichever is larger (a common name has more
    bearers than there are years). The value is the chance that a record of *another*
    person bears the key: (people - 1) / all people, with ``sole`` in place of 0 for a key
    with one bearer (the list may not name the other bearers: an assumption, not measured).
    """
    f = frame[[column, "birth_year"]].dropna(subset=[column])
    records = f.groupby(column).size()
    if records.empty:
        return pd.DataFrame({column: [], f"tf_{column}": []})
    years = (f.dropna(subset=["birth_year"]).drop_duplicates().groupby(column).size()
             .reindex(records.index).fillna(1))
    per_person = len(f) / years.sum()
    people = pd.concat([years, records / per_person], axis=1).max(axis=1)
    tf = (people - 1).clip(lower=sole) / people.sum()
    return pd.DataFrame({column: tf.index, f"tf_{column}": tf.to_numpy()})


def _register_name_frequencies(linker: Any, frame: pd.DataFrame, settings: Mapping[str, Any]) -> None:
    columns = {level["tf_adjustment_column"] for level in settings["comparisons"][0]["comparison_levels"]
               if level.get("tf_adjustment_column")}
    for column in sorted(columns):
        linker.table_management.register_term_frequency_lookup(
            name_frequencies(frame, column), column, overwrite=True)


# --------------------------------------------------------------------------- linking


@dataclass
class LinkageResult:
    """Clustered records, scored candidate pairs (each explained) and the model."""

    clusters: pd.DataFrame
    predictions: pd.DataFrame
    settings: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)

    def pairs_above(self, threshold: float) -> set[tuple[str, str]]:
        p = self.predictions
        keep = p[p["match_probability"] >= threshold]
        return {tuple(sorted(x)) for x in zip(keep["unique_id_l"], keep["unique_id_r"],
                                              strict=True)}


def explain_pair(row: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    """'name: same sound skeleton (x120); birth_year: differs (x0.05) -> 0.93'."""
    parts = []
    for comparison in settings["comparisons"]:
        column = comparison["output_column_name"]
        gamma = row.get(f"gamma_{column}")
        bf = row.get(f"bf_{column}")
        if gamma is None or bf is None or gamma == -1:
            continue
        levels = comparison["comparison_levels"]
        # Splink numbers levels from the last (0, "else") upwards; null is -1.
        label = levels[len(levels) - 1 - int(gamma)]["label_for_charts"]
        tf = row.get(f"bf_tf_adj_{column}")
        factor = float(bf) * (float(tf) if tf is not None and not pd.isna(tf) else 1.0)
        parts.append((abs(math.log(max(factor, 1e-12))), f"{column}: {label} (x{factor:.3g})"))
    parts.sort(reverse=True)
    body = "; ".join(text for _, text in parts[:5])
    return f"{body} -> {float(row['match_probability']):.2f}"


def pair_weights(row: Mapping[str, Any], settings: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per comparison: the level the pair fell in and its Bayes factor (for the review page)."""
    out: dict[str, dict[str, Any]] = {}
    for comparison in settings["comparisons"]:
        column = comparison["output_column_name"]
        gamma, bf = row.get(f"gamma_{column}"), row.get(f"bf_{column}")
        if gamma is None or bf is None or pd.isna(gamma) or pd.isna(bf):
            continue
        levels = comparison["comparison_levels"]
        if int(gamma) == -1:
            out[column] = {"level": "missing", "bf": 1.0}
            continue
        tf = row.get(f"bf_tf_adj_{column}")
        factor = float(bf) * (float(tf) if tf is not None and not pd.isna(tf) else 1.0)
        out[column] = {"level": levels[len(levels) - 1 - int(gamma)]["label_for_charts"],
                       "bf": float(f"{factor:.4g}")}
    return out


def link_persons(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    *,
    threshold: float = 0.5,
    keep_above: float = 0.05,
    cross_script: bool = True,
    db_api: Any = None,
    max_pairs: float = 1e6,
    explain: bool = True,
    labels: Iterable[tuple[str, str, bool]] | None = None,
) -> LinkageResult:
    """Link person records; returns clusters at ``threshold`` and scored pairs.

    Pairs scoring at least ``keep_above`` are returned so the review queue can
    ask people about the uncertain ones; clusters join pairs at ``threshold``.
    ``labels`` are reviewers' judgements (record id, record id, same?): with
    at least :data:`MIN_LABELS` pairs judged the same, m is re-estimated from
    them (Splink's ``estimate_m_from_pairwise_labels``), and every judged
    pair's prediction is fixed to its label (probability 1 or 0, evidence
    "judged ... by a reviewer").
    """
    from splink import DuckDBAPI, Linker

    timings: dict[str, float] = {}
    start = time.perf_counter()
    frame = prepare(records, cross_script=cross_script)
    timings["prepare"] = time.perf_counter() - start
    large = len(frame) > LARGE
    if large:
        frame = add_rare_keys(frame)
    db_api = db_api or DuckDBAPI()
    dialect = db_api.sql_dialect.sql_dialect_str
    settings = build_settings(frame.columns, cross_script=cross_script, large=large,
                              dialect=dialect)
    step = time.perf_counter()
    trained = train_model(frame, settings, db_api=db_api, max_pairs=max_pairs)
    labelled = {tuple(sorted((str(a), str(b)))): bool(same) for a, b, same in labels or ()}
    linker = Linker(frame, trained, db_api=db_api, set_up_basic_logging=False)
    _register_name_frequencies(linker, frame, trained)
    if sum(labelled.values()) >= MIN_LABELS:
        trained = _m_from_labels(linker, labelled)
        linker = Linker(frame, trained, db_api=db_api, set_up_basic_logging=False)
        _register_name_frequencies(linker, frame, trained)
    timings["train"] = time.perf_counter() - step
    step = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=keep_above)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    pairs = predictions.as_pandas_dataframe()
    clustered = clusters.as_pandas_dataframe()
    timings["predict"] = time.perf_counter() - step
    if explain and len(pairs) <= 200_000:
        pairs["evidence"] = [explain_pair(row, trained) for row in pairs.to_dict("records")]
    if labelled:
        pairs = _fix_labelled(pairs, labelled)
    timings["total"] = time.perf_counter() - start
    return LinkageResult(clustered, pairs, trained, timings)


#: Pairs judged "same" needed before m is estimated from them rather than by EM alone.
MIN_LABELS = 5


def _m_from_labels(linker: Any, labelled: dict[tuple[str, str], bool]) -> dict[str, Any]:
    """m from the pairs reviewers judged the same (u stays from random pairs)."""
    same = [{"unique_id_l": a, "unique_id_r": b, "clerical_match_score": 1.0}
            for (a, b), is_same in labelled.items() if is_same]
    try:
        table = linker.table_management.register_labels_table(pd.DataFrame(same), overwrite=True)
        linker.training.estimate_m_from_pairwise_labels(table)
    except Exception as exc:  # labels naming records no longer present: keep the EM model
        log.warning("m from labels skipped: %s", exc)
    return linker.misc.save_model_to_json()


def _fix_labelled(pairs: pd.DataFrame, labelled: dict[tuple[str, str], bool]) -> pd.DataFrame:
    """A judged pair scores as judged: people decide, the model proposes."""
    if pairs.empty:
        return pairs
    keys = [tuple(sorted((str(a), str(b)))) for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"],
                                                             strict=True)]
    label = pd.Series([labelled.get(k) for k in keys], index=pairs.index, dtype="object")
    judged = label.notna()
    pairs.loc[judged, "match_probability"] = [1.0 if v else 0.0 for v in label[judged]]
    if "evidence" in pairs.columns:
        pairs.loc[judged, "evidence"] = [
            f"judged {'the same person' if v else 'different people'} by a reviewer" for v in label[judged]
        ]
    pairs["label"] = label
    return pairs


def correct_u_for_matches(settings: dict[str, Any]) -> dict[str, Any]:
    """Take the true matches out of u estimated from random pairs.

    Random pairs are a mixture: P(level) = lambda*m + (1-lambda)*u. Splink
    treats them as all non-matches, which is harmless for big registers but
    not for lists where each person appears two or three times (lambda near
    1/N), where it doubles u for "same name" and halves the name evidence.
    """
    lam = float(settings["probability_two_random_records_match"])
    for comparison in settings["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        if any(lv.get("m_probability") is None or lv.get("u_probability") is None
               for lv in levels):
            continue
        fixed = [max((lv["u_probability"] - lam * lv["m_probability"]) / (1 - lam),
                     0.05 * lv["u_probability"]) for lv in levels]
        total = sum(fixed)
        for lv, u in zip(levels, fixed, strict=True):
            lv["u_probability"] = u / total
    return settings


def train_model(frame: pd.DataFrame, settings: dict[str, Any], *, db_api: Any = None,
                max_pairs: float = 1e6, sample: int = LARGE, seed: int = 1) -> dict[str, Any]:
    """Estimate the model's parameters without labels; returns trained settings.

    u comes from random pairs; m from EM inside blocks that do not involve the
    comparison being estimated (names are trained in birth-date/place blocks,
    everything else in name blocks). The prior assumes about half of the true
    matches share a name skeleton and a birth year. Beyond ``sample`` records
    the model is trained on a random sample of records; the prior needs no
    rescaling, since a sample keeps a fraction s of the records, s^2 of the
    matching pairs and s^2 of all pairs.
    """
    from splink import DuckDBAPI, Linker

    train = frame.sample(n=sample, random_state=seed) if len(frame) > sample else frame
    small_settings = {**settings, "blocking_rules_to_generate_predictions": []}
    linker = Linker(train, small_settings, db_api=db_api or DuckDBAPI(),
                    set_up_basic_logging=False)
    deterministic = ["l.name_sk = r.name_sk AND l.birth_year = r.birth_year"]
    if "id_number" in frame.columns:
        deterministic.append("l.id_number = r.id_number")
    if "birth_date" in frame.columns:
        deterministic.append("l.name_latin = r.name_latin AND l.birth_date = r.birth_date")
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.5)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    # Other fields are trained in name blocks. In a wide name space a common name's block
    # is mostly namesakes, and EM then takes "same name" for "same person" (at 300,000
    # records m(same birth year) fell to 0.23): on large inputs only rare names train.
    if "name_sk_rare" in frame.columns:
        em_rules = ["l.name_sk_rare = r.name_sk_rare AND l.name_sk = r.name_sk"]
    else:
        em_rules = ["l.name_sk = r.name_sk"]
    if "birth_date" in frame.columns:
        em_rules.append("l.birth_date = r.birth_date")
    else:
        em_rules.append("l.birth_year = r.birth_year AND l.place_key = r.place_key")
        em_rules.append("l.birth_year = r.birth_year AND l.facility_key = r.facility_key")
    for rule in em_rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except Exception as exc:  # a block with too few pairs: keep the other estimates
            log.warning("EM on %s skipped: %s", rule, exc)
    trained = correct_u_for_matches(linker.misc.save_model_to_json())
    # Splink caches tables per database connection; the sample must not stand in
    # for the full input when the same db_api runs the predictions.
    linker.table_management.invalidate_cache()
    trained["blocking_rules_to_generate_predictions"] = settings[
        "blocking_rules_to_generate_predictions"
    ]
    return trained
