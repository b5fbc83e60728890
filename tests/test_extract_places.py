"""Place kinds, countries and coordinates from the gazetteer and name suffixes."""

from __future__ import annotations

import pytest

from attest.extract import places

CASES = [
    ("China", "country", "CN"),
    ("Xinjiang", "region", "CN"),
    ("Xinjiang Uyghur Autonomous Region", "region", "CN"),
    ("Beitun District", "district", "CN"),
    ("Wuhou District", "district", "CN"),
    ("Sertar County", "district", "CN"),
    ("Henan Province", "region", "CN"),
    ("New York", "city", "US"),
    ("Istanbul", "city", "TR"),
    ("Urumqi", "city", "CN"),
    ("U.S.", "country", "US"),
    ("Texas", "region", "US"),
    ("Istiklal Street", "street", None),
    ("East Turkistan", "other", None),
]


@pytest.mark.parametrize("name,kind,country", CASES)
def test_resolve(name: str, kind: str, country: str | None) -> None:
    got_kind, info = places.resolve(name)
    assert got_kind == kind
    assert (info.country if info else None) == country


def test_hand_compiled_places_have_coordinates_and_source() -> None:
    _, info = places.resolve("Beitun District")
    assert info is not None and info.source == "hand-compiled"
    assert 40 < info.lat < 50 and 80 < info.lon < 95
