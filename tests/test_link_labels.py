"""Reviewers' judgements feed the linker: m from labelled pairs, judged pairs fixed."""

from __future__ import annotations

import logging

import pytest

from attest.link.linkage import MIN_LABELS, link_persons

PEOPLE = [
    ("Ilham Tohti", "Ilham Toxti", 1969),
    ("Memet Tursun", "Memet Tursun", 1980),
    ("Aygul Rozi", "Aygul Rozi", 1990),
    ("Erkin Hashim", "Erkin Hashim", 1971),
    ("Abla Yasin", "Abla Yasin", 1960),
    ("Nurgul Sawut", "Nurgul Sawut", 1990),
    ("Gulnisa Memet", "Gulnisa Mamat", 1982),
]


def test_labels_train_m_and_fix_judged_pairs(caplog: pytest.LogCaptureFixture) -> None:
    records = []
    for i, (a, b, year) in enumerate(PEOPLE):
        records += [
            {"record_id": f"{i}a", "name": a, "birth_year": year},
            {"record_id": f"{i}b", "name": b, "birth_year": year + (i == 1)},
        ]
    labels = [(f"{i}a", f"{i}b", i != 1) for i in range(len(PEOPLE))]
    assert sum(same for *_, same in labels) >= MIN_LABELS
    with caplog.at_level(logging.WARNING, logger="attest.link.linkage"):
        result = link_persons(records, labels=labels)
    assert "m from labels skipped" not in caplog.text
    p = result.predictions.set_index(["unique_id_l", "unique_id_r"])
    assert p.loc[("1a", "1b"), "match_probability"] == 0.0
    assert p.loc[("1a", "1b"), "evidence"] == "judged different people by a reviewer"
    assert p.loc[("0a", "0b"), "match_probability"] == 1.0
    # the model learnt m from the labels: "same reading" is a level every labelled match has
    name = next(c for c in result.settings["comparisons"] if c["output_column_name"] == "name")
    same_reading = next(
        lv for lv in name["comparison_levels"] if lv.get("label_for_charts") == "same reading"
    )
    assert same_reading["m_probability"] > 0.5
