"""Generator of person records that name the same people in different scripts.

Used by the cross-script and scale benchmarks and by the name-model
calibration. Each person (Uyghur, Kazakh or Han) gets 1-4 records from
different "source lists"; each record renders the name in one script
(Latin spellings, ULY, Uyghur Arabic script, Kazakh Cyrillic, Chinese
characters, pinyin of the Chinese), with realistic noise: typos, swapped name
order, missing and slightly wrong fields. The name lists in ``bench/data``
are our own compilation (their headers say from what).

Two name spaces: ``"small"`` draws each name part uniformly from the lists
(~70 Uyghur, ~40 Kazakh, ~30 Han given names: the cross-script benchmark and
the calibration); ``"wide"`` (the scale benchmark) composes parts from
elements (Abdu-/Nur- + name + -jan/-gül/-bek..., Han given names of one or
two common characters) with Zipf-like frequencies, so that some names are
very common, most are rare, and namesakes occur at realistic rates. Every
script's rendering of a composed name is composed from its elements' own.

Run ``python bench/linkage_data.py --persons 100 --out records.jsonl`` to look.
"""

from __future__ import annotations

import argparse
import json
import random
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypinyin import lazy_pinyin

DATA = Path(__file__).resolve().parent / "data"
SURNAMES = Path(__file__).resolve().parents[1] / "attest" / "link" / "data" / "han_surnames.tsv"

# ULY -> Uyghur Arabic script (the inverse of attest's table, written separately).
_ULY_DIGRAPHS = {"ch": "چ", "sh": "ش", "gh": "غ", "ng": "ڭ", "zh": "ژ"}
_ULY_LETTERS = {
    "a": "ا", "e": "ە", "b": "ب", "p": "پ", "t": "ت", "j": "ج", "x": "خ", "d": "د",
    "r": "ر", "z": "ز", "s": "س", "f": "ف", "q": "ق", "k": "ك", "g": "گ", "l": "ل",
    "m": "م", "n": "ن", "h": "ھ", "o": "و", "u": "ۇ", "ö": "ۆ", "ü": "ۈ", "w": "ۋ",
    "ë": "ې", "i": "ى", "y": "ي",
}
_VOWELS = set("aeiouöüë")


def uly_to_arabic(word: str) -> str:
    """ULY -> Uyghur Arabic script; a vowel opening a syllable takes hamza (ئ)."""
    out: list[str] = []
    i = 0
    prev_vowel = True  # word start behaves like after a vowel
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _ULY_DIGRAPHS:
            out.append(_ULY_DIGRAPHS[pair])
            i += 2
            prev_vowel = False
            continue
        char = word[i]
        if char in _VOWELS:
            if prev_vowel:
                out.append("ئ")
            prev_vowel = True
        else:
            prev_vowel = False
        out.append(_ULY_LETTERS.get(char, ""))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class GivenName:
    """One name part in every form the generator can write."""

    latin: tuple[str, ...]  # English-language spellings
    chinese: str
    uly: str = ""
    cyrillic: str = ""


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@cache
def name_lists() -> dict[str, list[GivenName]]:
    uyghur = [GivenName(tuple(r[2].split(",")), r[1], uly=r[0]) for r in _rows("names_uyghur.tsv")]
    kazakh = [
        GivenName(tuple(r[3].split(",")), r[2], cyrillic=r[1]) for r in _rows("names_kazakh.tsv")
    ]
    han_given = [r[0] for r in _rows("names_han.tsv")]
    surnames = [r[0] for r in _rows(str(SURNAMES)) if len(r[0]) <= 2]
    return {"uyghur": uyghur, "kazakh": kazakh, "han_given": han_given, "han_surname": surnames}


@dataclass(frozen=True)
class Weighted:
    """A pool of name parts and their cumulative weights (for ``rng.choices``)."""

    items: tuple
    cum_weights: tuple[float, ...]

    def draw(self, rng: random.Random) -> object:
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]


