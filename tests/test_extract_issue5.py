"""Issue 5 mechanisms for unseen wording: the court that passes a verdict is
where the trial was, facilities named by a number, ranges and local
currencies. Sentences written for the tests."""

from __future__ import annotations

import pytest

from attest.extract import extract
from attest.extract.amounts import find_amounts
from attest.extract.nlp import get_nlp


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


def of_type(text: str, typ: str) -> list[dict]:
    return [i for i in extract(text).to_interchange()["incidents"] if i["type"] == typ]


def facilities(text: str) -> dict[str, str]:
    return {f["name"]: f["kind"] for f in extract(text).to_interchange()["facilities"]}


def amounts(text: str) -> list[tuple[str, float, str]]:
    return [(a.text, a.value, a.currency) for a in find_amounts(text)]


# -- the court of a verdict ----------------------------------------------------


def test_court_as_subject_of_sentencing_is_the_trial_facility() -> None:
    (inc,) = of_type("The Shibei District People's Court sentenced the four teachers on "
                     "2 June.", "trial")
    assert inc["facility"] == "Shibei District People's Court"


def test_court_of_verdict_completes_an_earlier_trial_mention() -> None:
    text = ("Four teachers jailed in Qingdao over home gatherings\n\n"
            "The Shibei District People's Court sentenced the four teachers on 2 June.")
    trials = of_type(text, "trial")
    assert len(trials) == 1
    assert trials[0]["facility"] == "Shibei District People's Court"


def test_court_not_the_subject_is_not_the_trial_facility() -> None:
    (inc,) = of_type("Mahmud Aliyev, 52, was sentenced to six years after his lawyer "
                     "complained to the Constitutional Court.", "trial")
    assert inc["facility"] is None


# -- facilities named by a number ----------------------------------------------


def test_acronym_numbered_facility() -> None:
    facs = facilities("Oleg Petrenko was held for three months at SIZO-2 in Orenburg.")
    assert facs.get("SIZO-2") == "detention"


def test_numbered_facility_with_no() -> None:
    facs = facilities("His family says Rustam Nazarov was sent to Correctional Colony No. 7 "
                      "after the appeal failed.")
    assert facs.get("Correctional Colony No. 7") == "prison"


def test_numbered_facility_keeps_its_descriptive_phrase() -> None:
    facs = facilities("Anna Belova was kept in the temporary detention centre IVS-4 for "
                      "two weeks.")
    assert "temporary detention centre IVS-4" in facs


def test_factory_with_number_as_custody() -> None:
    (inc,) = of_type("Witness C said that he and 40 other men were moved to a garment plant "
                     "in Nanchang (Factory 3) in May.", "forced_labour")
    assert inc["facility"] == "Factory 3"


@pytest.mark.parametrize("text", [
    "The Camp 2019 report was published in March.",
    "She won the 2,000 metres race at Factory 2,000 Park.",
    "Ik-Jun Park, a Korean student, joined the prison reform campaign.",
])
def test_numbers_that_are_not_facility_names(text: str) -> None:
    assert not any(n.endswith(("2019", "2,000")) or "Ik-" in n for n in facilities(text))


# -- amounts ---------------------------------------------------------------------


def test_range_gives_both_bounds_the_currency() -> None:
    assert amounts("They were freed after paying between 3,000 and 8,000 yuan each.") == [
        ("3,000", 3000, "CNY"), ("8,000 yuan", 8000, "CNY")]


def test_range_lower_bound_takes_the_scale() -> None:
    assert amounts("Fines ranged from 2 to 4 million rubles.")[0] == ("2", 2_000_000, "RUB")


def test_years_before_an_amount_are_not_a_range() -> None:
    assert amounts("Between 2016 and 2018 the family paid 900 yuan a month.") == [
        ("900 yuan", 900, "CNY")]


def test_local_currency_words() -> None:
    assert amounts("a fine of 7,500 somoni") == [("7,500 somoni", 7500, "TJS")]
    assert amounts("bail of 500 million tomans")[0][1:] == (5_000_000_000, "IRR")


def test_rupees_follow_the_country_the_text_names() -> None:
    assert amounts("Police in Lahore, Pakistan, demanded 50,000 rupees.")[0][2] == "PKR"
    assert amounts("A court in Lucknow, India, fined him 50,000 rupees.")[0][2] == "INR"
    assert amounts("He was fined 50,000 rupees.")[0][2] == "INR"


# -- custody verbs with a particle, acts on buildings ------------------------------


@pytest.mark.parametrize("text", [
    "Dolkar Tso, 29, was picked up by plainclothes police outside her shop in Lhasa.",
    "Dolkar Tso, 29, was hauled off to the county police station in Lhasa.",
])
def test_particle_verbs_of_custody(text: str) -> None:
    (inc,) = of_type(text, "arbitrary_detention")
    assert {v["name"] for v in inc["victims"]} == {"Dolkar Tso"}


@pytest.mark.parametrize("text", [
    "Tenzin Lhamo, 22, was picked for the national team in Lhasa.",
    "Tenzin Lhamo, 22, picked up the phone in Lhasa.",
    "The estimate was rounded to the nearest thousand in Dowa.",
])
def test_particle_verbs_without_custody(text: str) -> None:
    assert of_type(text, "arbitrary_detention") == []


def test_sealing_a_building_is_an_act() -> None:
    (inc,) = of_type("Police sealed off the Living Water church in Kunming.", "other")
    assert inc["place"] == "Kunming"


@pytest.mark.parametrize("text", [
    "Jigme Gyatso sealed the envelope in Ngaba.",
    "Officials sealed the deal in Ngaba.",
])
def test_sealing_other_things_is_not(text: str) -> None:
    assert of_type(text, "other") == []
