"""The vocabularies: one file, and every part of attest keeps to it."""

from __future__ import annotations

from attest.extract import vocab
from attest.model.vocabularies import terms, vocabularies


def test_conventions_vocabularies_are_loaded() -> None:
    assert set(vocabularies()) == {"person", "place", "facility", "incident"}
    assert "arbitrary_detention" in terms("incident", "type")
    assert terms("person", "role")[-1] == "other"


def test_extraction_uses_only_known_terms() -> None:
    assert set(vocab.violation_types()) <= set(terms("incident", "type"))
    assert {kind for kind, _ in vocab.facility_kinds()} <= set(terms("facility", "kind"))
    assert set(vocab.load("people")["roles"]) <= set(terms("person", "role"))
