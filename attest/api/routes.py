"""The HTTP API under /api: thin handlers over the service functions.

Every handler takes the logged-in user and passes it to the service, which
checks the role; errors become JSON ``{"detail": ...}`` with a 4xx status
(see ``attest.api.deps.STATUS``). Every list is paged: keyset (``before`` /
``after``) where the list can grow large, offset where it cannot.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Header, Path, Query, Request, Response, UploadFile
from sqlalchemy import select

from attest.api import models as m
from attest.api.auth import SESSION_COOKIE
from attest.api.deps import (
    AppState,
    app_state,
    check_csrf,
    client_address,
    current_user,
    login,
    session_of,
)
from attest.api.linkage import router as linkage_router
from attest.api.overview import router as overview_router
from attest.api.uploads import read_uploads
from attest.archive.schema import proposals
from attest.secure.roles import require
from attest.secure.users import User
from attest.service import records as record_service
from attest.service import review
from attest.service.ingest import ingest_uploads
from attest.service.search import SearchQuery, search

ERRORS = {code: {"model": m.Error} for code in (400, 401, 403, 404, 409, 413, 422, 429)}
router = APIRouter(responses=ERRORS)

UserDep = Annotated[User, Depends(current_user)]
StateDep = Annotated[AppState, Depends(app_state)]
PathId = Annotated[int, Path(ge=1, le=2**62)]


def csrf(request: Request, x_csrf_token: Annotated[str | None, Header()] = None) -> None:
    check_csrf(request, x_csrf_token)


Csrf = Depends(csrf)


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")


# -- session ---------------------------------------------------------------------
@router.post("/session", response_model=m.SessionInfo, tags=["session"])
def create_session(
    body: m.Credentials, request: Request, response: Response, state: StateDep
) -> m.SessionInfo:
    """Log in; the session cookie is HttpOnly and SameSite=Strict."""
    user, session = login(state, body.name, body.password, client_address(request))
    set_session_cookie(response, session.token, state.secure_cookies)
    return m.SessionInfo(user=user.name, role=user.role, csrf_token=session.csrf)


@router.get("/session", response_model=m.SessionInfo, tags=["session"])
def get_session(request: Request, user: UserDep) -> m.SessionInfo:
    session = session_of(request)
    assert session is not None  # current_user checked it
    return m.SessionInfo(user=user.name, role=user.role, csrf_token=session.csrf)


@router.delete("/session", status_code=204, tags=["session"], dependencies=[Csrf])
def delete_session(request: Request, response: Response, state: StateDep) -> None:
    state.sessions.drop(request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/")


# -- documents -------------------------------------------------------------------
@router.get("/documents", response_model=m.InboxPage, tags=["documents"])
def list_documents(
    user: UserDep,
    state: StateDep,
    status: m.DocStatus | None = None,
    media_type: Annotated[str | None, Query(max_length=64)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> m.InboxPage:
    """The inbox: newest first, keyset-paged by ``before``."""
    page = review.inbox(
        state.archive,
        user,
        status=status.value if status else None,
        media_type=media_type,
        before=before,
        limit=limit,
    )
    return m.InboxPage(items=page.items, next_before=page.next_before, counts=page.counts)


@router.post("/documents", response_model=m.UploadResult, tags=["documents"], dependencies=[Csrf])
def upload_documents(
    user: UserDep,
    state: StateDep,
    files: Annotated[list[UploadFile], File(description="Report files", min_length=1)],
) -> m.UploadResult:
    """Ingest uploaded files; each gets a result, bad files named with the reason."""
    require(user, "ingest")
    report = ingest_uploads(state.archive, read_uploads(files, state.max_upload))
    results = [
        m.FileResult(
            name=r.path,
            status=r.status,
            document_id=r.document_id,
            proposals=r.proposals or 0,
            message=r.message or "",
        )
        for r in report.results
    ]
    return m.UploadResult(
        results=results,
        added=report.count("added"),
        duplicate=report.count("duplicate"),
        failed=report.count("failed"),
    )


@router.get("/documents/{doc_id}", response_model=m.DocumentDetail, tags=["documents"])
def get_document(doc_id: PathId, user: UserDep, state: StateDep) -> m.DocumentDetail:
    require(user, "read")
    doc = state.archive.documents.get(doc_id)
    count = len(state.archive.proposals.for_document(doc_id))
    return m.DocumentDetail(**doc.model_dump(), proposal_count=count)


@router.get("/documents/{doc_id}/proposals", response_model=m.ProposalPage, tags=["review"])
def document_proposals(
    doc_id: PathId,
    user: UserDep,
    state: StateDep,
    status: Annotated[str | None, Query(max_length=16)] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> m.ProposalPage:
    require(user, "read")
    state.archive.documents.get(doc_id)
    query = select(proposals).where(proposals.c.document_id == doc_id)
    if status:
        query = query.where(proposals.c.status == status)
    with state.archive.engine.connect() as conn:
        rows = [
            r._asdict()
            for r in conn.execute(
                query.order_by(proposals.c.start, proposals.c.id).offset(offset).limit(limit + 1)
            )
        ]
    more = len(rows) > limit
    return m.ProposalPage(items=rows[:limit], next_offset=offset + limit if more else None)


@router.post(
    "/documents/{doc_id}/reviewed", response_model=m.DocumentStatusOut, tags=["review"], dependencies=[Csrf]
)
def mark_reviewed(doc_id: PathId, user: UserDep, state: StateDep) -> m.DocumentStatusOut:
    return m.DocumentStatusOut(id=doc_id, status=review.mark_reviewed(state.archive, user, doc_id))


# -- review ----------------------------------------------------------------------
@router.get("/proposals/{proposal_id}/candidates", response_model=list[m.Candidate], tags=["review"])
def proposal_candidates(proposal_id: PathId, user: UserDep, state: StateDep) -> list[m.Candidate]:
    """Existing records this proposal may be (attach instead of creating a duplicate)."""
    return review.candidates(state.archive, user, proposal_id)


@router.post(
    "/proposals/{proposal_id}/accept", response_model=m.DecisionOut, tags=["review"], dependencies=[Csrf]
)
def accept(proposal_id: PathId, body: m.AcceptBody, user: UserDep, state: StateDep) -> m.DecisionOut:
    d = review.accept(
        state.archive,
        user,
        proposal_id,
        changes=body.changes,
        confidentiality=body.confidentiality.value,
        notes=body.notes,
    )
    return m.DecisionOut(**d.__dict__)


@router.post(
    "/proposals/{proposal_id}/reject", response_model=m.DecisionOut, tags=["review"], dependencies=[Csrf]
)
def reject(proposal_id: PathId, body: m.RejectBody, user: UserDep, state: StateDep) -> m.DecisionOut:
    return m.DecisionOut(**review.reject(state.archive, user, proposal_id, reason=body.reason).__dict__)


@router.post(
    "/proposals/{proposal_id}/attach", response_model=m.DecisionOut, tags=["review"], dependencies=[Csrf]
)
def attach(proposal_id: PathId, body: m.AttachBody, user: UserDep, state: StateDep) -> m.DecisionOut:
    return m.DecisionOut(**review.attach(state.archive, user, proposal_id, body.record_id).__dict__)


# -- records ---------------------------------------------------------------------
@router.get("/records/{kind}", response_model=m.RecordPage, tags=["records"])
def list_records(
    kind: m.Kind,
    user: UserDep,
    state: StateDep,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> m.RecordPage:
    """Records of one kind, keyset-paged by ``after``; those above your level are left out."""
    items = record_service.list_records(state.archive, user, kind.value, after=after, limit=limit, name=name)
    return m.RecordPage(items=items, next_after=items[-1]["id"] if len(items) == limit else None)


@router.get("/records/{kind}/{record_id}", response_model=m.RecordDetail, tags=["records"])
def get_record(kind: m.Kind, record_id: PathId, user: UserDep, state: StateDep) -> m.RecordDetail:
    """A record with its provenance, the claims about it and their attribution chains."""
    page = record_service.record_page(state.archive, user, kind.value, record_id)
    return m.RecordDetail(**page)


# -- search ----------------------------------------------------------------------
@router.get("/search", response_model=m.SearchOut, tags=["search"])
def search_endpoint(
    user: UserDep,
    state: StateDep,
    q: Annotated[str, Query(max_length=500)] = "",
    type: Annotated[list[m.SearchType] | None, Query(max_length=10)] = None,  # noqa: A002 - public name
    status: m.DocStatus | None = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    facility: Annotated[str | None, Query(max_length=200)] = None,
    violation: Annotated[str | None, Query(max_length=64)] = None,
    date_from: Annotated[str | None, Query(max_length=32)] = None,
    date_to: Annotated[str | None, Query(max_length=32)] = None,
    offset: Annotated[int, Query(ge=0, le=10000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> m.SearchOut:
    """Full text over documents and records, with facets (type, place, facility, violation, date, status)."""
    query = SearchQuery(
        q=q,
        types=[t.value for t in type or []],
        status=status.value if status else None,
        place=place,
        facility=facility,
        violation=violation,
        date_from=date_from,
        date_to=date_to,
        offset=offset,
        limit=limit,
    )
    return m.SearchOut(**search(state.archive, user, query).__dict__)


# -- overview (map, timeline, charts) ------------------------------------------------
router.include_router(overview_router)
router.include_router(linkage_router)
