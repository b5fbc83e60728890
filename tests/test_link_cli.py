"""The match-names command, on a small Typer app as the main CLI will mount it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from attest.cli.link import register


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:  # a group, like the real CLI
        pass

    register(app)
    return app


runner = CliRunner()


def test_match_names_prints_keys_and_probability(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match-names", "Ilham Tohti", "伊力哈木·土赫提"])
    assert result.exit_code == 0, result.output
    assert "TKT VLKM" in result.output
    assert "ilham toxti" in result.output
    assert "Probability same person" in result.output


def test_match_names_json(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match-names", "Sayragul Sauytbay", "Сайрагүл Сауытбай", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["probability"] > 0.9
    assert data["b"]["scripts"] == ["Cyrl"]
    assert data["evidence"]


def test_pairs_file_gives_one_line_per_pair_in_order(app: typer.Typer, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    rows = [
        {"a": "Ilham Tohti", "b": "ئىلھام توختى", "id": 1},
        {"a": "Ilham Tohti", "b": "Enver Tohti", "id": 2},
        {"a": "王小明", "b": "Wang Xiaoming", "id": 3},
    ]
    pairs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["match-names", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [1, 2, 3]
    assert lines[0]["probability"] > 0.9 > lines[1]["probability"]
    assert all("evidence" in line for line in lines)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"a": "x", "b": "y"}\nnot json\n', ":2: not valid JSON"),
        ('{"a": "x", "b": "y"}\n{"a": "x"}\n', ':2: field "b" missing'),
        ('["a", "b"]\n', ":1: expected a JSON object"),
    ],
)
def test_malformed_pairs_file_names_the_line_and_exits_2(
    app: typer.Typer, tmp_path: Path, content: str, message: str
) -> None:
    pairs = tmp_path / "bad.jsonl"
    pairs.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["match-names", "--pairs", str(pairs)])
    assert result.exit_code == 2
    assert message in result.output
    assert "probability" not in result.stdout


def test_missing_pairs_file_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["match-names", "--pairs", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_one_name_only_is_an_error(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match-names", "Ilham Tohti"])
    assert result.exit_code == 2
