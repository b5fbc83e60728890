"""The Linkage page: the review queue of candidate pairs, judgements, merges and splits.

Each pair is shown as both records side by side — names in their own
scripts, their Latin readings and sound skeletons, the probability and the
evidence behind it — so a reviewer sees why the linker asks. Forms post to
the same service functions the API and CLI call, with the session's CSRF
token, and redirect back (POST → 303 → GET).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from attest.api.deps import AppState, app_state, check_csrf, current_user
from attest.secure.users import User
from attest.service import linkage
from attest.web.pages import page

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]
StateDep = Annotated[AppState, Depends(app_state)]
PathId = Annotated[int, Path(ge=1, le=2**62)]
CsrfField = Annotated[str, Form(max_length=200)]
PAGE = 20


@router.get("/linkage")
def linkage_page(
    request: Request,
    user: UserDep,
    state: StateDep,
    offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
    message: Annotated[str, Query(max_length=300)] = "",
) -> Response:
    queue = linkage.queue(state.archive, user, offset=offset, limit=PAGE)
    return page(
        request,
        "linkage.html",
        user,
        queue=queue,
        offset=offset,
        merges=linkage.merges(state.archive, user)[:50],
        lists=linkage.lists(state.archive, user),
        message=message,
    )


def _back(message: str = "", anchor: str = "") -> RedirectResponse:
    from urllib.parse import quote

    query = f"?message={quote(message)}" if message else ""
    return RedirectResponse(f"/linkage{query}{anchor}", status_code=303)


@router.post("/linkage/pairs/{pair_id}/judge")
def judge(
    request: Request,
    pair_id: PathId,
    user: UserDep,
    state: StateDep,
    csrf: CsrfField,
    decision: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(request, csrf)
    result = linkage.judge(state.archive, user, pair_id, decision, note=note or None)
    extra = f"; merge {result.merge_id}" if result.merge_id else ""
    return _back(f"pair {pair_id} judged {decision}{extra}")


@router.post("/linkage/merges/{merge_id}/split")
def split(
    request: Request,
    merge_id: PathId,
    user: UserDep,
    state: StateDep,
    csrf: CsrfField,
    decision: Annotated[str, Form(max_length=16)] = "unsure",
) -> Response:
    check_csrf(request, csrf)
    linkage.split(state.archive, user, merge_id, decision=decision)
    return _back(f"merge {merge_id} split", "#merges")


@router.post("/linkage/run")
async def run(request: Request, user: UserDep, state: StateDep, csrf: CsrfField) -> Response:
    check_csrf(request, csrf)
    result = await run_in_threadpool(linkage.run_linkage, state.archive, user)
    return _back(f"{result.records} person records linked: {result.candidates} candidate pairs")
