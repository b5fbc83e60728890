"""Attribution: speaker, channel, cue and content span of each claim."""

from __future__ import annotations

import pytest

from attest.extract import extract
from attest.extract.nlp import get_nlp


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


def claims(text: str) -> list[dict]:
    return extract(text).to_interchange()["claims"]


def one(text: str) -> dict:
    found = claims(text)
    assert len(found) == 1, found
    return found[0]


# (text, speaker, via, cue, content opens with)
CASES = [
    ("Amnesty International said that the pastor was beaten in custody.",
     "Amnesty International", None, "said", "the pastor was beaten in custody"),
    ("The monks were taken to a police station, Human Rights Watch said.",
     "Human Rights Watch", None, "said", "The monks were taken to a police station"),
    ('Maria Lopez said: "They broke the door and took my husband away."',
     "Maria Lopez", None, "said", "They broke the door and took my husband away"),
    ('"We do not know where he is," Gulnar Tursun told Radio Free Asia.',
     "Gulnar Tursun", "Radio Free Asia", "told", "We do not know where he is"),
    ("According to a former detainee, the guards beat prisoners every night.",
     "a former detainee", None, "according to", "the guards beat prisoners every night"),
    ("Local officials denied that anyone had been punished for their faith.",
     "Local officials", None, "denied", "anyone had been punished for their faith"),
    ("Villagers believe the church was demolished on orders from the county.",
     "Villagers", None, "believe", "the church was demolished on orders"),
    ("The Daily Ledger reported protests by farmers in three provinces.",
     "Daily Ledger", None, "reported", "protests by farmers in three provinces"),
]


@pytest.mark.parametrize("text,speaker,via,cue,content", CASES)
def test_single_claims(text: str, speaker: str, via: str | None, cue: str,
                       content: str) -> None:
    c = one(text)
    assert c["speaker"] == speaker
    assert c["via"] == via
    assert c["cue"] == cue
    assert c["quote_start"].startswith(content.split()[0])
    assert content in text[c["start"]:c["end"]]


def test_said_in_an_outlet_and_a_commentary_are_channels() -> None:
    c = one('"The camps are prisons," Ahmet Kaya, an activist, said in Frontline Weekly.')
    assert (c["speaker"], c["via"]) == ("Ahmet Kaya", "Frontline Weekly")
    c = one("In an essay published by the Harbor Legal Foundation, Olga Petrova wrote that "
            "the law is used against believers.")
    assert c["via"] == "essay published by the Harbor Legal Foundation"
    assert c["quote_start"].startswith("the law is used")


def test_the_report_and_the_group_resolve_to_the_last_organisation() -> None:
    text = ("Steppe Watch is a monitoring group based in Almaty.\n"
            "The group said its researchers had interviewed twelve families.\n"
            'The report said "the families were warned not to speak to journalists."')
    found = claims(text)
    assert [c["speaker"] for c in found] == ["Steppe Watch", "Steppe Watch"]
    assert found[1]["via"] == "Steppe Watch report"


def test_nested_source_is_a_separate_linked_claim() -> None:
    text = ('"According to a neighbour, the police came at dawn and searched the house," '
            "Conscience Aid said.")
    found = claims(text)
    outer = next(c for c in found if c["speaker"] == "Conscience Aid")
    inner = next(c for c in found if c["cue"] == "according to")
    assert inner["speaker"] == "a neighbour"
    assert inner["via"] == "Conscience Aid"
    assert inner["parent"] == found.index(outer)
    assert inner["quote_start"].startswith("the police came at dawn")


def test_quote_over_paragraphs_is_one_claim_per_paragraph() -> None:
    text = ('"They kept us awake for days. Some of us fainted.\n'
            '"Then they moved us to another camp," the witness said.\n'
            '"Nobody was told why."')
    found = claims(text)
    assert [c["quote_start"].split()[0] for c in found] == ["They", "Then", "Nobody"]
    assert {c["speaker"] for c in found} == {"the witness"}


def test_reportedly_has_no_speaker() -> None:
    c = one("The pastor was reportedly moved to a prison in Guiyang.")
    assert c["speaker"] is None and c["cue"] == "reportedly"


def test_narrative_without_cue_is_not_a_claim() -> None:
    assert claims("Police detained 20 worshippers in Kashgar on Sunday.") == []
