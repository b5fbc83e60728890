"""Linkage: one person across many reports.

Public face of the layer: name keys across scripts (:func:`name_keys`), a
calibrated name-only match (:func:`match_names`) and probabilistic record
linkage of person records with Splink (:func:`link_persons`, imported lazily
because Splink and DuckDB are heavy).
"""

from attest.link.match import NameMatch, match_names
from attest.link.names import NameKeys, name_keys

__all__ = ["NameKeys", "NameMatch", "link_persons", "match_names", "name_keys"]


def __getattr__(name: str):  # pragma: no cover - thin lazy import
    if name == "link_persons":
        from attest.link.linkage import link_persons

        return link_persons
    raise AttributeError(name)
