"""What encryption costs: ingest the same corpus into an encrypted and a plain archive.

Both runs go through the same code path (``attest.service.ingest.ingest_uploads``:
read, clean, extract, store original and document, audit event), once into a
SQLCipher archive with AES-GCM-sealed originals and once into a plain SQLite
file with originals stored as they are. Two measurements:

* end to end, with extraction (what a user waits for);
* storage only, with extraction stubbed out (where encryption is the largest
  share, so the overhead figure is an upper bound).

Also reports Argon2id parameters and the time to unlock an archive.

    .venv/bin/python bench/encryption_overhead.py            # 300 reports
    .venv/bin/python bench/encryption_overhead.py --quick    # 30 reports, for CI
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus  # noqa: E402

from attest.archive import Archive  # noqa: E402
from attest.archive.archive import upgrade_schema  # noqa: E402
from attest.archive.engine import make_engine  # noqa: E402
from attest.secure.keys import DEFAULT_KDF, SessionKeys  # noqa: E402
from attest.secure.session import register_creator  # noqa: E402
from attest.service import ingest as ingest_service  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def plain_archive(path: Path) -> Archive:
    """An unencrypted archive: plain SQLite, no originals key; everything else identical."""
    path.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{path / 'archive.db'}")
    upgrade_schema(engine)
    with engine.begin() as conn:
        register_creator(conn, engine, "owner")
    return Archive(engine, user="owner", location=str(path), keys=SessionKeys("owner", {}))


class _NoProposals:
    def proposals(self) -> list:
        return []


def _no_extraction(texts: list[str], n_process: int = 1) -> list[_NoProposals]:
    return [_NoProposals() for _ in texts]


def ingest_rate(make: callable, uploads: list[tuple[str, bytes]], root: Path, label: str) -> float:
    """Documents per second for one fresh archive."""
    archive = make(root / label)
    try:
        start = time.perf_counter()
        report = ingest_service.ingest_uploads(archive, uploads, processes=1)
        elapsed = time.perf_counter() - start
    finally:
        archive.close()
    assert report.count("added") == len(uploads), report.failed[:3]
    return len(uploads) / elapsed


def unlock_seconds(path: Path, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        Archive.open(path, PASSPHRASE).close()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def argon2_seconds(repeats: int) -> float:
    import os

    from attest.secure.keys import derive_key

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        derive_key(PASSPHRASE, os.urandom(16), DEFAULT_KDF)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 reports, 1 round (CI)")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    n_docs, rounds = (30, 1) if args.quick else (args.docs, args.rounds)
    texts = corpus.synthetic(n_docs)
    uploads = [(f"report_{i:05d}.txt", t.encode("utf-8")) for i, t in enumerate(texts)]
    size = sum(len(b) for _, b in uploads)

    def encrypted(p: Path) -> Archive:
        return Archive.create(p, PASSPHRASE)

    ingest_service.extract_many(texts[:2], n_process=1)  # load the language model before timing
    results: dict[str, dict[str, list[float]]] = {"end to end": {}, "storage only": {}}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for r in range(rounds):
            for mode in results:
                patch = (
                    mock.patch.object(ingest_service, "extract_many", _no_extraction)
                    if mode == "storage only"
                    else mock.patch.object(ingest_service, "PARALLEL_MIN_DOCS", 10**9)
                )
                with patch:
                    # alternate the order so warm-up favours neither side
                    order = [("plain", plain_archive), ("encrypted", encrypted)]
                    for label, make in order if r % 2 == 0 else reversed(order):
                        rate = ingest_rate(make, uploads, root, f"{mode}-{label}-{r}".replace(" ", "_"))
                        results[mode].setdefault(label, []).append(rate)
        unlock = unlock_seconds(root / f"end_to_end-encrypted-{rounds - 1}", 3 if args.quick else 5)

    print(f"corpus: {n_docs} synthetic reports, {size / 1024:.0f} KiB; {rounds} round(s), median shown")
    print(
        f"Argon2id: memory {DEFAULT_KDF['memory_cost'] // 1024} MiB, iterations {DEFAULT_KDF['iterations']}, "
        f"lanes {DEFAULT_KDF['lanes']}; key derivation {argon2_seconds(3) * 1000:.0f} ms, "
        f"unlock (open archive) {unlock * 1000:.0f} ms"
    )
    print(f"{'mode':14} {'plain docs/s':>13} {'encrypted docs/s':>17} {'overhead':>9}")
    for mode, by_label in results.items():
        plain, enc = statistics.median(by_label["plain"]), statistics.median(by_label["encrypted"])
        print(f"{mode:14} {plain:13.1f} {enc:17.1f} {(plain / enc - 1) * 100:8.1f}%")


if __name__ == "__main__":
    main()
