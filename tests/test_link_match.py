"""match_names: a calibrated probability with a sentence of evidence."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attest.link.match import match_names

SAME_PERSON = [
    ("Ilham Tohti", "伊力哈木·土赫提"),
    ("Ilham Tohti", "Yilihamu Tuheti"),
    ("Ilham Tohti", "ئىلھام توختى"),
    ("Tohti Ilham", "Ilham Tokhti"),
    ("Sayragul Sauytbay", "Сайрагүл Сауытбай"),
    ("Sayragul Sauytbay", "沙依拉古丽·沙吾提拜"),
    ("Sayragul Sauytbay", "Sairagul Sawutbay"),
    ("Mehmet Tursun", "Memet Tursun"),
    ("王小明", "Wang Xiaoming"),
    ("Xiaoming Wang", "王小明"),
    ("Rahile Dawut", "热依拉·达吾提"),
    ("Yerzhan Serik", "Ержан Серік"),
    ("Yerzhan Serik", "叶尔江·赛力克"),
    ("Mihrigul Tursun", "米日古丽·吐尔逊"),
    ("Ilham Tohti", "Ilham Tohit"),
    ("Ilshat Yasin", "Yilixiati Yasen"),
]
DIFFERENT_PEOPLE = [  # hard negatives: they share a part or look alike
    ("Ilham Tohti", "Ilham Memet"),
    ("Ilham Tohti", "Enver Tohti"),
    ("王小明", "李小明"),
    ("Zhang Wei", "Zhang Wen"),
    ("Adil Ayshem", "Tayir Ayshem"),
    ("Sayragul Sauytbay", "Sayragul Kanat"),
]
UNSURE = [  # the model should not be sure either way
    ("Wang Xiaoming", "Wang Xiaodong"),
    ("Ilham Tohti", "Ilham Tohtiniyaz"),
    ("Gulnar Tursun", "Gulbahar Tursun"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_same_person_across_scripts_is_likely(a: str, b: str) -> None:
    result = match_names(a, b)
    assert result.probability >= 0.9, result.evidence


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PEOPLE)
def test_hard_negatives_are_unlikely(a: str, b: str) -> None:
    result = match_names(a, b)
    assert result.probability <= 0.2, result.evidence


@pytest.mark.parametrize(("a", "b"), UNSURE)
def test_near_misses_stay_below_certainty(a: str, b: str) -> None:
    assert 0.05 < match_names(a, b).probability < 0.9


def test_every_score_is_explained() -> None:
    result = match_names("Ilham Tohti", "伊力哈木·土赫提")
    assert "Chinese '伊力哈木·土赫提' reads 'ilham toxti'" in result.evidence
    assert "share a sound skeleton" in result.evidence
    assert f"probability {result.probability:.2f}" in result.evidence
    swapped = match_names("Tohti Ilham", "Ilham Tohti")
    assert "order swapped" in swapped.evidence or "Same name parts" in swapped.evidence
    data = result.as_dict()
    assert data["a"]["skeleton"] == data["b"]["skeleton"] == "TKT VLKM"


def test_empty_name_has_probability_zero() -> None:
    assert match_names("", "Ilham Tohti").probability == 0.0


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([a for a, _ in SAME_PERSON + DIFFERENT_PEOPLE]),
       st.sampled_from([b for _, b in SAME_PERSON + DIFFERENT_PEOPLE]))
def test_probability_is_symmetric_and_bounded(a: str, b: str) -> None:
    ab, ba = match_names(a, b).probability, match_names(b, a).probability
    assert 0.0 <= ab <= 1.0
    assert ab == pytest.approx(ba, abs=0.02)


def test_probability_is_calibrated_on_held_out_pairs() -> None:
    """In each band of predicted probability, the share of true matches is close."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from linkage_data import name_pairs

    pairs = name_pairs(1500, seed=2024)
    scored = [(match_names(a, b).probability, label) for a, b, label in pairs]
    for lo, hi in ((0.0, 0.1), (0.9, 1.0)):
        band = [label for p, label in scored if lo <= p <= hi]
        assert len(band) > 100
        share = sum(band) / len(band)
        assert lo - 0.05 <= share <= hi + 0.05, (lo, hi, share)
    middle = [(p, label) for p, label in scored if 0.1 < p < 0.9]
    mean_p = sum(p for p, _ in middle) / len(middle)
    share = sum(label for _, label in middle) / len(middle)
    assert abs(mean_p - share) < 0.12
    brier = sum((p - label) ** 2 for p, label in scored) / len(scored)
    assert brier < 0.05