def _zipf(items: list, exponent: float) -> Weighted:
    """Weights 1/rank^exponent in list order (the lists run from common to rare)."""
    total = 0.0
    cum: list[float] = []
    for rank in range(1, len(items) + 1):
        total += rank ** -exponent
        cum.append(total)
    return Weighted(tuple(items), tuple(cum))


def _compose(prefix: GivenName | None, base: GivenName, suffix: GivenName | None) -> GivenName:
    parts = [p for p in (prefix, base, suffix) if p is not None]
    latin = [parts[0].latin[0]]
    for part in parts[1:]:  # one spelling per element keeps the variants few and realistic
        latin = [a + b.lower() for a in latin for b in part.latin[:2]]
    return GivenName(tuple(latin), "".join(p.chinese for p in parts),
                     uly="".join(p.uly for p in parts),
                     cyrillic="".join(p.cyrillic for p in parts))


@cache
def wide_names() -> dict[str, Weighted]:
    """The "wide" name space: composed Uyghur/Kazakh given names, Han names by character."""
    lists = name_lists()
    rng = random.Random(0)
    out: dict[str, Weighted] = {}
    for group in ("uyghur", "kazakh"):
        affixes = {"prefix": [], "suffix": []}
        for r in _rows("name_affixes.tsv"):
            if r[0] == group:
                affixes[r[1]].append(GivenName(tuple(r[5].split(",")), r[4], uly=r[2] if group ==
                                               "uyghur" else "", cyrillic=r[3]))
        bases = lists[group]
        plain = list(bases)
        composed = [
            _compose(pre, base, suf)
            for base in bases
            for pre in [None, *affixes["prefix"]]
            for suf in [None, *affixes["suffix"]]
            if (pre or suf)
            and not (pre and (base.uly or base.latin[0].lower()).startswith(pre.latin[0].lower()))
        ]
        rng.shuffle(composed)
        # Plain names are the common ones; each composed name is rarer than any plain one.
        out[group] = _zipf(plain + composed, 0.7)
    chars = [r[0] for r in _rows("han_given_chars.tsv")]
    out["han_char"] = _zipf(chars, 0.8)
    out["han_surname"] = _zipf(lists["han_surname"], 0.8)
    return out


@cache
def places() -> list[list[str]]:
    return _rows("places.tsv")


@cache
def facilities() -> list[str]:
    return [r[0] for r in _rows("facilities.tsv")]


@dataclass
class Person:
    person_id: int
    ethnicity: str
    parts: tuple  # (given, father) GivenName pairs, or (surname, given) strings for Han
    sex: str
    birth_year: int
    place: list[str]
    facility: str
    id_number: str = ""


def typo(word: str, rng: random.Random) -> str:
    """One keyboard-style error: substitution, deletion, insertion or transposition."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice(string.ascii_lowercase)
    if kind == 0:
        return word[:i] + letter + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _wide_parts(ethnicity: str, rng: random.Random) -> tuple:
    wide = wide_names()
    if ethnicity == "Han":
        given = "".join(str(wide["han_char"].draw(rng)) for _ in range(1 if rng.random() < 0.3 else 2))
        return (wide["han_surname"].draw(rng), given)
    pool = wide[ethnicity.lower()]
    return (pool.draw(rng), pool.draw(rng))


def make_person(pid: int, rng: random.Random, names: str = "small") -> Person:
    """One person; ``names`` is the name space, "small" or "wide" (see the module doc)."""
    lists = name_lists()
    roll = rng.random()
    if roll < 0.5:
        ethnicity = "Uyghur"
    elif roll < 0.75:
        ethnicity = "Kazakh"
    else:
        ethnicity = "Han"
    if names == "wide":
        parts: tuple = _wide_parts(ethnicity, rng)
    elif ethnicity == "Han":
        parts = (rng.choice(lists["han_surname"]), rng.choice(lists["han_given"]))
    else:
        pool = lists[ethnicity.lower()]
        parts = (rng.choice(pool), rng.choice(pool))
    person = Person(
        person_id=pid,
        ethnicity=ethnicity,
        parts=parts,
        sex=rng.choice("MF"),
        birth_year=rng.randint(1940, 2005),
        place=rng.choice(places()),
        facility=rng.choice(facilities()),
    )
    person.id_number = (
        f"6531{rng.randrange(10, 99)}{person.birth_year}{rng.randint(1, 12):02d}"
        f"{rng.randint(1, 28):02d}{rng.randrange(1000, 9999)}"
    )
    return person


#: Patronymic endings on the father's name: (Cyrillic male, female, Latin male, female).
PATRONYMICS = (("ұлы", "қызы", "uly", "kyzy"), ("ов", "ова", "ov", "ova"))


def _patronymic(person: Person, rng: random.Random) -> tuple[str, str] | None:
    """Kazakh documents often write the father's name as Sauytbayuly or Sauytbaev."""
    if person.ethnicity != "Kazakh" or rng.random() >= 0.25:
        return None
    cyr_m, cyr_f, lat_m, lat_f = rng.choice(PATRONYMICS)
    return (cyr_m, lat_m) if person.sex == "M" else (cyr_f, lat_f)


