"""A machine proposal: what extraction hands to the archive.

Extraction never writes facts; it proposes. Each proposal points at the span
of the clean text it came from, so a reviewer can see it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Proposal:
    """One proposed entity, claim, incident or amount, tied to a text span.

    kind: "person", "organization", "place", "facility", "group", "claim",
    "incident" or "amount". label: a finer type (a role, a place kind, a
    violation type, a currency). start/end: character offsets into the clean
    text. data: the interchange item for this proposal (CONVENTIONS shape).
    """

    kind: str
    label: str | None
    start: int
    end: int
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.5
