"""Request and response bodies of the HTTP API: the OpenAPI description is built from these."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from attest.archive.records import KIND_TABLES

# SQLite hands timestamps back without their zone; they were written in UTC.
UtcDateTime = Annotated[datetime, AfterValidator(lambda d: d if d.tzinfo else d.replace(tzinfo=UTC))]


# Record kinds come from the archive's own table map, so a new kind appears in
# the API (and its OpenAPI description) without a second list to keep in step.
Kind = StrEnum("Kind", {k: k for k in KIND_TABLES})
SearchType = StrEnum("SearchType", {"document": "document", **{k: k for k in KIND_TABLES}})


class DocStatus(StrEnum):
    new = "new"
    in_review = "in_review"
    reviewed = "reviewed"


class Level(StrEnum):
    public = "public"
    restricted = "restricted"
    confidential = "confidential"


class Error(BaseModel):
    detail: str = Field(description="What went wrong, in one sentence a person can act on.")


class Credentials(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)


class SessionInfo(BaseModel):
    user: str
    role: str
    csrf_token: str = Field(description="Send as X-CSRF-Token on every POST/DELETE of this session.")


class DocumentSummary(BaseModel):
    id: int
    title: str | None
    filename: str
    media_type: str
    published: str | None
    status: str
    ingested_at: UtcDateTime
    ingested_by: str
    pending: int = Field(description="Proposals still waiting for a decision.")
    proposals: dict[str, int] = Field(description="Proposals of this document by status.")


class InboxPage(BaseModel):
    items: list[DocumentSummary]
    next_before: int | None = Field(description="Pass as `before` for the next page; null on the last.")
    counts: dict[str, int] = Field(description="Documents in the archive by status.")


class FileResult(BaseModel):
    name: str
    status: str = Field(description="added, duplicate or failed")
    document_id: int | None = None
    proposals: int = 0
    message: str = ""


class UploadResult(BaseModel):
    results: list[FileResult]
    added: int
    duplicate: int
    failed: int


class Proposal(BaseModel):
    id: int
    document_id: int
    kind: str
    label: str | None
    start: int
    end: int
    text: str
    data: Any
    confidence: float
    status: str


class ProposalPage(BaseModel):
    items: list[Proposal]
    next_offset: int | None


class DocumentDetail(BaseModel):
    id: int
    sha256: str
    filename: str
    media_type: str
    title: str | None
    url: str | None
    published: str | None
    status: str
    clean_text: str
    boilerplate: list[str]
    proposal_count: int


class Candidate(BaseModel):
    kind: str
    id: int
    name: str
    score: int
    why: str


class AcceptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    changes: dict[str, str | int | float | list[str] | None] = Field(
        default_factory=dict,
        description="Fields of the proposal's data to correct before it becomes a record.",
    )
    confidentiality: Level = Level.public
    notes: str | None = Field(
        default=None, max_length=2000, description="Restricted: reviewers and up read it."
    )


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=2000)


class AttachBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    record_id: int = Field(ge=1, le=2**62)


class DecisionOut(BaseModel):
    proposal_id: int
    action: str
    record_type: str | None
    record_id: int | None
    document_status: str


class DocumentStatusOut(BaseModel):
    id: int
    status: str


class ProtectedValue(BaseModel):
    level: str
    value: str | None = Field(description="Null when your role does not reach the level.")


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str
    id: int
    name: str
    category: str | None = None
    confidentiality: str
    protected: dict[str, ProtectedValue] = Field(
        default_factory=dict, description="Sealed fields (notes, contact...) with their level."
    )
    withheld: list[str] = Field(default_factory=list, description="Fields hidden from you by your role.")


class RecordPage(BaseModel):
    items: list[Record]
    next_after: int | None


class Mention(BaseModel):
    document_id: int
    document_title: str
    start: int
    end: int
    text: str
    proposal_id: int | None


class ChainLink(BaseModel):
    role: str
    name: str
    document_id: str | None = None
    url: str | None = None


class LinkedRecord(BaseModel):
    role: str
    direction: str
    kind: str
    record: Record | None
    chains: list[list[ChainLink]] = Field(default_factory=list)


class RecordDetail(BaseModel):
    record: Record
    mentions: list[Mention]
    linked: list[LinkedRecord]
    claims: list[LinkedRecord]
    viewer_view: Record | None = Field(description="The record as a viewer would see it (null: hidden).")


class SearchDocument(BaseModel):
    id: int
    title: str | None
    filename: str
    status: str
    media_type: str
    published: str | None
    snippet: str | None


class SearchRecord(BaseModel):
    kind: str
    id: int
    name: str
    category: str | None
    level: str
    snippet: str | None


class SearchOut(BaseModel):
    documents: list[SearchDocument]
    records: list[SearchRecord]
    total_documents: int
    total_capped: bool
    facets: dict[str, dict[str, int]]
    facets_sampled: bool
    next_offset: int | None


# -- overview: the data behind the map, the timeline and the charts -------------------
class TimelineKind(StrEnum):
    person = "person"
    facility = "facility"
    place = "place"


class MapPoint(BaseModel):
    source: str = Field(description="record (a confirmed place) or proposed (named in a document only)")
    id: int | None = Field(description="The place record's id; null for a proposed name.")
    name: str
    lat: float
    lon: float
    country: str | None
    incidents: int = Field(description="Incidents you may read that happened at this place.")
    documents: int = Field(description="Documents that name the place.")
    href: str = Field(description="The page to open: the record, or a search for a proposed name.")


class PlacePage(BaseModel):
    items: list[MapPoint]
    next_offset: int | None
    without_coordinates: int = Field(description="Place records you may read that have no coordinates.")


class TimelineItem(BaseModel):
    id: int
    name: str
    type: str | None
    date_text: str | None = Field(description="The date as the report words it.")
    start: date | None = Field(description="First day of the period the phrase names; null if unparsed.")
    end: date | None = Field(description="Last day of that period (equal to start for a day).")
    precision: str | None = Field(description="day, week, month or year")
    place: str | None
    facility: str | None
    href: str


class TimelinePage(BaseModel):
    items: list[TimelineItem] = Field(description="Dated incidents in date order, then the undated ones.")
    next_offset: int | None
    dated: int
    undated: int


class Count(BaseModel):
    label: str
    count: int


class OverviewOut(BaseModel):
    totals: dict[str, int] = Field(description="Documents, and records you may read by kind.")
    incidents_by_type: list[Count]
    documents_per_month: list[Count] = Field(description="YYYY-MM of ingestion, empty months included.")
    claims_by_corroboration: list[Count] = Field(description="Claims by how many documents carry them.")