def render_name(person: Person, rng: random.Random, wide: bool = False) -> tuple[str, str]:
    """(name, script label) for one record of ``person``.

    ``wide`` adds the patronymic endings of the wide name space (Kazakh, in
    Cyrillic and Latin).
    """
    a, b = person.parts
    if person.ethnicity == "Han":
        surname, given = a, b
        roll = rng.random()
        if roll < 0.5:
            return surname + given, "Hani"
        py_s = "".join(lazy_pinyin(surname)).capitalize()
        syll = lazy_pinyin(given)
        py_g = "".join(syll).capitalize()
        if roll < 0.75:
            return f"{py_s} {py_g}", "pinyin"
        if roll < 0.9:
            return f"{py_g} {py_s}", "pinyin"
        return f"{py_s.upper()} {py_g}", "pinyin"
    roll = rng.random()
    if person.ethnicity == "Uyghur":
        if roll < 0.2:
            return f"{uly_to_arabic(a.uly)} {uly_to_arabic(b.uly)}", "Arab"
        if roll < 0.3:
            return f"{a.uly.capitalize()} {b.uly.capitalize()}", "ULY"
    elif roll < 0.3:
        ending = _patronymic(person, rng) if wide else None
        return f"{a.cyrillic} {b.cyrillic}{ending[0] if ending else ''}", "Cyrl"
    if roll < 0.5:
        sep = rng.choice(["·", "·", "•", "・"])
        return f"{a.chinese}{sep}{b.chinese}", "Hani"
    if roll < 0.6:
        py_a = "".join(lazy_pinyin(a.chinese)).capitalize()
        py_b = "".join(lazy_pinyin(b.chinese)).capitalize()
        return f"{py_a} {py_b}", "pinyin"
    first, second = rng.choice(a.latin), rng.choice(b.latin)
    if wide and (ending := _patronymic(person, rng)):
        second += ending[1]
    if rng.random() < 0.15:
        first = typo(first.lower(), rng).capitalize()
    if rng.random() < 0.15:
        second = typo(second.lower(), rng).capitalize()
    if rng.random() < 0.15:
        first, second = second, first
    if rng.random() < 0.1:
        second = second.upper()
    return f"{first} {second}", "Latn"


def make_record(person: Person, list_id: str, rng: random.Random, wide: bool = False) -> dict:
    name, script = render_name(person, rng, wide)
    year: int | None = person.birth_year
    if rng.random() < 0.3:
        year = None
    elif rng.random() < 0.1:
        year = person.birth_year + rng.choice([-1, 1])
    place = None
    if rng.random() < 0.6:
        place = person.place[1] if script == "Hani" else rng.choice(
            [person.place[0], *person.place[3].split(",")]
        )
    ethnicity = person.ethnicity if rng.random() < 0.7 else None
    if ethnicity and script == "Hani":
        ethnicity = {"Uyghur": "维吾尔族", "Kazakh": "哈萨克族", "Han": "汉族"}[ethnicity]
    id_number = None
    if rng.random() < 0.25:  # leaked official lists carry the resident ID number
        id_number = person.id_number
        if rng.random() < 0.05:
            i = rng.randrange(len(id_number))
            id_number = id_number[:i] + str(rng.randrange(10)) + id_number[i + 1 :]
    return {
        "name": name,
        "script": script,
        "id_number": id_number,
        "birth_year": year,
        "sex": person.sex if rng.random() < 0.8 else None,
        "ethnicity": ethnicity,
        "place": place,
        "facility": person.facility if rng.random() < 0.5 else None,
        "date": f"{rng.randint(2017, 2022)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "source_list": list_id,
        "person_id": person.person_id,
    }


