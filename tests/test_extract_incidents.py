"""Incidents: type, victims with counts, place, facility, date; one per act."""

from __future__ import annotations

import pytest

from attest.extract import extract
from attest.extract.nlp import get_nlp


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


def incidents(text: str) -> list[dict]:
    return extract(text).to_interchange()["incidents"]


def test_detention_of_a_counted_group_with_place_and_date() -> None:
    (inc,) = incidents("Police detained more than thirty Hui villagers in Linxia last week.")
    assert inc["type"] == "arbitrary_detention"
    assert inc["victims"] == [{"name": None, "count": 30, "group": "Hui villagers"}]
    assert inc["place"] == "Linxia"
    assert inc["date"] == "last week"


def test_named_victim_and_facility() -> None:
    (inc,) = incidents("Pastor Wang Yi was held at a detention centre in Chengdu.")
    assert inc["victims"][0]["name"] == "Wang Yi"
    assert inc["facility"] == "detention centre in Chengdu"
    assert inc["place"] == "Chengdu"


def test_detention_and_torture_of_one_group_are_two_incidents() -> None:
    text = ("Twelve monks were detained at a police station in Lhasa.\n"
            "The monks were beaten and deprived of sleep for four days.")
    found = incidents(text)
    assert sorted(i["type"] for i in found) == ["arbitrary_detention", "torture"]
    assert all(i["victims"][0]["count"] == 12 for i in found)


def test_protest_in_two_cities_is_two_incidents() -> None:
    found = incidents("Hundreds of Uyghur activists rallied in Berlin and outside the "
                      "Chinese embassy in Paris.")
    assert [i["type"] for i in found] == ["protest", "protest"]
    assert [i["place"] for i in found] == ["Berlin", "Paris"]
    assert found[0]["victims"][0]["count"] is None


def test_fine_needs_money_and_carries_it() -> None:
    (inc,) = incidents("The families were each fined 7,000 yuan for attending prayers "
                       "in Hotan.")
    assert inc["type"] == "fine_or_extortion"
    assert inc["amounts"] == ["7,000 yuan"]
    assert incidents("The referee fined the team for the delay.") == []


def test_later_pronoun_extends_the_incident_instead_of_adding_one() -> None:
    text = ("Eight Christians were detained in Kunming.\n"
            "For two weeks they were held there without charge.")
    (inc,) = incidents(text)
    assert inc["duration"] == "two weeks"


def test_vague_numbers_without_place_are_context_not_incidents() -> None:
    assert incidents("Activists say thousands have been sent to camps.") == []
