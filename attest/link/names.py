"""Name keys that let the same name meet across scripts.

A detainee is "Ilham Tohti" in a relative's testimony, "伊力哈木·土赫提" in a
court notice, "Yilihamu Tuheti" in a pinyin list and "ئىلھام توختى" in a
Uyghur post. No single transliteration makes these strings equal, so a name
is reduced in two steps:

1. *Reading*: every script is brought to lower-case ASCII Latin with a table
   made for it (Uyghur Arabic script -> ULY, Kazakh/Russian Cyrillic -> Latin,
   Chinese transcriptions of Turkic names -> Latin, Han names -> pinyin;
   anything else through ICU's ``Any-Latin`` when PyICU is installed). A name
   may have more than one reading (a Chinese name can be Han or transcribed; a
   Latin word can be pinyin of a transcription) and all are kept.
2. *Skeleton*: a Soundex-like consonant key tuned to the variation between
   those readings: vowels and y/w go, r/l merge (Chinese has no final r),
   j/zh/dzh/z merge, s/sh merge, b/p/f/v merge, d/t merge, and the velars
   k/q/g with h/kh/x ("strict") or without h/kh/x ("loose": Mehmet ~ Memet).

Name order is ignored by sorting tokens: court lists put the father's name
first as often as last.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from attest.link.tables import load_rows, load_table

#: Characters that join or separate parts of a name ("·" and "•" in Chinese).
SEPARATORS = re.compile(r"[\s·•・‧∙⋅.,;:/\\_\-–—()\[\]{}\"“”«»|+]+")
#: Characters dropped inside a word (ULY apostrophe between vowels, ZWNJ...).
DROPPED = re.compile(r"['’ʼ`´\u200b\u200c\u200d\u200e\u200f\u061c\ufeff]")

# Latin letters with diacritics whose ASCII form is a digraph, not the bare letter.
LATIN_SPECIAL = {
    "ş": "sh", "š": "sh", "ç": "ch", "č": "ch", "ğ": "gh", "ñ": "ng", "ŋ": "ng",
    "ž": "zh", "ı": "i", "ə": "e", "ä": "a", "ö": "o", "ü": "u", "ë": "e", "ß": "ss",
    "ø": "o", "æ": "ae", "đ": "d", "ł": "l",
}


def script_of(char: str) -> str:
    """ISO 15924-like script code of one character ('' for marks and digits)."""
    cp = ord(char)
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF or (
        0x20000 <= cp <= 0x2FA1F
    ):
        return "Hani"
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFDFF or (
        0xFE70 <= cp <= 0xFEFF
    ):
        return "Arab"
    if 0x0400 <= cp <= 0x052F:
        return "Cyrl"
    if 0x0F00 <= cp <= 0x0FFF:
        return "Tibt"
    if char.isalpha():
        return "Latn" if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF else "Zyyy"
    return ""


@dataclass(frozen=True)
class NameKeys:
    """The keys of one name. ``readings[0]`` is the most likely reading."""

    original: str
    scripts: tuple[str, ...]
    readings: tuple[tuple[str, ...], ...]
    skeletons: tuple[str, ...] = field(default=())
    #: Per reading: is it a Han name in pinyin (surname, given)? Pinyin is a
    #: standard spelling, so Han readings are their own skeleton.
    han: tuple[bool, ...] = field(default=())
    loose_skeletons: tuple[str, ...] = field(default=())

    @property
    def tokens(self) -> tuple[str, ...]:
        return self.readings[0] if self.readings else ()

    @property
    def latin(self) -> str:
        """Primary reading in the name's own order, e.g. ``'ilham toxti'``."""
        return " ".join(self.tokens)

    @property
    def sorted_latin(self) -> str:
        """Primary reading with tokens sorted: swapped name order meets."""
        return " ".join(sorted(self.tokens))

    @property
    def skeleton(self) -> str:
        return self.skeletons[0] if self.skeletons else ""

    @property
    def loose(self) -> str:
        return self.loose_skeletons[0] if self.loose_skeletons else ""

    def as_dict(self) -> dict[str, object]:
        return {
            "original": self.original,
            "scripts": list(self.scripts),
            "latin": self.latin,
            "sorted_latin": self.sorted_latin,
            "skeleton": self.skeleton,
            "loose": self.loose,
            "readings": [" ".join(r) for r in self.readings],
            "skeletons": list(self.skeletons),
        }


