"""Smoke tests: each linkage benchmark runs in its quick mode and prints its figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load(name: str) -> ModuleType:
    import sys

    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_febrl_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert load("linkage_febrl").main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "Splink FEBRL example" in out and "attest link_persons" in out
    assert "at least as accurate" in out


def test_crossscript_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert load("linkage_crossscript").main(["--quick", "--persons", "150"]) == 0
    out = capsys.readouterr().out
    assert "cross-script keys" in out and "plain names" in out and "F1=" in out


def test_scale_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert load("linkage_scale").main(["--quick", "--records", "3000"]) == 0
    out = capsys.readouterr().out
    assert "peak memory" in out and "3,000 records" in out


def test_wide_name_space_has_rare_names_and_namesakes() -> None:
    import importlib
    import sys

    sys.path.insert(0, str(BENCH))
    data = importlib.import_module("linkage_data")  # dataclasses need it in sys.modules
    import random

    def names(space: str) -> int:
        rng = random.Random(3)
        return len({repr(data.make_person(i, rng, space).parts) for i in range(20_000)})

    small, wide = names("small"), names("wide")
    assert 1.5 * small < wide < 20_000  # wider, and namesakes remain
    assert data.generate_records(50, seed=3, names="wide")[0]["name"]
    with pytest.raises(ValueError):
        data.generate_records(10, names="huge")


def test_rare_name_keys_block_without_birth_year() -> None:
    import pandas as pd

    from attest.link.linkage import add_rare_keys, blocking_rules

    frame = add_rare_keys(pd.DataFrame({"name_sk": ["A"] * 3 + ["B"], "name_sk_loose": ["A"] * 4}), limit=2)
    assert frame["name_sk_rare"].tolist()[3] == "B" and frame["name_sk_rare"].isna().sum() == 3
    rules = blocking_rules({"name_sk_rare"}, large=True)
    assert rules[0] == "l.name_sk_rare = r.name_sk_rare"
    assert not any("rare" in rule for rule in blocking_rules({"name_sk_rare"}))
