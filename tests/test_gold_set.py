"""Checks that the hand-annotated gold sets keep to CONVENTIONS.md.

Four sets are checked the same way: the development set in eval/gold/ and the
three held-out sets in eval/heldout/, eval/heldout2/ and eval/heldout3/, which
the extraction rules were never developed against.

The gold files are written by hand, so the mistakes they invite are typing
mistakes: a quote_start that no longer matches the text after an edit, a role
outside the vocabulary, an incident pointing at a place that is not listed.
These tests catch those before the scorer silently under-counts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from attest.model.vocabularies import terms

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
# folder name -> the least number of reports the set must hold
GOLD_SETS = {"gold": 12, "heldout": 7, "heldout2": 7, "heldout3": 6}

FIELDS = {
    "url",
    "persons",
    "organizations",
    "places",
    "facilities",
    "incidents",
    "claims",
    "amounts",
    "boilerplate_lines",
}
ROLES = set(terms("person", "role"))
PLACE_KINDS = set(terms("place", "kind"))
FACILITY_KINDS = set(terms("facility", "kind"))
INCIDENT_TYPES = set(terms("incident", "type"))

TEXTS = sorted(txt for name in GOLD_SETS for txt in (EVAL_DIR / name).glob("*.txt"))


def _id(txt: Path) -> str:
    return f"{txt.parent.name}/{txt.stem}"


def _load(txt: Path) -> tuple[str, dict]:
    gold_path = txt.with_name(txt.stem + ".gold.json")
    return txt.read_text(encoding="utf-8"), json.loads(gold_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(GOLD_SETS))
def test_set_is_complete(name: str):
    folder = EVAL_DIR / name
    texts = sorted(folder.glob("*.txt"))
    assert len(texts) >= GOLD_SETS[name]
    golds = sorted(folder.glob("*.gold.json"))
    assert [g.name.removesuffix(".gold.json") for g in golds] == [t.stem for t in texts]
    for txt in texts:
        assert re.fullmatch(r"\d{3}_[a-z0-9_]+", txt.stem), txt.name


def test_sets_do_not_share_reports():
    stems = [txt.stem for txt in TEXTS]
    numbers = [stem[:3] for stem in stems]
    assert len(set(stems)) == len(stems)
    assert len(set(numbers)) == len(numbers), "report numbers are unique across the sets"


@pytest.mark.parametrize("txt", TEXTS, ids=_id)
def test_shape_and_vocabularies(txt: Path):
    text, gold = _load(txt)
    assert set(gold) == FIELDS
    assert gold["url"] == f"gold:{txt.stem}"
    assert 200 <= len(text.split()) <= 500

    names = set()
    for person in gold["persons"]:
        assert set(person) == {"name", "role", "aliases"}
        assert person["role"] in ROLES, person
        assert isinstance(person["aliases"], list)
        for form in [person["name"], *person["aliases"]]:
            assert form in text, f"person form not in text: {form!r}"
            names.add(form)

    for org in gold["organizations"]:
        assert isinstance(org, str) and org in text, org
    assert len(set(gold["organizations"])) == len(gold["organizations"])

    places = set()
    for place in gold["places"]:
        assert set(place) == {"name", "kind"}
        assert place["kind"] in PLACE_KINDS, place
        assert place["name"] in text, place
        places.add(place["name"])
    assert len(places) == len(gold["places"])

    facilities = set()
    for fac in gold["facilities"]:
        assert set(fac) == {"name", "kind", "place"}
        assert fac["kind"] in FACILITY_KINDS, fac
        assert fac["name"] in text, fac
        assert fac["place"] is None or fac["place"] in places, fac
        facilities.add(fac["name"])

    for inc in gold["incidents"]:
        assert set(inc) == {"type", "victims", "place", "facility", "date"}
        assert inc["type"] in INCIDENT_TYPES, inc
        assert inc["place"] is None or inc["place"] in places, inc
        assert inc["facility"] is None or inc["facility"] in facilities, inc
        assert inc["date"] is None or inc["date"] in text, inc
        assert inc["victims"], inc
        for victim in inc["victims"]:
            assert set(victim) == {"name", "count", "group"}
            if victim["name"] is not None:
                assert victim["name"] in names, victim
                assert victim["count"] is None
            else:
                assert victim["count"] is None or (isinstance(victim["count"], int) and victim["count"] > 0)
                assert victim["group"]


@pytest.mark.parametrize("txt", TEXTS, ids=_id)
def test_claims_point_into_the_text(txt: Path):
    text, gold = _load(txt)
    for claim in gold["claims"]:
        assert set(claim) == {"speaker", "via", "cue", "quote_start"}
        start = claim["quote_start"]
        assert start in text, f"quote_start not in text: {start!r}"
        assert 1 <= len(start.split()) <= 12, start
        assert claim["cue"] and claim["cue"].lower() in text.lower(), claim
        assert claim["speaker"] is None or claim["speaker"].strip()


@pytest.mark.parametrize("txt", TEXTS, ids=_id)
def test_amounts_and_boilerplate(txt: Path):
    text, gold = _load(txt)
    for amount in gold["amounts"]:
        assert set(amount) == {"text", "value", "currency"}
        assert amount["text"] in text, amount
        assert isinstance(amount["value"], (int, float)) and amount["value"] > 0
        assert re.fullmatch(r"[A-Z]{3}", amount["currency"]), amount

    lines = {line.strip() for line in text.splitlines()}
    boiler = gold["boilerplate_lines"]
    assert len(set(boiler)) == len(boiler), "boilerplate lines are listed once each"
    for line in boiler:
        assert line in lines, f"not a whole line of the text: {line!r}"
