"""attest: an evidence base for human-rights monitors.

The supported entry points are named here; everything else lives behind
them and may change. Imports are lazy so that ``import attest`` stays cheap
(spaCy, Splink and FastAPI load only when their part is used).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Archive": "attest.archive",
    "read_file": "attest.ingest.pipeline",
    "extract": "attest.extract",
    "ingest_paths": "attest.service.ingest",
    "match_names": "attest.link.match",
    "AttestError": "attest.errors",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'attest' has no attribute {name!r}")
