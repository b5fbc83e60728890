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
        return spec["words"][m.group("word").lower()]
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
    out = []
    for m in _pattern().finditer(text):
        num = m.group("num") or m.group("num2") or m.group("num3")
        scale = m.group("scale") or m.group("scale2") or m.group("scale3")
        value = float(num.replace(",", ""))
        if scale:
            value *= scales[scale.lower()]
        out.append(Amount(m.group(0), value, _currency(m, text), m.start(), m.end()))
    return out
