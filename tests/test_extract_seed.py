"""The seed report scores at the project's targets; the evaluator agrees with
the shared scorer. Skipped where ../shared is absent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from attest.extract import evaluate
from attest.extract.nlp import get_nlp

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED = "000_3fec5d57c772f8e3"


@pytest.fixture(scope="session", autouse=True)
def nlp():
    return get_nlp()


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    if not (SEEDS / f"{SEED}.txt").exists():
        pytest.skip("../shared/seeds is not present on this machine")
    for suffix in (".txt", ".gold.json"):
        shutil.copy(SEEDS / f"{SEED}{suffix}", tmp_path / f"{SEED}{suffix}")
    return tmp_path


def test_seed_meets_targets(seed_dir: Path) -> None:
    result = evaluate.evaluate_dir(seed_dir)
    f = result.fields
    assert f["persons"].f1 >= 0.9
    assert f["organizations"].f1 >= 0.8
    assert f["claims"].f1 >= 0.8 and result.speaker_accuracy >= 0.8
    assert f["incidents"].f1 >= 0.7
    assert f["amounts"].f1 == 1.0
    assert "claim speaker accuracy" in result.format_table()


def test_scoring_rules_match_the_shared_scorer(seed_dir: Path) -> None:
    scorer = SEEDS.parent / "tools" / "score_extraction.py"
    if not scorer.exists():
        pytest.skip("shared scorer absent")
    import importlib.util

    spec = importlib.util.spec_from_file_location("shared_scorer", scorer)
    assert spec and spec.loader
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    gold = json.loads((seed_dir / f"{SEED}.gold.json").read_text())
    pred = evaluate.predict_texts([(seed_dir / f"{SEED}.txt").read_text()])[0]
    # perturb the prediction so that the scores are not all perfect
    pred["claims"] = pred["claims"][::2]
    pred["persons"] = pred["persons"] + [{"name": "Nobody Atall", "aliases": []}]
    rows, spk = shared.score([(gold, pred)])
    ours = evaluate.score([(gold, pred)])
    for name, (p, r, f1, m, g, n) in rows.items():
        s = ours.fields[name]
        assert (s.precision, s.recall, s.f1, s.matched, s.gold, s.predicted) == (
            pytest.approx(p), pytest.approx(r), pytest.approx(f1), m, g, n)
    assert ours.speaker_accuracy == pytest.approx(spk)
