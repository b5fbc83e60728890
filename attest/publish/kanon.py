"""The k-anonymity check: refuse an export where a few people stand out.

A combination of harmless-looking fields (place + birth year + occupation)
can point at one person as surely as a name. Before anything is written,
every combination a policy declares is counted over the rows being exported;
a group smaller than k stops the export with an error naming the
combination, its values and the group size.
"""

from __future__ import annotations

from collections import Counter

from attest.errors import AttestError


class KAnonymityViolation(AttestError):
    """A quasi-identifier combination singles out fewer than k records."""


def check_k(record_type: str, rows: list[dict], combos: list[list[str]], k: int) -> None:
    """Raise KAnonymityViolation for the first combination with a group smaller than ``k``.

    Only exported values count (a field the reader does not see cannot single
    anyone out); a row with none of the combination's fields is not counted.
    """
    for combo in combos:
        groups: Counter[tuple] = Counter()
        for row in rows:
            key = tuple(_hashable(row.get(f)) for f in combo)
            if any(v is not None for v in key):
                groups[key] += 1
        small = [(key, n) for key, n in groups.items() if n < k]
        if small:
            key, n = min(small, key=lambda item: item[1])
            values = ", ".join(f"{f}={v!r}" for f, v in zip(combo, key, strict=True))
            raise KAnonymityViolation(
                f"{record_type}: the combination {' + '.join(combo)} singles out {n} record(s) "
                f"({values}), fewer than k={k}; {len(small)} group(s) are too small. "
                "Remove or coarsen one of these fields in the policy, or lower k deliberately."
            )


def _hashable(value: object) -> object:
    if isinstance(value, list | dict):
        return repr(value)
    return value
