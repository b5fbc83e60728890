"""Attribution rules added for speakers and cue shapes."""

from __future__ import annotations

import pytest

from attest.extract import extract
from attest.extract.nlp import get_nlp


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


def claims(text: str) -> list[dict]:
    return extract(text).to_interchange()["claims"]


def test_sentence_final_according_to_covers_the_whole_sentence() -> None:
    text = ("Police in Kunming detained eleven members of a house church on Sunday, "
            "according to relatives abroad.")
    (c,) = claims(text)
    assert c["quote_start"].startswith("Police in Kunming detained")
    assert c["speaker"] == "relatives abroad"


def test_wire_dateline_is_not_claim_content() -> None:
    text = ("ALMATY, March 3 (Steppe Wire) - Two imams were detained in Ghulja last week, "
            "according to a rights group.")
    (c,) = claims(text)
    assert c["quote_start"].startswith("Two imams were detained")


def test_named_apposition_is_the_speaker() -> None:
    text = "Her lawyer, Dinara Utepova, said the fine was unlawful."
    (c,) = claims(text)
    assert c["speaker"] == "Dinara Utepova"


def test_quoted_as_saying_and_participle_cues_take_the_governing_subject() -> None:
    text = ("A former guard was quoted as saying that the cells held forty people. "
            "The ministry rejected the report, saying that all detainees were treated well.")
    found = {c["quote_start"].split()[1]: c for c in claims(text)}
    assert found["cells"]["speaker"] == "A former guard"
    assert found["detainees"]["speaker"] == "The ministry"


def test_he_said_is_the_person_who_spoke_last_in_the_paragraph() -> None:
    text = ("Police told the family that Erlan Serik had died of a stroke, according to "
            "Nurlan Serik. He said his brother had been healthy.")
    last = claims(text)[-1]
    assert last["quote_start"].startswith("his brother")
    assert last["speaker"] == "Nurlan Serik"


def test_i_believe_in_a_testimony_is_the_teller() -> None:
    text = ("Testimony of Sonam Wangmo, given in Kathmandu\n"
            "My brother was taken away in 2020. I believe he is in a prison near Shigatse.")
    (c,) = [c for c in claims(text) if c["cue"] == "believe"]
    assert c["speaker"] == "Sonam Wangmo"


def test_consider_and_dismiss_are_stance_cues() -> None:
    text = ("Our researchers consider the verdict a violation of religious freedom. "
            "The embassy dismissed the allegations as slander.")
    cues = {c["cue"] for c in claims(text)}
    assert {"consider", "dismissed"} <= cues
