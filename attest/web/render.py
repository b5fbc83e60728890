"""The Jinja2 environment of the pages (autoescaped) and the helpers templates use."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

_MARK = re.compile(r"\[\[(.*?)\]\]", re.S)


def snippet(text: str | None) -> Markup:
    """An FTS snippet with its [[match]] markers as <mark>, everything else escaped."""
    escaped = str(escape(text or ""))
    return Markup(_MARK.sub(r"<mark>\1</mark>", escaped))


def label(value: object) -> str:
    return str(value or "").replace("_", " ")


templates.env.filters["snippet"] = snippet
templates.env.filters["label"] = label
