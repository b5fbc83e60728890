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
