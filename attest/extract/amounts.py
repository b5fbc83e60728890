"""Money amounts in running text, with ISO 4217 currency and numeric value.

A regular expression over the clean text, not the tagger: the small model's
MONEY label also fires on head counts ("more than 10 million"), and money
needs the currency resolved anyway. "18,000 yuan ($2,855.00 USD)" yields two
amounts, one per currency. Patterns are compiled once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from attest.extract import vocab

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass(frozen=True)
class Amount:
    """A sum of money as written, with its value and ISO currency."""

    text: str
    value: float
    currency: str
    start: int
    end: int

    def to_dict(self) -> dict:
        value: float | int = int(self.value) if self.value.is_integer() else self.value
        return {
            "text": self.text,
            "value": value,
            "currency": self.currency,
            "start": self.start,
            "end": self.end,
        }


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    spec = vocab.load("currencies")
    symbols = sorted(spec["symbols"], key=len, reverse=True)
    codes = sorted(set(spec["codes"]) | set(spec.get("code_aliases", {})), key=len, reverse=True)
    words = sorted(spec["words"], key=len, reverse=True)
    scales = sorted(spec["scales"], key=len, reverse=True)
    sym = "|".join(re.escape(s) for s in symbols)
    code = "(?-i:" + "|".join(codes) + ")"  # codes only in capitals: "try", "cup" are words
    word = "|".join(re.escape(w) for w in words)
    scale = "|".join(re.escape(s) for s in scales)
    num = rf"(?P<num>{_NUMBER})(?:\s?(?P<scale>{scale})\b)?"
    # symbol-first ($2,855.00 USD), code-first (RMB 5,000), number-first (18,000 yuan)
    return re.compile(
        rf"(?P<sym>{sym})\s?{num}(?:\s(?P<symcode>{code})\b)?"
        rf"|\b(?P<code1>{code})\s?{num.replace('num', 'num2').replace('scale', 'scale2')}"
        rf"|(?<![\w.,]){num.replace('num', 'num3').replace('scale', 'scale3')}"
        rf"\s?(?:(?P<code2>{code})\b|(?P<word>{word})\b)",
        re.IGNORECASE,
    )


def _currency(m: re.Match[str], text: str) -> str:
    spec = vocab.load("currencies")
    aliases = {k.upper(): v for k, v in spec.get("code_aliases", {}).items()}
    for group in ("symcode", "code1", "code2"):
        if m.group(group):
            code = m.group(group).upper()
            return aliases.get(code, code)
    if m.group("word"):
        word = m.group("word").lower()
        by_country = spec.get("word_countries", {}).get(word)
        if by_country:
            counts = {iso: 0 for iso in by_country.values()}
            for name, iso in by_country.items():
                counts[iso] += len(re.findall(rf"\b{re.escape(name)}\b", text))
            best = max(counts, key=lambda k: counts[k])
            if counts[best]:
                return best
        return spec["words"][word]
    symbol = m.group("sym")
    for s, iso in spec["symbols"].items():
        if s.lower() == symbol.lower():
            if s == "¥" and not re.search(r"\b(China|Chinese|yuan|RMB)\b", text):
                return "JPY"
            return iso
    return "USD"


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in ``text``, in order."""
    scales = vocab.load("currencies")["scales"]
    factors = vocab.load("currencies").get("word_factors", {})
    out = []
    for m in _pattern().finditer(text):
        num = m.group("num") or m.group("num2") or m.group("num3")
        scale = m.group("scale") or m.group("scale2") or m.group("scale3")
        value = float(num.replace(",", ""))
        if scale:
            value *= scales[scale.lower()]
        if m.group("word"):
            value *= factors.get(m.group("word").lower(), 1)
        currency = _currency(m, text)
        low = _range_low(text, m.start())
        if low is not None:  # "between 5,000 and 10,000 yuan": the lower bound too
            lnum, lscale = low.group("num"), low.group("scale")
            lscale = lscale or scale  # "from 3 to 5 million rubles": 3 million
            lvalue = float(lnum.replace(",", "")) * (scales[lscale.lower()] if lscale else 1)
            if m.group("word"):
                lvalue *= factors.get(m.group("word").lower(), 1)
            out.append(Amount(low.group(0).strip(), lvalue, currency, low.start(), low.end()))
        out.append(Amount(m.group(0), value, currency, m.start(), m.end()))
    return out


@lru_cache(maxsize=1)
def _range_pattern() -> re.Pattern[str]:
    scales = "|".join(re.escape(s) for s in sorted(vocab.load("currencies")["scales"],
                                                   key=len, reverse=True))
    return re.compile(rf"(?:\bbetween|\bfrom)\s(?P<num>{_NUMBER})(?:\s?(?P<scale>{scales})\b)?"
                      rf"(?P<sep>\s(?:and|to)\s)$", re.IGNORECASE)


def _range_low(text: str, end: int) -> re.Match[str] | None:
    """The lower bound of a range whose upper bound carries the currency:
    "between 5,000 and 10,000 yuan", "from 2 to 3 million rubles". The match
    spans the preposition; its ``num`` group is the number."""
    m = _range_pattern().search(text, max(0, end - 40), end)
    if m is None:
        return None
    return _Low(m)


class _Low:
    """The lower bound's number, scale and span (without the preposition and "and")."""

    def __init__(self, m: re.Match[str]):
        self._m = m

    def group(self, name: str | int) -> str:
        if name == 0:
            return self._m.group("num") + (f" {self._m.group('scale')}" if self._m.group("scale") else "")
        return self._m.group(name)

    def start(self) -> int:
        return self._m.start("num")

    def end(self) -> int:
        return self._m.end("scale") if self._m.group("scale") else self._m.end("num")
