"""Page and search latency of the workbench over HTTP on a large archive.

Loads N generated documents (100,000 by default; ``--quick`` for 2,000) with
five proposals each straight into the archive tables (bulk inserts, the FTS
triggers index them as they land), starts ``attest``'s app in a separate
process on a loopback port, logs in and times requests to the inbox, a deep
inbox page, document pages and searches (plain and faceted). Prints p50/p95
per request kind and fails (exit 1) when the inbox or search p95 is over the
budget.

    python bench/web_latency.py --quick
    python bench/web_latency.py             # 100,000 documents, a few minutes
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attest.archive import Archive  # noqa: E402
from attest.archive.schema import documents, originals, proposals  # noqa: E402

PASSPHRASE = "bench passphrase, not a secret"
USER, PASSWORD = "bench", "bench-password-2024"
BUDGET_MS = 300.0

GIVEN = [
    "Abdusalam",
    "Mehmet",
    "Gulnar",
    "Ablikim",
    "Reyhangul",
    "Li",
    "Wang",
    "Zhang",
    "Karma",
    "Lobsang",
    "Tenzin",
    "Aigerim",
    "Nurlan",
    "Serik",
    "Dilnur",
    "Ayshe",
    "Omer",
    "Yusuf",
    "Mei",
    "Hua",
]
FAMILY = [
    "Tursun",
    "Yasin",
    "Dorjee",
    "Wei",
    "Lijuan",
    "Abbas",
    "Bekov",
    "Sadyk",
    "Kurban",
    "Hasan",
    "Chen",
    "Liu",
    "Zhou",
    "Wu",
    "Tashi",
    "Norbu",
    "Ismail",
    "Rahman",
    "Osman",
    "Kadir",
]
PLACES = [
    "Kashgar",
    "Urumqi",
    "Hotan",
    "Aksu",
    "Ghulja",
    "Lhasa",
    "Shigatse",
    "Chengdu",
    "Wuhan",
    "Xi'an",
    "Beitun District",
    "Shufu County",
    "Aba",
    "Qinghai",
    "Yining",
    "Turpan",
    "Korla",
    "Karamay",
]
FACILITIES = [
    "detention center",
    "re-education camp",
    "prison",
    "police station",
    "psychiatric institute",
    "vocational training centre",
    "labour camp",
    "court",
]
VIOLATIONS = [
    "arbitrary_detention",
    "torture",
    "enforced_disappearance",
    "fine_or_extortion",
    "trial",
    "release",
]
VERBS = {
    "arbitrary_detention": "was detained",
    "torture": "was beaten",
    "enforced_disappearance": "disappeared",
    "fine_or_extortion": "was fined",
    "trial": "was tried",
    "release": "was released",
}
FILLER = (
    "Relatives said they had not been told of any charge. The authorities did not respond to requests "
    "for comment. Rights groups have documented similar cases in the region over the past years, and "
    "former detainees describe overcrowded cells, political classes and forced confessions. "
)


def make_doc(rng: random.Random, i: int) -> tuple[dict, dict, list[dict]]:
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    place, facility, violation = rng.choice(PLACES), rng.choice(FACILITIES), rng.choice(VIOLATIONS)
    fac_name = f"{place} {facility}"
    source = rng.choice(["a relative", "a former detainee", "China Aid", "a local source", "Radio Free Asia"])
    first = f"{name} {VERBS[violation]} at the {fac_name} in {place}, according to {source}."
    text = (
        f"{first}\n{source.capitalize()} said that {name} had been held for {rng.randint(2, 30)} months.\n"
        + FILLER * rng.randint(1, 4)
    )
    raw = f"{i}\n{text}".encode()
    sha = hashlib.sha256(raw).hexdigest()
    day = datetime(2017, 1, 1) + timedelta(days=rng.randint(0, 2900))
    doc = {
        "id": i,
        "sha256": sha,
        "filename": f"report-{i}.txt",
        "media_type": "text/plain",
        "title": f"{name}: {violation.replace('_', ' ')} in {place}",
        "published": day.strftime("%Y-%m-%d"),
        "clean_text": text,
        "boilerplate": [],
        "status": rng.choice(["new", "new", "in_review", "reviewed"]),
        "ingested_at": datetime.now(UTC),
        "ingested_by": USER,
    }

    def prop(kind: str, label: str | None, needle: str, data: dict) -> dict:
        start = text.index(needle)
        return {
            "document_id": i,
            "kind": kind,
            "label": label,
            "start": start,
            "end": start + len(needle),
            "text": needle,
            "data": data,
            "confidence": 0.7,
            "status": "proposed",
        }

    props = [
        prop("person", "victim", name, {"name": name, "role": "victim", "aliases": []}),
        prop("place", "city", place, {"name": place, "kind": "city"}),
        prop("facility", "detention", fac_name, {"name": fac_name, "kind": "detention", "place": place}),
        prop(
            "incident",
            violation,
            first[:-1],
            {
                "type": violation,
                "place": place,
                "facility": fac_name,
                "victims": [{"name": name, "count": None, "group": None}],
            },
        ),
        prop("claim", None, text.split("\n")[1], {"speaker": source, "via": None, "cue": "said"}),
    ]
    return {"sha256": sha, "content": raw, "size": len(raw)}, doc, props


def load(archive: Archive, n: int, seed: int = 7, batch: int = 2000) -> float:
    """Bulk-insert n documents with proposals; returns seconds taken."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    for start in range(1, n + 1, batch):
        origs, docs, props = [], [], []
        for i in range(start, min(n, start + batch - 1) + 1):
            o, d, p = make_doc(rng, i)
            origs.append(o)
            docs.append(d)
            props.extend(p)
        with archive.engine.begin() as conn:
            conn.execute(insert(originals), origs)
            conn.execute(insert(documents), docs)
            conn.execute(insert(proposals), props)
        print(f"\rloaded {min(n, start + batch - 1):,}/{n:,}", end="", file=sys.stderr, flush=True)
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    print(file=sys.stderr)
    return time.perf_counter() - t0


