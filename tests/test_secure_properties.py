"""Property: protected values never reach a public export, a viewer, or a log line.

Hypothesis generates people with random names and contacts (Latin, Cyrillic,
Chinese and Uyghur letters), at random confidentiality levels, sometimes also
typed into a free-text note by mistake. After each batch, everything a
public reader or a viewer can obtain is searched for every value ever stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from attest.archive import Archive
from attest.errors import AttestError, UsageError
from attest.publish.export import build_export, render
from attest.publish.policy import parse_policy

from .secure_helpers import (
    add_team,
    fast_kdf,  # noqa: F401 - autouse: cheap Argon2 in these tests
    open_as,
)

LETTERS = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + list("ДЖЯЁФЩ") + list("艾合买提") + list("ئۇيغر")
protected_value = st.text(alphabet=st.sampled_from(LETTERS), min_size=6, max_size=24)
person = st.fixed_dictionaries(
    {
        "name": protected_value,
        "contact": protected_value,
        "level": st.sampled_from(["public", "restricted", "confidential"]),
        "protected_level": st.sampled_from(["restricted", "confidential"]),
        "place": st.sampled_from(["Urumqi", "Ghulja", "Kashgar"]),
        "leak_into_note": st.booleans(),
    }
)
PUBLIC_POLICY = parse_policy(
    {
        "name": "public",
        "max_level": "public",
        "k": 1,
        "records": {
            "source": {"fields": ["kind", "place", "note", "name", "contact"], "pseudonymize": ["id", "name"]}
        },
    }
)


class World:
    def __init__(self, admin: Archive, viewer: Archive) -> None:
        self.admin = admin
        self.viewer = viewer
        self.values: list[str] = []
        self.typed_into_notes: set[str] = set()


@pytest.fixture
def world(archive: Archive, archive_path: Path) -> Iterator[World]:
    add_team(archive)
    viewer = open_as(archive_path, "vera")
    try:
        yield World(archive, viewer)
    finally:
        viewer.close()


def _store(world: World, people: list[dict]) -> list[int]:
    ids = []
    for p in people:
        level = "confidential" if p["level"] == "confidential" else p["protected_level"]
        protected = {"name": p["name"], "contact": p["contact"]}
        world.values += [p["name"], p["contact"]]
        if p["leak_into_note"]:  # copying a protected value into a shared attribute is refused
            with pytest.raises(UsageError, match="repeats the protected"):
                world.admin.sources.add(
                    "person",
                    level=p["level"],
                    protected=protected,
                    protected_level=level,
                    attributes={"note": f"spoke with {p['name']} last week"},
                )
            # The same name typed into *another* record's public note is scrubbed from exports; a
            # viewer still sees that note (their keys cannot decrypt the names to scrub): a documented limit.
            world.admin.sources.add("organization", level="public", attributes={"note": f"met {p['name']}"})
            world.typed_into_notes.add(p["name"])
        ids.append(
            world.admin.sources.add(
                "person",
                level=p["level"],
                attributes={"place": p["place"]},
                protected=protected,
                protected_level=level,
            )
        )
    return ids


def _viewer_sees(world: World, ids: list[int]) -> str:
    """Everything the viewer's service calls return, errors included, as one string."""
    seen: list[object] = []
    viewer = world.viewer
    seen.append([s.model_dump() for s in viewer.sources.list(reveal=True)])
    seen.append(viewer.protected.for_records("source", ids))
    for source_id in ids:
        for call in (
            lambda i=source_id: viewer.sources.get(i, reveal=True).model_dump(),
            lambda i=source_id: viewer.protected.get("source", i, "name"),
            lambda i=source_id: viewer.protected.fields("source", i),
        ):
            try:
                seen.append(call())
            except AttestError as exc:
                seen.append(str(exc))
    return json.dumps(seen, ensure_ascii=False, default=str)


def _assert_absent(values: list[str], where: str, text: str) -> None:
    for value in values:
        assert value not in text, f"protected value {value!r} leaked into {where}"


# One archive serves every example (unlocking costs an Argon2 run), so state accumulates and
# shrinking would not give a smaller case: it is switched off.
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(people=st.lists(person, min_size=1, max_size=4))
def test_protected_values_do_not_leak(
    world: World, people: list[dict], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ids = _store(world, people)
    export = build_export(world.admin, PUBLIC_POLICY)
    for fmt in ("json", "csv"):
        _assert_absent(world.values, f"a public {fmt} export", render(export, fmt).decode("utf-8"))
    structured = [v for v in world.values if v not in world.typed_into_notes]
    _assert_absent(structured, "a viewer's service responses", _viewer_sees(world, ids))
    events = json.dumps([e.model_dump() for e in world.admin.audit.events()], ensure_ascii=False)
    _assert_absent(world.values, "the audit log", events)
    _assert_absent(world.values, "log output", caplog.text)
    # and the admin can still read every value back (the test would pass vacuously otherwise)
    revealed = json.dumps([s.model_dump() for s in world.admin.sources.list(reveal=True)], ensure_ascii=False)
    assert all(v in revealed for v in world.values)


@settings(max_examples=25, deadline=None)
@given(value=st.text(min_size=1, max_size=200), context=st.text(max_size=40))
def test_seal_round_trip_and_context_binding(value: str, context: str) -> None:
    import os

    from attest.secure.crypto import TamperedData, seal, unseal

    key = os.urandom(32)
    blob = seal(key, value.encode("utf-8"), context)
    assert unseal(key, blob, context).decode("utf-8") == value
    with pytest.raises(TamperedData):
        unseal(key, blob, context + "|moved")
    with pytest.raises(TamperedData):
        unseal(key, blob[:-1] + bytes([blob[-1] ^ 1]), context)