# --------------------------------------------------------------------------- readings


def fold_latin(text: str) -> str:
    """Lower-case ASCII of a Latin-script string (Ş -> sh, ö -> o)."""
    text = text.casefold()
    text = "".join(LATIN_SPECIAL.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c == " "))


def _by_table(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c if c.isspace() else "") for c in text)


def uyghur_to_latin(text: str) -> str:
    """Uyghur Arabic script -> ULY (ASCII-folded), via ``uyghur_arabic.tsv``."""
    text = unicodedata.normalize("NFKC", text)
    return fold_latin(_by_table(text, load_table("uyghur_arabic")))


def cyrillic_to_latin(text: str) -> str:
    """Kazakh or Russian Cyrillic -> Latin (ASCII-folded), via ``kazakh_cyrillic.tsv``."""
    return fold_latin(_by_table(text.casefold(), load_table("kazakh_cyrillic")))


@cache
def _icu_any_latin():  # pragma: no cover - depends on PyICU being importable
    try:
        import icu
    except ImportError:
        return None
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def other_to_latin(text: str) -> str:
    """Scripts without a table of ours (Tibetan, Greek...): ICU when present."""
    icu_tr = _icu_any_latin()
    if icu_tr is not None:
        text = icu_tr.transliterate(text)
    return fold_latin(text)


@cache
def _han_surnames() -> dict[str, str]:
    return load_table("han_surnames")


@cache
def _zh_latin() -> dict[str, str]:
    """Chinese -> Latin for transcribed Turkic/Tibetan names: known names + syllables."""
    table = {row[0]: row[1] for row in load_rows("zh_transcription")}
    table.update(load_table("zh_known_names"))
    return table


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [fold_latin(p) for p in lazy_pinyin(text, errors="ignore")]


def transcribed_zh_to_latin(text: str) -> str:
    """A transcribed name part (伊力哈木) -> Latin (ilham), longest match first."""
    table = _zh_latin()
    longest = max(len(k) for k in table)
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in table:
                out.append(table[piece])
                i += size
                break
        else:
            out.extend(_pinyin(text[i]))
            i += 1
    return "".join(out)


def han_reading(text: str) -> tuple[str, ...] | None:
    """Surname + given name in pinyin when ``text`` looks like a Han name."""
    if not 2 <= len(text) <= 4:
        return None
    surnames = _han_surnames()
    for size in (2, 1):
        if text[:size] in surnames and len(text) > size:
            given = "".join(_pinyin(text[size:]))
            return (surnames[text[:size]], given)
    return None


@cache
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows ('zhuang', 'lv' as 'lu')."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: set[str] = set()
    for value in pinyin_dict.values():
        for reading in value.split(","):
            out.add(fold_latin(reading))
    return frozenset(out)


def pinyin_syllable_count(token: str, limit: int = 2) -> int:
    """Syllables in ``token`` if it is 1..limit pinyin syllables, else 0."""
    syllables = _pinyin_syllables()
    if token in syllables:
        return 1
    if limit >= 2:
        for i in range(1, len(token)):
            if token[:i] in syllables and token[i:] in syllables:
                return 2
    return 0


@cache
def _surname_pinyin() -> frozenset[str]:
    return frozenset(_han_surnames().values())