def serve(path: str, port: int) -> None:
    """Child process: open the archive and serve it (as ``attest serve`` does)."""
    import logging

    import uvicorn

    from attest.web.app import create_app

    logging.getLogger("attest.web").setLevel(logging.ERROR)
    archive = Archive.open(path, PASSPHRASE)
    uvicorn.run(create_app(archive, secure_cookies=False), host="127.0.0.1", port=port, log_level="error")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(base: str, n_docs: int, rounds: int, seed: int = 11) -> dict[str, dict[str, float]]:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as c:
        login = c.post("/api/session", json={"name": USER, "password": PASSWORD})
        login.raise_for_status()
        words = [*FAMILY, *[p.split()[0] for p in PLACES], "detained", "beaten", "psychiatric", "camp"]
        kinds = {
            "inbox": lambda: "/inbox",
            "inbox status=new": lambda: "/inbox?status=new",
            "inbox deep page": lambda: f"/inbox?before={rng.randint(2, n_docs)}",
            "api documents": lambda: f"/api/documents?limit=50&before={rng.randint(2, n_docs)}",
            "document page": lambda: f"/documents/{rng.randint(1, n_docs)}",
            "search": lambda: f"/search?q={rng.choice(words)}+{rng.choice(GIVEN)}",
            "search one word": lambda: f"/search?q={rng.choice(words)}",
            "search + facet": lambda: f"/search?q={rng.choice(FAMILY)}&place={rng.choice(PLACES)}",
            "api search": lambda: f"/api/search?q={rng.choice(FAMILY)}&type=document",
        }
        for make in kinds.values():  # warm caches once
            c.get(make()).raise_for_status()
        out = {}
        for label, make in kinds.items():
            times = []
            for _ in range(rounds):
                t = time.perf_counter()
                r = c.get(make())
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise RuntimeError(f"{label}: HTTP {r.status_code}: {r.text[:200]}")
            out[label] = {
                "p50": percentile(times, 0.5),
                "p95": percentile(times, 0.95),
                "mean": statistics.fmean(times),
            }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="2,000 documents, fewer requests (CI)")
    ap.add_argument("--rounds", type=int, default=200, help="requests per kind")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    n = 2000 if args.quick else args.docs
    rounds = min(args.rounds, 60) if args.quick else args.rounds
    with tempfile.TemporaryDirectory(prefix="attest-bench-") as tmp:
        path = Path(tmp) / "archive"
        with Archive.create(path, PASSPHRASE) as archive:
            archive.users.add(USER, "analyst", PASSWORD)
            seconds = load(archive, n)
        print(f"loaded {n:,} documents and {5 * n:,} proposals in {seconds:.1f}s", file=sys.stderr)
        from tests.e2e.server import free_port

        port = free_port()
        proc = mp.get_context("spawn").Process(target=serve, args=(str(path), port), daemon=True)
        proc.start()
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/login", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or not proc.is_alive():
                        raise RuntimeError("server did not start") from None
                    time.sleep(0.2)
            figures = measure(base, n, rounds)
        finally:
            proc.terminate()
            proc.join(10)
    print(f"\n{n:,} documents, {rounds} requests per kind (ms)\n")
    print("| request | p50 | p95 | mean |\n|---|---:|---:|---:|")
    for label, f in figures.items():
        print(f"| {label} | {f['p50']:.1f} | {f['p95']:.1f} | {f['mean']:.1f} |")
    if args.json:
        args.json.write_text(json.dumps({"documents": n, "rounds": rounds, "ms": figures}, indent=2))
    over = [
        k
        for k, f in figures.items()
        if (k.startswith("inbox") or k.startswith("search")) and f["p95"] > BUDGET_MS
    ]
    if over:
        print(f"\nover the {BUDGET_MS:.0f} ms p95 budget: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
