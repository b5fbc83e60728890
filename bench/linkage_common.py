"""Shared helpers for the linkage benchmarks: pair metrics, timing, output."""

from __future__ import annotations

import json
import logging
import resource
import time
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def quiet_splink() -> None:
    """Splink logs every training step at INFO; benchmarks print their own lines."""
    for name in ("splink", "attest.link"):
        logging.getLogger(name).setLevel(logging.ERROR)


@dataclass
class Score:
    name: str
    precision: float
    recall: float
    f1: float
    seconds: float
    predicted: int
    true: int

    def line(self) -> str:
        return (f"{self.name:<34} P={self.precision:.3f} R={self.recall:.3f} "
                f"F1={self.f1:.3f}  pairs={self.predicted:>6}/{self.true:<6} "
                f"time={self.seconds:.1f}s")


def true_pairs(ids_and_entities: Iterable[tuple[str, object]]) -> set[tuple[str, str]]:
    """All record pairs that share an entity, as sorted id tuples."""
    groups: dict[object, list[str]] = defaultdict(list)
    for record_id, entity in ids_and_entities:
        groups[entity].append(record_id)
    return {
        tuple(sorted((a, b)))
        for ids in groups.values()
        for i, a in enumerate(ids)
        for b in ids[i + 1:]
    }


def score(name: str, predicted: set[tuple[str, str]], truth: set[tuple[str, str]],
          seconds: float) -> Score:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(name, precision, recall, f1, seconds, len(predicted), len(truth))


@contextmanager
def timer():
    box = {"seconds": 0.0}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def peak_memory_mb() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=lambda o: asdict(o)) + "\n")
    return path
