"""Do two names denote the same person, judging by the names alone?

The answer is a probability, not a similarity: a logistic model over a few
features of the best alignment of the two names' parts (shared skeletons,
spelling similarity, extra parts, how informative the name is). Its
coefficients live in ``data/name_model.yaml`` and are fitted by
``bench/linkage_name_calibration.py`` on labelled name pairs; the file records
how. Every result carries a sentence of evidence a reviewer can check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import jellyfish
import yaml

from attest.link.names import NameKeys, name_keys, token_skeleton
from attest.link.tables import DATA

FEATURES = (
    "strict",
    "loose",
    "spelling",
    "worst_spelling",
    "worst_skeleton",
    "exact",
    "extra_parts",
    "information",
)

SCRIPT_NAMES = {
    "Latn": "Latin",
    "Arab": "Arabic",
    "Cyrl": "Cyrillic",
    "Hani": "Chinese",
    "Tibt": "Tibetan",
    "Zyyy": "other",
}


@dataclass(frozen=True)
class Alignment:
    """Best pairing of the parts of two readings and the features it yields."""

    pairs: tuple[tuple[str, str], ...]
    features: dict[str, float]
    swapped: bool


@dataclass(frozen=True)
class NameMatch:
    """Keys of both names, the probability they name one person, and why."""

    a: NameKeys
    b: NameKeys
    probability: float
    evidence: str
    features: dict[str, float]

    def as_dict(self) -> dict[str, object]:
        return {
            "a": self.a.as_dict(),
            "b": self.b.as_dict(),
            "probability": round(self.probability, 4),
            "evidence": self.evidence,
            "features": {k: round(v, 4) for k, v in self.features.items()},
        }


@cache
def model() -> dict[str, float]:
    """Intercept and feature weights of the calibrated logistic model."""
    data = yaml.safe_load((DATA / "name_model.yaml").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in data["coefficients"].items()}


def _token_score(x: str, y: str) -> float:
    if token_skeleton(x) == token_skeleton(y):
        return 1.0 + jellyfish.jaro_winkler_similarity(x, y)
    if token_skeleton(x, True) == token_skeleton(y, True):
        return 0.9 + jellyfish.jaro_winkler_similarity(x, y)
    return jellyfish.jaro_winkler_similarity(x, y)


def _skeleton_distance(x: str, y: str) -> float:
    """Edit distance between the skeletons of two parts, relative to the longer."""
    best = 1.0
    for loose in (False, True):
        sx, sy = token_skeleton(x, loose), token_skeleton(y, loose)
        best = min(best, jellyfish.levenshtein_distance(sx, sy) / max(len(sx), len(sy)))
    return best


def align(ra: tuple[str, ...], rb: tuple[str, ...]) -> Alignment:
    """Greedy one-to-one pairing of name parts, best-scoring pairs first."""
    scored = sorted(
        ((_token_score(x, y), i, j) for i, x in enumerate(ra) for j, y in enumerate(rb)),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for _, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            chosen.append((i, j))
    chosen.sort()
    longest = max(len(ra), len(rb), 1)
    strict = sum(token_skeleton(ra[i]) == token_skeleton(rb[j]) for i, j in chosen)
    loose = sum(token_skeleton(ra[i], True) == token_skeleton(rb[j], True) for i, j in chosen)
    spelling = sum(jellyfish.jaro_winkler_similarity(ra[i], rb[j]) for i, j in chosen)
    informative = sum(
        len(token_skeleton(ra[i])) for i, j in chosen if token_skeleton(ra[i]) == token_skeleton(rb[j])
    )
    worst_spelling = min(
        (jellyfish.jaro_winkler_similarity(ra[i], rb[j]) for i, j in chosen), default=0.0
    )
    worst_skeleton = max((_skeleton_distance(ra[i], rb[j]) for i, j in chosen), default=1.0)
    features = {
        "strict": strict / longest,
        "loose": loose / longest,
        "spelling": spelling / longest,
        "worst_spelling": worst_spelling,
        "worst_skeleton": worst_skeleton,
        "exact": float(sorted(ra) == sorted(rb) and bool(ra)),
        "extra_parts": float(abs(len(ra) - len(rb))),
        "information": min(informative, 8) / 8,
    }
    swapped = [j for _, j in chosen] != sorted(j for _, j in chosen)
    return Alignment(tuple((ra[i], rb[j]) for i, j in chosen), features, swapped)


def probability(features: dict[str, float]) -> float:
    coef = model()
    z = coef["intercept"] + sum(coef[f] * features[f] for f in FEATURES)
    return 1.0 / (1.0 + math.exp(-z))


def _describe(keys: NameKeys) -> str:
    scripts = "/".join(SCRIPT_NAMES.get(s, s) for s in keys.scripts) or "empty"
    return f"{scripts} '{keys.original}' reads '{keys.latin}'"


def explain(a: NameKeys, b: NameKeys, best: Alignment, p: float) -> str:
    """One sentence a reviewer can check against the two names."""
    f = best.features
    parts = [f"{_describe(a)}; {_describe(b)}."]
    if f["exact"]:
        parts.append("Same name parts after reading both scripts")
    else:
        shared = [x for x, y in best.pairs if token_skeleton(x) == token_skeleton(y)]
        loose = [
            x for x, y in best.pairs
            if token_skeleton(x) != token_skeleton(y)
            and token_skeleton(x, True) == token_skeleton(y, True)
        ]
        total = max(len(a.tokens), len(b.tokens), 1)
        if shared:
            skel = ", ".join(token_skeleton(x) for x in shared)
            parts.append(f"{len(shared)} of {total} parts share a sound skeleton ({skel})")
        if loose:
            parts.append(f"{len(loose)} more agree once h/kh/x are ignored")
        if not shared and not loose:
            parts.append("No part shares a sound skeleton")
        parts.append(f"spelling similarity {f['spelling']:.2f}")
    if best.swapped:
        parts.append("name order swapped")
    if f["extra_parts"]:
        parts.append(f"{int(f['extra_parts'])} part(s) present in only one name")
    return f"{parts[0]} {'; '.join(parts[1:])} -> probability {p:.2f}."


def match_names(a: str, b: str) -> NameMatch:
    """Probability that names ``a`` and ``b`` denote one person, with evidence."""
    ka, kb = name_keys(a), name_keys(b)
    if not ka.tokens or not kb.tokens:
        empty = dict.fromkeys(FEATURES, 0.0)
        return NameMatch(ka, kb, 0.0, "One of the names is empty -> probability 0.00.", empty)
    best: Alignment | None = None
    best_p = -1.0
    for ra in ka.readings:
        for rb in kb.readings:
            candidate = align(ra, rb)
            p = probability(candidate.features)
            if p > best_p:
                best, best_p = candidate, p
    assert best is not None
    return NameMatch(ka, kb, best_p, explain(ka, kb, best, best_p), best.features)
