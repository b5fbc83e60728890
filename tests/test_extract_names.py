"""NER clean-up added for names: header people, PERSON spans that are not
people, agencies named by their place, titles before surnames."""

from __future__ import annotations

import pytest

from attest.extract import extract
from attest.extract.nlp import get_nlp


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


def interchange(text: str) -> dict:
    return extract(text).to_interchange()


def test_a_woman_named_x_is_a_person() -> None:
    out = interchange("In the cell I met an elderly nun named Yeshe Choedon from Kardze.")
    assert "Yeshe Choedon" in {p["name"] for p in out["persons"]}


def test_person_spans_ending_in_an_organisation_word_are_organisations() -> None:
    out = interchange("Asel Nurova told the Northern Steppe Bulletin that her son was missing.")
    assert not any("Bulletin" in p["name"] for p in out["persons"])
    assert any("Bulletin" in o for o in out["organizations"])


def test_deities_and_header_labels_are_not_persons() -> None:
    out = interchange("Verdict summary: pastor convicted in Izhevsk\n"
                      "He told the court he prays to Jehovah and reads about Jesus daily.")
    persons = {p["name"] for p in out["persons"]}
    assert not persons & {"Verdict", "Jehovah", "Jesus"}


def test_agencies_named_by_their_place() -> None:
    out = interchange("Kazakhstan's interior ministry did not reply. Officers of the "
                      "Zhanaozen city police department took him away. The Urumqi "
                      "municipal government declined to comment.")
    orgs = set(out["organizations"])
    assert "Kazakhstan's interior ministry" in orgs
    assert any(o.endswith("city police department") for o in orgs)
    assert any(o.endswith("municipal government") for o in orgs)


def test_generic_references_are_not_agencies() -> None:
    out = interchange("Shenzhen police detained him, and the Chinese government said nothing.")
    assert not [o for o in out["organizations"] if "police" in o or "government" in o]


def test_a_title_and_surname_is_an_alias_of_the_full_name() -> None:
    out = interchange("The court fined Gulnara Sadykova 30,000 tenge. "
                      "Mrs Sadykova said she would appeal.")
    names = [p["name"] for p in out["persons"]]
    assert names.count("Gulnara Sadykova") == 1 and "Mrs Sadykova" not in names


def test_a_name_before_a_lowercase_place_word_is_a_place() -> None:
    out = interchange("Police in Lai Chau province detained two Hmong pastors.")
    assert any(p["name"] == "Lai Chau province" for p in out["places"])
    assert not any("Lai Chau" in p["name"] for p in out["persons"])


def test_courts_that_try_are_organisations_and_facilities() -> None:
    out = interchange("The Aksu Intermediate People's Court sentenced Rahile Dawut to 12 years.")
    assert "Aksu Intermediate People's Court" in out["organizations"]
    assert any(f["name"] == "Aksu Intermediate People's Court" for f in out["facilities"])
