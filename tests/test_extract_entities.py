"""Entities: names, aliases, roles, organisations and the NER clean-up."""

from __future__ import annotations

import pytest

from attest.extract import extract
from attest.extract.nlp import get_nlp


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


def test_surname_becomes_alias_of_full_name() -> None:
    text = ("Kazakh President Kassym-Jomart Tokayev met the families. "
            "Later Tokayev said nothing about the camps.")
    persons = extract(text).to_interchange()["persons"]
    assert len(persons) == 1
    assert persons[0]["name"] == "Kassym-Jomart Tokayev"
    assert persons[0]["aliases"] == ["Tokayev"]
    assert persons[0]["role"] == "official"


def test_ethnic_and_religious_words_are_not_entities() -> None:
    out = extract("Uyghur and Kazakh Muslims were detained with Tibetan Buddhists.\n"
                  "Uyghurs abroad fear for their families.").to_interchange()
    names = [*out["organizations"], *[p["name"] for p in out["places"]],
             *[p["name"] for p in out["persons"]]]
    assert not any(n.startswith(("Uyghur", "Kazakh", "Tibetan")) for n in names)


def test_outlet_suffix_and_acronym_join_the_organisation() -> None:
    out = extract("Frontline magazine cited the Federal Security Service (FSB) as saying "
                  "the raid was lawful.").to_interchange()
    assert "Federal Security Service (FSB)" in out["organizations"]


def test_named_facility_and_its_city() -> None:
    out = extract("Hundreds of protesters rallied in front of Sydney Town Hall.")
    data = out.to_interchange()
    assert [f["name"] for f in data["facilities"]] == ["Sydney Town Hall"]
    assert data["facilities"][0]["place"] == "Sydney"
    assert "Sydney" in [p["name"] for p in data["places"]]


def test_place_items_carry_kind_country_and_coordinates() -> None:
    data = extract("Police in Wuhou District of Chengdu detained the elder.").to_interchange()
    by_name = {p["name"]: p for p in data["places"]}
    assert by_name["Wuhou District"]["kind"] == "district"
    assert by_name["Chengdu"]["kind"] == "city"
    assert by_name["Chengdu"]["country"] == "CN" and "lat" in by_name["Chengdu"]


def test_proposals_point_at_their_spans() -> None:
    text = "Police detained Pastor Wang Yi in Chengdu, China Aid said."
    ex = extract(text)
    kinds = {p.kind for p in ex.proposals()}
    assert {"person", "place", "claim", "incident"} <= kinds
    for p in ex.proposals():
        assert text[p.start:p.end] == p.text
    person = next(p for p in ex.proposals() if p.kind == "person")
    assert person.text == "Wang Yi" and person.label == "victim"
