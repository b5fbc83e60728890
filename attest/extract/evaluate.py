"""Score extraction against a directory of gold files.

Each gold file ``NAME.gold.json`` (or ``NAME.json``) sits beside the report
``NAME.txt``. The report goes through ingest's boilerplate removal, then
extraction; the result is matched to the gold with the project's scoring
rules (``shared/tools/score_extraction.py``), re-implemented here because
the shared folder is not on every machine. Matching is loose on purpose:
names by containment after normalising case, punctuation, articles and
possessives; claims by their opening words; incidents by type plus place,
facility, victim count or victim name. Each field is a one-to-one maximum
matching; precision, recall and F1 are micro-averaged over documents.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Item = Any
Matcher = Callable[[Item, Item], bool]


# --- matching rules (kept identical to the shared scorer) -----------------


def norm(s: Any) -> str:
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).lower()
    s = s.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\b(the|a|an|of|in|magazine)\b", " ", s)
    return " ".join(s.split())


def _toks(s: Any) -> list[str]:
    return norm(s).split()


def name_match(a: Any, b: Any) -> bool:
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    return a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _name(x: Item) -> Any:
    return x.get("name") if isinstance(x, dict) else x


def person_match(g: Item, p: Item) -> bool:
    names_g = [g.get("name")] + list(g.get("aliases") or [])
    names_p = [p.get("name")] + list(p.get("aliases") or []) if isinstance(p, dict) else [p]
    return any(name_match(x, y) for x in names_g for y in names_p)


def str_match(g: Item, p: Item) -> bool:
    return name_match(_name(g), _name(p))


def facility_match(g: Item, p: Item) -> bool:
    gn, pn = g.get("name"), _name(p)
    if name_match(gn, pn):
        return True
    a, b = set(_toks(gn)), set(_toks(pn))
    return bool(a and b) and len(a & b) / len(a | b) >= 0.5


def _claim_text(c: Item) -> str:
    return c.get("quote_start") or c.get("text") or c.get("quote") or ""


def claim_match(g: Item, p: Item) -> bool:
    gt, pt = _toks(_claim_text(g)), _toks(_claim_text(p))
    if not gt or not pt:
        return False
    k = min(5, len(gt), len(pt))
    head_g, head_p = " ".join(gt[:k]), " ".join(pt[:k])
    return head_g in " ".join(pt) or head_p in " ".join(gt)


def speaker_ok(g: Item, p: Item) -> bool:
    gs, ps = g.get("speaker"), p.get("speaker")
    if not gs:
        return not ps
    return name_match(gs, ps or "")


def amount_match(g: Item, p: Item) -> bool:
    try:
        return abs(float(g["value"]) - float(p.get("value"))) < 0.01 and (
            (g.get("currency") or "").upper() == (p.get("currency") or "").upper())
    except (TypeError, ValueError):
        return False


def incident_match(g: Item, p: Item) -> bool:
    if g.get("type") != p.get("type"):
        return False
    where = name_match(g.get("place"), p.get("place")) or name_match(
        g.get("facility"), p.get("facility"))
    counts_g = {v.get("count") for v in g.get("victims") or [] if v.get("count")}
    counts_p = {v.get("count") for v in p.get("victims") or []
                if isinstance(v, dict) and v.get("count")}
    names_g = [v.get("name") for v in g.get("victims") or [] if v.get("name")]
    names_p = [v.get("name") for v in p.get("victims") or []
               if isinstance(v, dict) and v.get("name")]
    who = bool(counts_g & counts_p) or any(name_match(a, b) for a in names_g for b in names_p)
    return where or who


def line_match(g: Item, p: Item) -> bool:
    return norm(g) == norm(p)


FIELDS: list[tuple[str, Matcher]] = [
    ("persons", person_match),
    ("organizations", str_match),
    ("places", str_match),
    ("facilities", facility_match),
    ("incidents", incident_match),
    ("claims", claim_match),
    ("amounts", amount_match),
    ("boilerplate_lines", line_match),
]


def match_pairs(gold: Sequence[Item], pred: Sequence[Item],
                match: Matcher) -> list[tuple[Item, Item]]:
    """Maximum one-to-one matching by augmenting paths; each item used once."""
    adj = [[j for j, p in enumerate(pred) if match(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def take(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or take(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        take(i, set())
    return [(gold[i], pred[j]) for j, i in owner.items()]


# --- results ----------------------------------------------------------------


@dataclass(frozen=True)
class FieldScore:
    """Micro-averaged scores of one interchange field."""

    precision: float
    recall: float
    f1: float
    matched: int
    gold: int
    predicted: int


@dataclass
class EvalResult:
    """Scores of a gold set: per field, plus claim speaker accuracy."""

    fields: dict[str, FieldScore]
    speaker_accuracy: float
    documents: int
    per_document: dict[str, dict[str, FieldScore]] = field(default_factory=dict)

    @property
    def mean_f1(self) -> float:
        return sum(f.f1 for f in self.fields.values()) / len(self.fields) if self.fields else 0.0

    def format_table(self) -> str:
        """The scorer's table: field, P, R, F1, matched/gold/pred, then a summary."""
        lines = [f"{'field':18} {'P':>5} {'R':>5} {'F1':>5}  matched/gold/pred"]
        for name, s in self.fields.items():
            lines.append(f"{name:18} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  "
                         f"{s.matched}/{s.gold}/{s.predicted}")
        lines.append(f"claim speaker accuracy on matched claims: {self.speaker_accuracy:.2f}")
        lines.append(f"docs={self.documents} mean_F1={self.mean_f1:.2f}")
        return "\n".join(lines)


