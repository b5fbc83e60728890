"""Incident rules added for reporting phrasings: verdicts, disappearances,
testimonies, case headers, raids, surveillance, forced labour, counts."""

from __future__ import annotations

import pytest

from attest.extract import extract
from attest.extract.nlp import get_nlp


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


def incidents(text: str) -> list[dict]:
    return extract(text).to_interchange()["incidents"]


def of_type(text: str, typ: str) -> list[dict]:
    return [i for i in incidents(text) if i["type"] == typ]


def names(inc: dict) -> set[str]:
    return {v["name"] for v in inc["victims"] if v["name"]}


def test_found_guilty_is_a_trial_of_the_named_people() -> None:
    (inc,) = of_type("In May a court in Kazan found Rustam Nabiev guilty of extremism.", "trial")
    assert names(inc) == {"Rustam Nabiev"}


def test_not_heard_from_is_a_disappearance() -> None:
    text = "Erkin Tursun was detained in Kashgar in 2018. He has not been heard from since."
    (inc,) = of_type(text, "enforced_disappearance")
    assert names(inc) == {"Erkin Tursun"}


def test_nothing_known_and_unknown_whereabouts_are_disappearances() -> None:
    text = ("Police detained Adil Kasimov and Marat Ibraev in Aksu last year. "
            "Nothing is known of Marat Ibraev.")
    (inc,) = of_type(text, "enforced_disappearance")
    assert names(inc) == {"Marat Ibraev"}
    text = ("Police in Hotan detained Mehmet Ali in June. "
            "His family does not know where he is being held.")
    assert of_type(text, "enforced_disappearance")


def test_placed_under_surveillance() -> None:
    text = "After her release, Gulnara Ospan was placed under surveillance in Almaty."
    (inc,) = of_type(text, "surveillance")
    assert names(inc) == {"Gulnara Ospan"}


def test_followed_by_agents_is_surveillance() -> None:
    text = "The activist Daniyar Serikov said he had been followed by plainclothes agents in Astana."
    assert of_type(text, "surveillance")


def test_removing_domes_or_crosses_is_destruction_of_property() -> None:
    (inc,) = of_type("Officials removed the crosses of three churches in Wenzhou in March.",
                     "destruction_of_property")
    assert inc["place"] == "Wenzhou"


def test_assigned_to_work_is_forced_labour() -> None:
    text = "Zulfiya Ahmet was released in 2019 and assigned to work at a garment factory in Hotan."
    (inc,) = of_type(text, "forced_labour")
    assert names(inc) == {"Zulfiya Ahmet"}


def test_an_unaccusative_death_has_its_subject_as_victim() -> None:
    (inc,) = of_type("Abdukerim Yasin died in custody in Urumqi in 2020.", "death_in_custody")
    assert names(inc) == {"Abdukerim Yasin"}


def test_a_counted_act_counts_its_victims() -> None:
    (inc,) = of_type("The group recorded at least nine deaths in custody in Kashgar prefecture.",
                     "death_in_custody")
    assert inc["victims"][0]["count"] == 9


def test_testimony_narrator_is_the_victim_of_first_person_acts() -> None:
    text = ("Testimony of Aigerim Nurlanova, recorded in Almaty\n"
            "In 2018 I was detained by police in Ghulja and taken to a detention centre. "
            "I was released after four months.")
    found = incidents(text)
    detention = [i for i in found if i["type"] == "arbitrary_detention"]
    assert detention and names(detention[0]) == {"Aigerim Nurlanova"}
    assert any(i["type"] == "release" and names(i) == {"Aigerim Nurlanova"} for i in found)


def test_case_header_fields_make_a_trial_at_the_court() -> None:
    text = ("Case note: two Baptists convicted in Omsk\n"
            "Court: Kirovsky District Court of Omsk\n"
            "Defendants: Pavel Sokolov (born 1970) and Irina Sokolova (born 1972)\n"
            "Verdict date: 3 April 2024\n"
            "The defendants were given suspended sentences.")
    trials = of_type(text, "trial")
    assert any(names(t) == {"Pavel Sokolov", "Irina Sokolova"}
               and t["facility"] == "Kirovsky District Court of Omsk" for t in trials)
    persons = {p["name"] for p in extract(text).to_interchange()["persons"]}
    assert {"Pavel Sokolov", "Irina Sokolova"} <= persons


def test_a_raid_needs_no_named_victim_and_takes_its_object_as_facility() -> None:
    text = "On Sunday officers searched the homes of four pastors in Wenzhou."
    (inc,) = of_type(text, "other")
    assert inc["place"] == "Wenzhou"
    assert inc["facility"] and inc["facility"].startswith("homes of")


def test_money_is_never_a_victim_group() -> None:
    (inc,) = of_type("The shop owner was fined 5,000 yuan by police in Yining.",
                     "fine_or_extortion")
    assert inc["victims"][0]["count"] == 1


def test_partitive_and_including_name_the_victims() -> None:
    text = ("Police detained fifteen worshippers in Kunming on Sunday. "
            "Four of them, including the pastor, Li Ming, were still held at a detention "
            "centre in Kunming on Friday.")
    held = [i for i in of_type(text, "arbitrary_detention") if i["facility"]]
    assert held
    counts = {v["count"] for v in held[0]["victims"]}
    assert 4 in counts and "Li Ming" in names(held[0])


def test_a_march_from_one_place_to_another_is_one_protest() -> None:
    text = "Hundreds of Tibetans marched from Boudha to the Chinese embassy in Kathmandu on Monday."
    assert len(of_type(text, "protest")) == 1


def test_appeals_and_hypotheticals_are_not_acts() -> None:
    text = ("The group urged the authorities to release Pastor Zhao Wei. "
            "Officers said Chen Lan would be released if she signed a pledge.")
    assert not of_type(text, "release")


def test_in_prison_after_a_sentence_is_not_a_facility() -> None:
    out = extract("Nurlan Abdi was sentenced to ten years in prison in Karamay.").to_interchange()
    assert not [f for f in out["facilities"] if f["name"] == "prison"]


def test_a_facility_known_as_takes_that_name() -> None:
    out = extract("Twenty Baha'is were taken to a detention centre in Mashhad known as "
                  "Ward 4.").to_interchange()
    assert any(f["name"] == "Ward 4" for f in out["facilities"])
