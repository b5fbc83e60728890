"""The pages: login, inbox and upload, document review, records, search.

Each handler parses the form, calls one service function as the logged-in
user and renders or redirects (POST → 303 → GET, so a reload never repeats a
decision). Every POST form carries the session's CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from attest.api.auth import PRELOGIN_COOKIE, SESSION_COOKIE
from attest.api.deps import (
    AppState,
    app_state,
    check_csrf,
    client_address,
    current_user,
    login,
    session_of,
    status_for,
)
from attest.api.routes import set_session_cookie
from attest.api.uploads import read_uploads
from attest.archive.records import CONFIDENTIALITY, KIND_TABLES
from attest.errors import AttestError
from attest.secure.roles import can, require
from attest.secure.users import User
from attest.service import records as record_service
from attest.service import review
from attest.service.ingest import ingest_uploads
from attest.service.search import TYPES, SearchQuery, search
from attest.web.overview import record_timeline
from attest.web.render import templates

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]
StateDep = Annotated[AppState, Depends(app_state)]
PathId = Annotated[int, Path(ge=1, le=2**62)]
CsrfField = Annotated[str, Form(max_length=200)]


def page(request: Request, name: str, user: User | None, **context: Any) -> Response:
    session = session_of(request)
    context.update(user=user, csrf=session.csrf if session else "", can=lambda p: bool(user) and can(user, p))
    return templates.TemplateResponse(request, name, context, status_code=context.pop("status_code", 200))


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- login -----------------------------------------------------------------------
@router.get("/")
def home() -> RedirectResponse:
    return back("/inbox")


@router.get("/login")
def login_form(request: Request, state: StateDep, message: str = "") -> Response:
    nonce, token = state.prelogin.issue()
    response = page(request, "login.html", None, login_token=token, message=message[:200])
    response.set_cookie(PRELOGIN_COOKIE, nonce, httponly=True, samesite="strict", secure=state.secure_cookies)
    return response


@router.post("/login")
def login_submit(
    request: Request,
    state: StateDep,
    name: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: CsrfField,
) -> Response:
    if not state.prelogin.valid(request.cookies.get(PRELOGIN_COOKIE), csrf):
        return _login_again(request, state, "the login form expired; please try again", 403)
    try:
        _user, session = login(state, name, password, client_address(request))
    except AttestError as exc:
        return _login_again(request, state, str(exc), status_for(exc))
    response = back("/inbox")
    set_session_cookie(response, session.token, state.secure_cookies)
    response.delete_cookie(PRELOGIN_COOKIE)
    return response


def _login_again(request: Request, state: AppState, message: str, status: int) -> Response:
    nonce, token = state.prelogin.issue()
    response = page(request, "login.html", None, login_token=token, message=message, status_code=status)
    response.set_cookie(PRELOGIN_COOKIE, nonce, httponly=True, samesite="strict", secure=state.secure_cookies)
    return response


@router.post("/logout")
def logout(request: Request, state: StateDep, csrf: CsrfField) -> Response:
    check_csrf(request, csrf)
    state.sessions.drop(request.cookies.get(SESSION_COOKIE))
    response = back("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


# -- inbox -----------------------------------------------------------------------
@router.get("/inbox")
def inbox(
    request: Request,
    user: UserDep,
    state: StateDep,
    status: Annotated[str | None, Query(max_length=16)] = None,
    media_type: Annotated[str | None, Query(max_length=64)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    result = review.inbox(
        state.archive, user, status=status or None, media_type=media_type or None, before=before
    )
    return page(
        request,
        "inbox.html",
        user,
        inbox=result,
        status=status or "",
        media_type=media_type or "",
        statuses=review.DOC_STATUSES,
        uploaded=None,
    )


@router.post("/upload")
def upload(
    request: Request,
    user: UserDep,
    state: StateDep,
    csrf: CsrfField,
    files: Annotated[list[UploadFile], File()],
) -> Response:
    check_csrf(request, csrf)
    require(user, "ingest")
    report = ingest_uploads(state.archive, read_uploads(files, state.max_upload))
    result = review.inbox(state.archive, user)
    return page(
        request,
        "inbox.html",
        user,
        inbox=result,
        status="",
        media_type="",
        statuses=review.DOC_STATUSES,
        uploaded=report.results,
    )


# -- review ----------------------------------------------------------------------
@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: PathId, user: UserDep, state: StateDep) -> Response:
    view = review.document_view(state.archive, user, doc_id)
    return page(
        request,
        "document.html",
        user,
        view=view,
        doc=view["document"],
        editable=review.EDITABLE,
        vocab=review.VOCABULARIES,
        levels=CONFIDENTIALITY,
        name_of=review.proposal_name,
    )


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=50)
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/proposals/{proposal_id}/accept")
async def accept(request: Request, proposal_id: PathId, user: UserDep, state: StateDep) -> Response:
    form = await _form(request)
    check_csrf(request, form.get("csrf"))
    return await _run(request, state, user, "accept", proposal_id, form)


@router.post("/proposals/{proposal_id}/reject")
async def reject(request: Request, proposal_id: PathId, user: UserDep, state: StateDep) -> Response:
    form = await _form(request)
    check_csrf(request, form.get("csrf"))
    return await _run(request, state, user, "reject", proposal_id, form)


@router.post("/proposals/{proposal_id}/attach")
async def attach(request: Request, proposal_id: PathId, user: UserDep, state: StateDep) -> Response:
    form = await _form(request)
    check_csrf(request, form.get("csrf"))
    return await _run(request, state, user, "attach", proposal_id, form)


async def _run(
    request: Request, state: AppState, user: User, action: str, proposal_id: int, form: dict[str, str]
) -> Response:
    """Apply one decision from a form, then go back to the document at the next proposal."""
    from starlette.concurrency import run_in_threadpool

    archive = state.archive
    doc_id = int(form.get("document_id") or 0)
    if action == "accept":
        original = {k: v for k, v in form.items() if k.startswith("orig_")}
        changes = {
            k[2:]: v for k, v in form.items() if k.startswith("f_") and v != original.get("orig_" + k[2:], "")
        }
        await run_in_threadpool(
            review.accept,
            archive,
            user,
            proposal_id,
            changes=changes,
            confidentiality=form.get("confidentiality") or "public",
            notes=form.get("notes") or None,
        )
    elif action == "reject":
        await run_in_threadpool(review.reject, archive, user, proposal_id, reason=form.get("reason") or None)
    else:
        record_id = form.get("record_id", "")
        if not record_id.isdigit():
            raise review.InvalidEdit("choose the record to attach to")
        await run_in_threadpool(review.attach, archive, user, proposal_id, int(record_id))
    target = f"/documents/{doc_id}#p{proposal_id}" if doc_id else "/inbox"
    return back(target)


@router.post("/documents/{doc_id}/reviewed")
def reviewed(request: Request, doc_id: PathId, user: UserDep, state: StateDep, csrf: CsrfField) -> Response:
    check_csrf(request, csrf)
    review.mark_reviewed(state.archive, user, doc_id)
    return back("/inbox")


# -- records and search ------------------------------------------------------------
@router.get("/records/{kind}")
def record_list(
    request: Request,
    kind: str,
    user: UserDep,
    state: StateDep,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    items = record_service.list_records(state.archive, user, kind, after=after, limit=50, name=name)
    return page(
        request,
        "records.html",
        user,
        kind=kind,
        items=items,
        kinds=list(KIND_TABLES),
        name=name or "",
        next_after=items[-1]["id"] if len(items) == 50 else None,
    )


@router.get("/records/{kind}/{record_id}")
def record(request: Request, kind: str, record_id: PathId, user: UserDep, state: StateDep) -> Response:
    view = record_service.record_page(state.archive, user, kind, record_id)
    timeline = record_timeline(state.archive, user, kind, record_id)
    return page(request, "record.html", user, view=view, rec=view["record"], timeline=timeline)


@router.get("/search")
def search_page(
    request: Request,
    user: UserDep,
    state: StateDep,
    q: Annotated[str, Query(max_length=500)] = "",
    type: Annotated[list[str] | None, Query()] = None,  # noqa: A002
    status: Annotated[str | None, Query(max_length=16)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    facility: Annotated[str | None, Query(max_length=200)] = None,
    violation: Annotated[str | None, Query(max_length=64)] = None,
    date_from: Annotated[str | None, Query(max_length=32)] = None,
    date_to: Annotated[str | None, Query(max_length=32)] = None,
    offset: Annotated[int, Query(ge=0, le=10000)] = 0,
) -> Response:
    query = SearchQuery(
        q=q,
        types=[t for t in (type or []) if t],
        status=status or None,
        place=place or None,
        facility=facility or None,
        violation=violation or None,
        date_from=date_from or None,
        date_to=date_to or None,
        offset=offset,
    )
    result = search(state.archive, user, query) if (q or place or facility or violation or status) else None
    return page(
        request, "search.html", user, query=query, result=result, types=TYPES, statuses=review.DOC_STATUSES
    )