def generate_records(n_persons: int, seed: int = 7, max_records: int | None = None,
                     names: str = "small") -> list[dict]:
    """Records of ``n_persons`` people (about 2.4 records each), with ``record_id``.

    ``max_records`` stops early (the scale benchmark asks for an exact count);
    ``names`` is the name space, "small" or "wide" (see the module doc).
    """
    if names not in ("small", "wide"):
        raise ValueError(f"unknown name space {names!r} (small or wide)")
    rng = random.Random(seed)
    records: list[dict] = []
    for pid in range(n_persons):
        if max_records is not None and len(records) >= max_records:
            break
        person = make_person(pid, rng, names)
        for k in range(rng.choice([1, 2, 2, 2, 3, 3, 4])):
            records.append(make_record(person, f"list-{(pid + k) % 12}", rng, names == "wide"))
    if max_records is not None:
        del records[max_records:]
    rng.shuffle(records)
    for i, record in enumerate(records):
        record["record_id"] = i
    return records


def _first_part(name: str) -> str:
    """One part of a rendered name (Chinese parts are split at the dot)."""
    for sep in ("·", "•", "・", " "):
        if sep in name:
            return name.split(sep)[0]
    return name


def _pool(ethnicity: str, keep: int) -> list:
    lists = name_lists()
    if ethnicity == "Han":
        return lists["han_given"] if keep == 0 else lists["han_surname"]
    return lists[ethnicity.lower()]


def _spelling(part: object) -> str:
    return part if isinstance(part, str) else part.latin[0].lower()  # type: ignore[attr-defined]


def similar_parts(ethnicity: str, part: object, keep: int) -> list:
    """The three other name parts most alike in spelling: the hardest negatives."""
    import jellyfish

    pool = [p for p in _pool(ethnicity, keep) if p != part] or [part]
    key = _spelling(part)
    pool.sort(key=lambda p: -jellyfish.jaro_winkler_similarity(key, _spelling(p)))
    return pool[:3]


def name_pairs(n: int, seed: int = 11) -> list[tuple[str, str, int]]:
    """Labelled name pairs for calibration: half same person, half different.

    Half of the different-person pairs are hard: they share one name part
    (same father's name, same given name) or have the same full name with the
    parts swapped between the two people of a family.
    """
    rng = random.Random(seed)
    out: list[tuple[str, str, int]] = []
    for pid in range(n):
        person = make_person(pid, rng)
        if rng.random() < 0.5:
            second = render_name(person, rng)[0]
            if rng.random() < 0.1:  # a testimony that gives the given name only
                second = _first_part(second)
            out.append((render_name(person, rng)[0], second, 1))
            continue
        other = make_person(pid + n, rng)
        if rng.random() < 0.5:
            other.ethnicity = person.ethnicity
            keep = rng.randrange(2)
            change = person.parts[1 - keep]
            if rng.random() < 0.5:
                change = rng.choice(similar_parts(person.ethnicity, change, keep))
            else:
                change = rng.choice(_pool(person.ethnicity, keep))
            parts = list(person.parts)
            parts[1 - keep] = change
            other.parts = tuple(parts)
        if other.parts == person.parts:
            continue
        second = render_name(other, rng)[0]
        if rng.random() < 0.1:
            second = _first_part(second)
        out.append((render_name(person, rng)[0], second, 0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--names", choices=("small", "wide"), default="small")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    records = generate_records(args.persons, args.seed, names=args.names)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