def _field_scores(counts: dict[str, list[int]]) -> dict[str, FieldScore]:
    out = {}
    for name, (m, g, p) in counts.items():
        prec = m / p if p else (1.0 if not g else 0.0)
        rec = m / g if g else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[name] = FieldScore(prec, rec, f1, m, g, p)
    return out


def score(pairs: Sequence[tuple[dict, dict]],
          names: Sequence[str] | None = None) -> EvalResult:
    """Score (gold, prediction) document pairs in the interchange shape."""
    total = {f: [0, 0, 0] for f, _ in FIELDS}
    spk = [0, 0]
    per_doc: dict[str, dict[str, FieldScore]] = {}
    for n, (gold, pred) in enumerate(pairs):
        doc_counts = {f: [0, 0, 0] for f, _ in FIELDS}
        for fname, match in FIELDS:
            g = gold.get(fname) or []
            p = pred.get(fname) or []
            matched = match_pairs(g, p, match)
            for counts in (total, doc_counts):
                counts[fname][0] += len(matched)
                counts[fname][1] += len(g)
                counts[fname][2] += len(p)
            if fname == "claims":
                spk[0] += sum(speaker_ok(a, b) for a, b in matched)
                spk[1] += len(matched)
        per_doc[names[n] if names else str(n)] = _field_scores(doc_counts)
    return EvalResult(_field_scores(total), spk[0] / spk[1] if spk[1] else 0.0, len(pairs),
                      per_doc)


def _split(text: str) -> tuple[str, list[str]]:
    from attest.ingest.boilerplate import split_boilerplate

    return split_boilerplate(text)


def predict_texts(texts: Sequence[str], n_process: int = 1) -> list[dict]:
    """Interchange predictions for raw report texts (boilerplate removed first)."""
    from attest.extract.pipeline import extract_many

    split = [_split(t) for t in texts]
    exs = extract_many([clean for clean, _ in split], n_process=n_process)
    out = []
    for ex, (_, removed) in zip(exs, split, strict=True):
        d = ex.to_interchange()
        d["boilerplate_lines"] = removed
        out.append(d)
    return out


def gold_files(path: str | Path) -> list[tuple[str, Path, Path]]:
    """(name, gold file, text file) for every gold file with its report beside it."""
    out = []
    for gfile in sorted(Path(path).glob("*.json")):
        base = gfile.name.removesuffix(".json").removesuffix(".gold")
        tfile = gfile.with_name(base + ".txt")
        if tfile.exists():
            out.append((base, gfile, tfile))
    return out


def evaluate_dir(path: str | Path, n_process: int = 1) -> EvalResult:
    """Extract every report of a gold directory and score it against its gold file."""
    files = gold_files(path)
    if not files and not Path(path).is_dir():
        raise FileNotFoundError(f"{path}: not a directory of gold files")
    golds = [json.loads(g.read_text(encoding="utf-8")) for _, g, _ in files]
    texts = [t.read_text(encoding="utf-8") for _, _, t in files]
    preds = predict_texts(texts, n_process=n_process)
    return score(list(zip(golds, preds, strict=True)), [name for name, _, _ in files])


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m attest.extract.evaluate GOLD_DIR`` prints the table."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    result = evaluate_dir(args[0] if args else "eval/gold")
    if verbose:
        for name, fields in result.per_document.items():
            row = " ".join(f"{f[:5]}={s.f1:.2f}" for f, s in fields.items())
            print(f"{name:40} {row}")
    print(result.format_table())


if __name__ == "__main__":
    main()
