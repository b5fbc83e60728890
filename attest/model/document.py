"""What a report becomes once read: the document record and its parts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ReadDocument(BaseModel):
    """A file turned into text, before it is stored.

    ``clean_text`` is the text extraction runs on and every span points into;
    ``boilerplate`` holds the whole lines of web noise removed from it.
    """

    filename: str
    sha256: str
    media_type: str
    original: bytes = Field(repr=False)
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    clean_text: str
    boilerplate: list[str] = Field(default_factory=list)


class Document(BaseModel):
    """A stored document (without its original bytes, which are fetched on demand)."""

    id: int
    sha256: str
    filename: str
    media_type: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    clean_text: str
    boilerplate: list[str] = Field(default_factory=list)
    status: str = "new"
    ingested_at: datetime
    ingested_by: str
    size: int = 0
