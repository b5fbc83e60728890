"""Money amounts: currency and value from symbols, codes and words."""

from __future__ import annotations

import pytest

from attest.extract.amounts import find_amounts

CASES = [
    ("They were told to pay 18,000 yuan ($2,855.00 USD) at once.",
     [("18,000 yuan", 18000, "CNY"), ("$2,855.00 USD", 2855.0, "USD")]),
    ("Each family was fined RMB 5,000.", [("RMB 5,000", 5000, "CNY")]),
    ("Bail was set at HK$3 million.", [("HK$3 million", 3_000_000, "HKD")]),
    ("A bribe of 20,000 euros was demanded.", [("20,000 euros", 20000, "EUR")]),
    ("They paid £1.5m in fees and 132,550 tenge in fines.",
     [("£1.5m", 1_500_000, "GBP"), ("132,550 tenge", 132550, "KZT")]),
    ("He was fined 60,000,000 rials.", [("60,000,000 rials", 60_000_000, "IRR")]),
    ("More than 10 million Uyghurs live there.", []),
    ("They will try 5 defendants; the cup was won 3 times.", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_amounts(text: str, expected: list[tuple[str, float, str]]) -> None:
    got = [(a.text, a.value, a.currency) for a in find_amounts(text)]
    assert got == expected


def test_offsets_point_at_the_amount() -> None:
    text = "Relatives paid 8,000 yuan."
    (a,) = find_amounts(text)
    assert text[a.start:a.end] == "8,000 yuan"
    assert a.to_dict()["value"] == 8000 and isinstance(a.to_dict()["value"], int)
