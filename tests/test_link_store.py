"""Lists, candidates, judgements and merges in the archive (no Splink: candidates stored by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from attest.archive import Archive
from attest.archive.records import table_for
from attest.link.lists import ListFileError
from attest.link.store import LinkStore, clusters_of, link_judgements, list_rows, source_lists
from attest.secure.roles import PermissionDenied
from attest.service import linkage
from tests.e2e.support import add_users

LISTS = Path(__file__).parent / "fixtures" / "lists"
store = LinkStore()


def counts(archive: Archive) -> tuple[int, int, int]:
    with archive.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(source_lists)).scalar_one(),
            conn.execute(select(func.count()).select_from(list_rows)).scalar_one(),
            conn.execute(select(func.count()).select_from(table_for("person"))).scalar_one(),
        )


def test_import_keeps_list_and_row_of_every_person(archive: Archive) -> None:
    user = archive.current_user()
    result = linkage.import_list(archive, user, LISTS / "relatives_list_b.csv", name="relatives")
    assert result.rows == 7 and result.columns["name"] == "姓名" and result.columns["age"] == "年龄"
    with archive.engine.connect() as conn:
        listed = store.lists(conn)[0]
        rows = store.rows_of(conn, result.person_ids)
        person = conn.execute(
            select(table_for("person")).where(table_for("person").c.id == result.person_ids[0])
        ).one()
    assert listed["name"] == "relatives" and listed["row_count"] == 7 and len(listed["sha256"]) == 64
    assert listed["imported_by"] == "owner"
    # line numbers of the file (header is line 1), and the list's name on each row
    assert [rows[p]["row_number"] for p in result.person_ids] == list(range(2, 9))
    assert {r["list_name"] for r in rows.values()} == {"relatives"}
    # age 43 in a row dated 2018 -> born 1975, marked as derived
    assert person.name == "阿不都热依木·吐尔逊" and person.data["birth_year"] == "1975"
    assert person.data["birth_year_from_age"] is True and person.data["source_list"] == "relatives"
    events = [e for e in archive.audit.events() if e.action == "link.import_list"]
    assert len(events) == 1 and events[0].record_id == str(listed["id"])


def test_config_maps_columns_in_another_language(archive: Archive) -> None:
    result = linkage.import_list(
        archive, archive.current_user(), LISTS / "uyghur_list_c.csv", config=LISTS / "uyghur_list_c.yaml"
    )
    assert result.rows == 4 and result.columns["birth_year"] == "tughulghan yil"
    assert linkage.lists(archive, archive.current_user())[0]["name"] == "uyghur_list_c"


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"list.csv": None}, r"list\.csv: no such file"),
        ({"list.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, r"list\.csv: not a CSV file"),
        ({"list.csv": b"name\n\xff\xfeabc\n"}, r"list\.csv: not a UTF-8 CSV file"),
        ({"list.csv": "name,born\nAygul Rozi,1990\n,1980\n"}, r"list\.csv:3: row without a name"),
        ({"list.csv": "who,born\nAygul Rozi,1990\n"}, r"list\.csv:1: no name column"),
        (
            {"list.csv": "name,born\nAygul Rozi,1990\n", "map.yaml": "columns:\n  place: Hometown\n"},
            r"map\.yaml: column 'Hometown' \(for place\) is not in the header",
        ),
        (
            {"list.csv": "name,born\nAygul Rozi,1990\n", "map.yaml": "columns:\n  shoe_size: born\n"},
            r"map\.yaml: unknown field\(s\) shoe_size",
        ),
        ({"list.csv": "name,age\nAygul Rozi,30\nErkin,abc\n"}, r"list\.csv:3: age 'abc'"),
    ],
)
def test_bad_input_names_file_and_line_and_writes_nothing(
    archive: Archive, tmp_path: Path, files: dict[str, str | bytes | None], message: str
) -> None:
    paths = {n: _write(tmp_path, n, c) if c is not None else tmp_path / n for n, c in files.items()}
    with pytest.raises(ListFileError, match=message):
        linkage.import_list(archive, archive.current_user(), paths["list.csv"], config=paths.get("map.yaml"))
    assert counts(archive) == (0, 0, 0)
    assert not [e for e in archive.audit.events() if e.action.startswith("link.")]


def test_same_file_or_name_twice_is_refused(archive: Archive, tmp_path: Path) -> None:
    user = archive.current_user()
    linkage.import_list(archive, user, LISTS / "camp_list_a.csv")
    with pytest.raises(ListFileError, match="this file was already imported as list 1"):
        linkage.import_list(archive, user, LISTS / "camp_list_a.csv", name="other")
    other = _write(tmp_path, "x.csv", "name\nAygul Rozi\n")
    with pytest.raises(ListFileError, match="a list of that name"):
        linkage.import_list(archive, user, other, name="camp_list_a")
    assert counts(archive) == (1, 10, 10)


def test_roles(archive: Archive) -> None:
    add_users(archive)
    vic, rita = archive.users.get("vic"), archive.users.get("rita")
    with pytest.raises(PermissionDenied, match="may not ingest"):
        linkage.import_list(archive, rita, LISTS / "camp_list_a.csv")
    linkage.import_list(archive, archive.users.get("ana"), LISTS / "camp_list_a.csv")
    with archive.engine.begin() as conn:
        store.replace_candidates(
            conn, [{"a_id": 1, "b_id": 2, "probability": 0.5, "evidence": "x"}], user="t"
        )
    with pytest.raises(PermissionDenied, match="may not review"):
        linkage.judge(archive, vic, 1, "same")
    with pytest.raises(PermissionDenied):
        linkage.run_linkage(archive, vic)
    assert linkage.queue(archive, vic)["total"] == 1  # viewers may look


def _candidates(archive: Archive, pairs: list[tuple[int, int, float, int]]) -> None:
    rows = [
        {"a_id": a, "b_id": b, "probability": p, "evidence": f"p={p}", "mentions": m} for a, b, p, m in pairs
    ]
    with archive.engine.begin() as conn:
        store.replace_candidates(conn, rows, user="linker")


def test_queue_order_judgements_and_replacing_candidates(archive: Archive) -> None:
    user = archive.current_user()
    linkage.import_list(archive, user, LISTS / "camp_list_a.csv")
    # (b, a) is stored as (a, b); probability nearest 0.5 first, then more mentions
    _candidates(archive, [(2, 1, 0.95, 2), (3, 4, 0.45, 2), (5, 6, 0.55, 9), (7, 8, 0.2, 2)])
    queue = linkage.queue(archive, user, limit=3)
    assert [(i["a"]["id"], i["b"]["id"]) for i in queue["items"]] == [(5, 6), (3, 4), (7, 8)]
    assert queue["total"] == 4 and queue["next_offset"] == 3
    assert queue["items"][0]["a"]["list"] == {"name": "camp_list_a", "row": 6}
    first = queue["items"][0]["id"]
    j1 = linkage.judge(archive, user, first, "unsure", note="ask the family")
    j2 = linkage.judge(archive, user, first, "different")
    assert j2.supersedes == j1.judgement_id and j1.supersedes is None
    with archive.engine.connect() as conn:
        history = conn.execute(select(link_judgements).order_by(link_judgements.c.id)).all()
    assert [(h.decision, h.note) for h in history] == [("unsure", "ask the family"), ("different", None)]
    assert linkage.labels(archive, user)[0]["decision"] == "different"
    # a new run replaces undecided candidates but never the judged pair
    _candidates(archive, [(5, 6, 0.99, 9), (9, 10, 0.5, 1)])
    with archive.engine.connect() as conn:
        kept = store.candidate(conn, first)
        pairs = {(c["a_id"], c["b_id"]) for c in store.undecided(conn)}
    assert kept is not None and kept["probability"] == 0.55
    assert pairs == {(9, 10)}
    actions = [e.action for e in archive.audit.events()]
    assert actions.count("link.judge_unsure") == 1 and actions.count("link.judge_different") == 1


def test_same_merges_split_undoes_and_mentions_stay(archive: Archive) -> None:
    user = archive.current_user()
    linkage.import_list(archive, user, LISTS / "camp_list_a.csv")
    _candidates(archive, [(1, 2, 0.6, 2), (2, 3, 0.6, 2), (1, 3, 0.5, 2)])
    with archive.engine.connect() as conn:
        ids = {(c["a_id"], c["b_id"]): c["id"] for c in store.undecided(conn)}
    m1 = linkage.judge(archive, user, ids[(1, 2)], "same").merge_id
    m2 = linkage.judge(archive, user, ids[(2, 3)], "same").merge_id
    assert m1 and m2
    clusters = linkage.clusters(archive, user)
    assert [(c["cluster_id"], [m["id"] for m in c["members"]]) for c in clusters] == [(1, [1, 2, 3])]
    assert clusters[0]["mentions"] == 3  # one list row each, nothing moved
    # (1, 3) is already joined through 2: no need to ask
    assert ids[(1, 3)] not in [i["id"] for i in linkage.queue(archive, user)["items"]]
    result = linkage.split(archive, user, m2, decision="different")
    assert result.split_merge_id == m2 and result.decision == "different"
    assert [[m["id"] for m in c["members"]] for c in linkage.clusters(archive, user)] == [[1, 2]]
    with pytest.raises(linkage.LinkConflict, match="already split"):
        linkage.split(archive, user, m2)
    merges = linkage.merges(archive, user)
    assert {(m["id"], m["active"]) for m in merges} == {(m1, True), (m2, False)}
    # judging "same" again makes a new merge; the split one stays on record
    m3 = linkage.judge(archive, user, ids[(2, 3)], "same").merge_id
    assert m3 not in (m1, m2) and len(linkage.merges(archive, user)) == 3
    with archive.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(list_rows)).scalar_one() == 10


def test_bad_decisions(archive: Archive) -> None:
    user = archive.current_user()
    with pytest.raises(linkage.LinkConflict, match="decision must be one of"):
        linkage.judge(archive, user, 1, "maybe")
    with pytest.raises(Exception, match="no candidate pair with id 99"):
        linkage.judge(archive, user, 99, "same")
    with pytest.raises(Exception, match="no merge with id 5"):
        linkage.split(archive, user, 5)


def test_clusters_of_joins_transitively() -> None:
    assert clusters_of([(5, 3), (3, 9), (1, 2)]) == {5: 3, 3: 3, 9: 3, 1: 1, 2: 1}
    assert clusters_of([]) == {}