def han_latin_reading(tokens: list[str]) -> tuple[str, ...] | None:
    """('wang', 'xiaoming') for 'Wang Xiaoming', 'Xiaoming Wang' or 'Wang Xiao Ming'."""
    if not 2 <= len(tokens) <= 3:
        return None
    surnames = _surname_pinyin()
    for surname_at in (0, len(tokens) - 1):
        surname = tokens[surname_at]
        rest = tokens[1:] if surname_at == 0 else tokens[:-1]
        if surname not in surnames:
            continue
        if len(rest) == 1 and pinyin_syllable_count(rest[0]):
            return (surname, rest[0])
        if len(rest) == 2 and all(pinyin_syllable_count(t, 1) for t in rest):
            return (surname, rest[0] + rest[1])
    return None


@cache
def _pinyin_to_latin() -> dict[str, str]:
    """Pinyin of transcription characters -> Latin (first row of a syllable wins)."""
    out: dict[str, str] = {}
    for row in load_rows("zh_transcription"):
        if len(row) > 2 and row[2]:
            out.setdefault(row[2], row[1])
    for chinese, latin in load_table("zh_known_names").items():
        out["".join(_pinyin(chinese))] = latin  # whole renderings beat syllables
    return out


@lru_cache(maxsize=100_000)
def decode_transcription_pinyin(token: str) -> str | None:
    """'yilihamu' -> 'ilham' when the token parses wholly as transcription pinyin."""
    if len(token) < 4:
        return None
    table = _pinyin_to_latin()
    longest = max(len(k) for k in table)
    n = len(token)
    # best[i] = (pieces, latin) for token[:i]; fewest pieces wins.
    best: list[tuple[int, str] | None] = [None] * (n + 1)
    best[0] = (0, "")
    for i in range(n):
        if best[i] is None:
            continue
        pieces, latin = best[i]  # type: ignore[misc]
        for j in range(i + 1, min(n, i + longest) + 1):
            value = table.get(token[i:j])
            if value is not None and (best[j] is None or best[j][0] > pieces + 1):
                best[j] = (pieces + 1, latin + value)
    end = best[n]
    if end is None:
        return None
    return end[1]


def _segments(text: str) -> list[tuple[str, str]]:
    """Split a name into runs of one script: [('Hani', '伊力哈木'), ('Latn', 'x')]."""
    runs: list[tuple[str, str]] = []
    for char in text:
        script = script_of(char)
        if not script:
            script = runs[-1][0] if runs else "Latn"
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + char)
        else:
            runs.append((script, char))
    return runs


def readings_of(
    name: str,
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[bool, ...]]:
    """Scripts used, the Latin readings (token tuples) of ``name``, and which are Han."""
    text = DROPPED.sub("", unicodedata.normalize("NFC", name)).strip()
    parts = [p for p in SEPARATORS.split(text) if p]
    scripts: list[str] = []
    primary: list[str] = []
    alternative: list[str] = []
    has_alternative = False
    is_han = False
    han_parts = [p for p in parts if all(script_of(c) == "Hani" for c in p)]
    for part in parts:
        for script, run in _segments(part):
            if script not in scripts:
                scripts.append(script)
            if script == "Hani":
                transcribed = transcribed_zh_to_latin(run)
                han = han_reading(run) if len(han_parts) == 1 else None
                if han is not None:
                    primary.extend(han)
                    is_han = True
                    # 马拉提 is Marat, not Ma Lati: keep the transcription as a second
                    # reading when every character after the surname is a transcription one.
                    if all(c in _zh_latin() for c in run[1:]) and len(run) >= 3:
                        alternative.append(transcribed)
                        has_alternative = True
                    else:
                        alternative.extend(han)
                else:
                    primary.append(transcribed)
                    alternative.append(transcribed)
                continue
            if script == "Arab":
                latin = uyghur_to_latin(run)
            elif script == "Cyrl":
                latin = cyrillic_to_latin(run)
            elif script == "Latn":
                latin = fold_latin(run)
            else:
                latin = other_to_latin(run)
            for token in latin.split():
                primary.append(token)
                decoded = decode_transcription_pinyin(token)
                if decoded and decoded != token:
                    has_alternative = True
                    alternative.append(decoded)
                else:
                    alternative.append(token)
    readings = [tuple(t for t in primary if t)]
    flags = [is_han]
    if not is_han and scripts == ["Latn"]:
        han_latin = han_latin_reading(list(readings[0]))
        if han_latin is not None:  # a Han name in pinyin: no transcription readings
            return tuple(scripts), (han_latin,), (True,)
    if has_alternative:
        alt = tuple(t for t in alternative if t)
        if alt and alt not in readings:
            readings.append(alt)
            flags.append(False)
    return tuple(scripts), tuple(readings), tuple(flags)


