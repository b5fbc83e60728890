"""Fit the name-only match model and write ``attest/link/data/name_model.yaml``.

The probability from ``match_names`` answers: "of candidate name pairs like
this one, what share name the same person?" It is fitted by logistic
regression on labelled pairs from ``bench/linkage_data.py`` (half same person,
half different, half of those hard negatives sharing a name part), and checked
on a held-out sample (Brier score and a reliability table).

    python bench/linkage_name_calibration.py            # fit, report, write the file
    python bench/linkage_name_calibration.py --check    # only report on the current model
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_data import name_pairs  # noqa: E402

from attest.link import match as match_module  # noqa: E402
from attest.link.match import FEATURES, align, match_names  # noqa: E402
from attest.link.names import name_keys  # noqa: E402
from attest.link.tables import DATA  # noqa: E402


def best_features(a: str, b: str) -> list[float]:
    """Features of the reading pair with the most agreement (model-free choice)."""
    ka, kb = name_keys(a), name_keys(b)
    best = None
    for ra in ka.readings or [()]:
        for rb in kb.readings or [()]:
            if not ra or not rb:
                continue
            f = align(ra, rb).features
            score = f["strict"] + f["loose"] + f["spelling"]
            if best is None or score > best[0]:
                best = (score, f)
    if best is None:
        return [0.0] * len(FEATURES)
    return [best[1][name] for name in FEATURES]


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[tuple[str, int, float, float]]:
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mask = (p >= lo) & (p < hi) if hi < 1 else (p >= lo) & (p <= hi)
        if mask.sum():
            rows.append((f"{lo:.1f}-{hi:.1f}", int(mask.sum()), float(p[mask].mean()), float(y[mask].mean())))
    return rows


def evaluate(pairs: list[tuple[str, str, int]]) -> dict[str, float]:
    p = np.array([match_names(a, b).probability for a, b, _ in pairs])
    y = np.array([label for _, _, label in pairs])
    predicted = p >= 0.5
    tp = int((predicted & (y == 1)).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int((y == 1).sum()), 1)
    print(f"{'bin':>8} {'n':>6} {'mean p':>7} {'share same':>10}")
    for label, n, mp, fy in reliability(p, y):
        print(f"{label:>8} {n:>6} {mp:>7.3f} {fy:>10.3f}")
    return {
        "brier": float(((p - y) ** 2).mean()),
        "precision@0.5": precision,
        "recall@0.5": recall,
    }


def fit(train: list[tuple[str, str, int]]) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    x = np.array([best_features(a, b) for a, b, _ in train])
    y = np.array([label for _, _, label in train])
    model = LogisticRegression(C=10.0, max_iter=2000).fit(x, y)
    coef = {"intercept": float(model.intercept_[0])}
    coef.update({name: float(w) for name, w in zip(FEATURES, model.coef_[0], strict=True)})
    return coef


def write_model(coef: dict[str, float], n_train: int, metrics: dict[str, float]) -> None:
    lines = [
        "# Logistic model behind attest.link.match.match_names.",
        "# Written by bench/linkage_name_calibration.py: fitted on "
        f"{n_train} labelled name pairs from",
        "# bench/linkage_data.py (half same person, half different; half of the",
        "# different pairs share a name part). Held-out check: "
        + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()) + ".",
        "coefficients:",
    ]
    lines += [f"  {k}: {v:.4f}" for k, v in coef.items()]
    (DATA / "name_model.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Fit / check the name-only match model.")
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--check", action="store_true", help="only evaluate the current model")
    args = parser.parse_args()
    start = time.perf_counter()
    test = name_pairs(args.pairs // 2, seed=99)
    if not args.check:
        train = name_pairs(args.pairs, seed=11)
        coef = fit(train)
        write_model(coef, len(train), {})
        match_module.model.cache_clear()
        metrics = evaluate(test)
        write_model(coef, len(train), metrics)
        print("coefficients:", {k: round(v, 3) for k, v in coef.items()})
    else:
        metrics = evaluate(test)
    print({k: round(v, 4) for k, v in metrics.items()}, f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
