"""The linkage commands end to end: import lists, link with Splink, judge, split, labels."""

from __future__ import annotations

import json
from pathlib import Path

from attest.archive import Archive
from tests.conftest import PASSPHRASE

LISTS = Path(__file__).parent / "fixtures" / "lists"


def test_import_link_judge_split(cli, archive_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    Archive.create(archive_path, PASSPHRASE).close()
    a = ("--archive", archive_path)
    done = cli(*a, "import-list", LISTS / "camp_list_a.csv", "--name", "camp")
    assert done.code == 0 and "imported list 1 'camp': 10 persons" in done.out
    assert cli(*a, "import-list", LISTS / "relatives_list_b.csv").code == 0
    conf = LISTS / "uyghur_list_c.yaml"
    assert cli(*a, "import-list", LISTS / "uyghur_list_c.csv", "--config", conf).code == 0

    run = cli(*a, "--json", "link")
    assert run.code == 0, run.err
    stats = json.loads(run.out)
    assert stats["records"] == 21 and stats["candidates"] >= 8 and stats["labels"] == 0

    queue = json.loads(cli(*a, "--json", "link", "queue", "--limit", "50").out)
    items = queue["items"]
    distance = [round(abs(i["probability"] - 0.5), 3) for i in items]
    assert distance == sorted(distance)
    by_names = {frozenset((i["a"]["name"], i["b"]["name"])): i for i in items}
    # cross-script pairs the lists share are proposed, each explained
    gulnisa = by_names[frozenset(("Gulnisa Memet", "古丽尼沙·买买提"))]
    assert gulnisa["probability"] > 0.8 and "name:" in gulnisa["evidence"]
    assert gulnisa["a"]["list"]["name"] == "camp" and gulnisa["b"]["list"]["name"] == "relatives_list_b"
    assert frozenset(("Ablikim Yasin", "ئابلىكىم ياسىن")) in by_names

    pair = gulnisa["id"]
    judged = cli(*a, "link", "judge", str(pair), "same", "--note", "same hometown and age")
    assert judged.code == 0 and "merge 1" in judged.out
    other = by_names[frozenset(("Ablikim Yasin", "ئابلىكىم ياسىن"))]["id"]
    assert cli(*a, "link", "judge", str(other), "different").code == 0
    clusters = json.loads(cli(*a, "--json", "link", "clusters").out)
    assert [sorted(m["name"] for m in c["members"]) for c in clusters["clusters"]] == [
        ["Gulnisa Memet", "古丽尼沙·买买提"]
    ]
    labels = json.loads(cli(*a, "link", "labels", "--json").out)
    assert {(lab["pair_id"], lab["decision"], lab["clerical_match_score"]) for lab in labels} == {
        (pair, "same", 1.0),
        (other, "different", 0.0),
    }

    # a second run keeps both judged pairs as they were and learns from them
    rerun = json.loads(cli(*a, "--json", "link").out)
    assert rerun["labels"] == 2
    queue2 = json.loads(cli(*a, "--json", "link", "queue", "--limit", "50").out)
    assert {pair, other}.isdisjoint(i["id"] for i in queue2["items"])
    assert queue2["total"] == queue["total"] - 2

    split = cli(*a, "link", "split", "1")
    assert split.code == 0 and f"pair {pair} now judged unsure" in split.out
    assert json.loads(cli(*a, "--json", "link", "clusters").out)["clusters"] == []
    again = cli(*a, "link", "split", "1")
    assert again.code == 2 and "already split" in again.err


def test_bad_lists_exit_2_and_name_the_place(cli, archive_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    Archive.create(archive_path, PASSPHRASE).close()
    a = ("--archive", archive_path)
    missing = cli(*a, "import-list", tmp_path / "nope.csv")
    assert missing.code == 2 and "nope.csv: no such file" in missing.err
    bad = tmp_path / "bad.csv"
    bad.write_text("name,born\nAygul Rozi,1990\n,1971\n", encoding="utf-8")
    no_name = cli(*a, "import-list", bad)
    assert no_name.code == 2 and "bad.csv:3: row without a name" in no_name.err
    conf = tmp_path / "map.yaml"
    conf.write_text("columns:\n  name: Full name\n", encoding="utf-8")
    wrong = cli(*a, "import-list", bad, "--config", conf)
    assert wrong.code == 2 and "map.yaml: column 'Full name' (for name) is not in the header" in wrong.err
    judge = cli(*a, "link", "judge", "7", "maybe")
    assert judge.code == 2 and "decision must be one of same, different, unsure" in judge.err
    assert cli(*a, "--json", "link", "queue").out.strip().startswith("{")