# --------------------------------------------------------------------------- skeletons

_DIGRAPHS = (
    ("dzh", "J"), ("zh", "J"), ("dj", "J"), ("tch", "C"), ("ch", "C"), ("sh", "S"),
    ("kh", "H"), ("gh", "G"), ("ph", "P"), ("ng", "N"),
)
_CLASSES = {
    **dict.fromkeys("aeiouywv", ""),
    **dict.fromkeys("hxH", "H"),
    **dict.fromkeys("kqcgG", "K"),
    **dict.fromkeys("jzJ", "J"),
    "C": "C",
    **dict.fromkeys("sS", "S"),
    **dict.fromkeys("bpfP", "P"),
    **dict.fromkeys("dt", "T"),
    **dict.fromkeys("lr", "L"),
    "m": "M",
    **dict.fromkeys("nN", "N"),
}


_VOWEL_START = frozenset("aeiouywv")


@lru_cache(maxsize=200_000)
def token_skeleton(token: str, loose: bool = False) -> str:
    """Consonant-class key of one Latin token: 'toxti' -> 'TKT', loose -> 'T'."""
    s = token.lower()
    for digraph, mark in _DIGRAPHS:
        s = s.replace(digraph, mark)
    if loose:
        s = s.lstrip("hxH")
    # Whether a name starts with a vowel survives every script (Chinese writes
    # it with 阿/艾/伊/吾, pinyin as a/ai/yi/wu), so it is kept as a mark: Adil
    # and Tayir, Ainur and Nur stay apart.
    out: list[str] = ["V"] if s[:1] in _VOWEL_START else []
    for char in s:
        cls = _CLASSES.get(char, "")
        if cls == "H":
            cls = "" if loose else "K"
        if cls == "M" and out and out[-1] == "N":
            out.pop()  # Chinese writes "rem" as 然木 (ran-mu): a nasal before m is m
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    return "".join(out) or "A"


def skeleton_of(tokens: tuple[str, ...], loose: bool = False, han: bool = False) -> str:
    """Order-free skeleton of a whole reading: sorted token skeletons.

    A Han reading's strict skeleton is its pinyin: reduced to consonant classes,
    'gang', 'kang', 'qiang' and 'hong' would all be 'KN'.
    """
    if han and not loose:
        return " ".join(sorted(tokens))
    return " ".join(sorted(token_skeleton(t, loose) for t in tokens))


@lru_cache(maxsize=200_000)
def name_keys(name: str) -> NameKeys:
    """All keys of ``name``; cached because lists repeat the same names."""
    scripts, readings, han = readings_of(name or "")
    skeletons: list[str] = []
    loose: list[str] = []
    for reading, is_han in zip(readings, han, strict=True):
        for target, value in (
            (skeletons, skeleton_of(reading, han=is_han)),
            (loose, skeleton_of(reading, True)),
        ):
            if value and value not in target:
                target.append(value)
    return NameKeys(
        original=name,
        scripts=scripts,
        readings=readings,
        skeletons=tuple(skeletons),
        loose_skeletons=tuple(loose),
        han=han,
    )
