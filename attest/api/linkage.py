"""The linkage endpoints under /api/link: the review queue, judgements, merges, clusters, labels.

Thin handlers over :mod:`attest.service.linkage`, which checks roles
(``read`` to look, ``review`` to judge, split or run the linker). Lists are
offset-paged: the queue is ordered by usefulness, which a keyset cannot
follow, and merges and labels are made one by one by people.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from pydantic import BaseModel, Field

from attest.api.deps import AppState, app_state, check_csrf, current_user
from attest.secure.users import User
from attest.service import linkage

router = APIRouter(prefix="/link", tags=["linkage"])
UserDep = Annotated[User, Depends(current_user)]
StateDep = Annotated[AppState, Depends(app_state)]
PathId = Annotated[int, Path(ge=1, le=2**62)]
Offset = Annotated[int, Query(ge=0, le=10**6)]
Limit = Annotated[int, Query(ge=1, le=200)]


def _csrf(request: Request, x_csrf_token: Annotated[str | None, Header()] = None) -> None:
    check_csrf(request, x_csrf_token)


Csrf = Depends(_csrf)


class ListRef(BaseModel):
    name: str
    row: int = Field(description="Line of the list file the record came from.")


class Side(BaseModel):
    id: int = Field(description="Person record id.")
    name: str = Field(description="The name as written, in its own script.")
    scripts: list[str]
    latin: str = Field(description="Readings of the name in Latin, '|' between alternatives.")
    skeleton: str = Field(description="Strict sound skeleton (the name key that blocks pairs).")
    fields: dict[str, Any]
    list: ListRef | None
    mentions: int = Field(description="Document spans and list rows behind this record.")


class Judgement(BaseModel):
    id: int
    candidate_id: int
    decision: str
    note: str | None
    supersedes: int | None = Field(description="The judgement this one replaces (kept, never erased).")
    actor: str
    at: datetime


class Pair(BaseModel):
    id: int
    probability: float = Field(description="Match probability from the linker.")
    evidence: str = Field(description="The strongest Bayes factors behind the probability, in words.")
    weights: dict[str, Any] = Field(description="Per comparison: the level and its Bayes factor.")
    mentions: int
    a: Side
    b: Side
    judgement: Judgement | None


class PairDetail(Pair):
    history: list[Judgement]


class QueuePage(BaseModel):
    items: list[Pair]
    total: int = Field(description="Undecided pairs open to you.")
    next_offset: int | None


class JudgeBody(BaseModel):
    decision: Literal["same", "different", "unsure"]
    note: str | None = Field(None, max_length=2000)


class SplitBody(BaseModel):
    decision: Literal["unsure", "different"] = "unsure"
    note: str | None = Field(None, max_length=2000)


class JudgementOut(BaseModel):
    pair_id: int
    judgement_id: int
    decision: str
    supersedes: int | None
    merge_id: int | None = None
    split_merge_id: int | None = None


class Merge(BaseModel):
    id: int
    a_id: int
    b_id: int
    a_name: str
    b_name: str
    judgement_id: int | None
    created_at: datetime
    created_by: str
    split_at: datetime | None
    split_by: str | None
    active: bool


class MergePage(BaseModel):
    items: list[Merge]
    next_offset: int | None


class Member(BaseModel):
    id: int
    name: str
    mentions: int
    list: ListRef | None


class Cluster(BaseModel):
    cluster_id: int = Field(description="The smallest person id in the cluster.")
    size: int
    mentions: int
    members: list[Member]


class ClusterPage(BaseModel):
    items: list[Cluster]
    next_offset: int | None


class Label(BaseModel):
    pair_id: int
    record_id_l: int
    record_id_r: int
    decision: str
    clerical_match_score: float | None = Field(description="1 same, 0 different, null unsure.")
    model_probability: float
    judged_by: str
    judged_at: str | None
    note: str | None
    supersedes: int | None


class LabelPage(BaseModel):
    items: list[Label]
    next_offset: int | None


class RunOut(BaseModel):
    records: int
    candidates: int
    kept_decided: int
    labels: int


def _page(rows: list[Any], offset: int, limit: int) -> tuple[list[Any], int | None]:
    return rows[offset : offset + limit], offset + limit if offset + limit < len(rows) else None


@router.get("/queue", response_model=QueuePage)
def queue(user: UserDep, state: StateDep, offset: Offset = 0, limit: Limit = 20) -> QueuePage:
    """Undecided candidate pairs, most useful first (probability nearest 0.5, then most mentions)."""
    return QueuePage(**linkage.queue(state.archive, user, offset=offset, limit=limit))


@router.get("/pairs/{pair_id}", response_model=PairDetail)
def get_pair(pair_id: PathId, user: UserDep, state: StateDep) -> PairDetail:
    """One candidate pair with both records and every judgement of it."""
    return PairDetail(**linkage.pair(state.archive, user, pair_id))


@router.post("/pairs/{pair_id}/judgements", response_model=JudgementOut, dependencies=[Csrf])
def judge(pair_id: PathId, body: JudgeBody, user: UserDep, state: StateDep) -> JudgementOut:
    """Judge a pair (appended; supersedes an earlier judgement). ``same`` merges the two records."""
    return JudgementOut(**linkage.judge(state.archive, user, pair_id, body.decision, note=body.note).__dict__)


@router.get("/merges", response_model=MergePage)
def merges(
    user: UserDep, state: StateDep, offset: Offset = 0, limit: Limit = 50, active: bool = False
) -> MergePage:
    """Merges newest first; split ones stay listed (``active`` false) unless ``active=true``."""
    items, nxt = _page(linkage.merges(state.archive, user, active_only=active), offset, limit)
    return MergePage(items=items, next_offset=nxt)


@router.post("/merges/{merge_id}/split", response_model=JudgementOut, dependencies=[Csrf])
def split(merge_id: PathId, body: SplitBody, user: UserDep, state: StateDep) -> JudgementOut:
    """Undo a merge; the pair gets a superseding judgement; no record or mention changes."""
    result = linkage.split(state.archive, user, merge_id, decision=body.decision, note=body.note)
    return JudgementOut(**result.__dict__)


@router.get("/clusters", response_model=ClusterPage)
def clusters(user: UserDep, state: StateDep, offset: Offset = 0, limit: Limit = 50) -> ClusterPage:
    """Persons joined by active merges, each member with its own mentions."""
    items, nxt = _page(linkage.clusters(state.archive, user), offset, limit)
    return ClusterPage(items=items, next_offset=nxt)


@router.get("/labels", response_model=LabelPage)
def labels(user: UserDep, state: StateDep, offset: Offset = 0, limit: Limit = 200) -> LabelPage:
    """The current judgement of every judged pair, as training labels."""
    items, nxt = _page(linkage.labels(state.archive, user), offset, limit)
    return LabelPage(items=items, next_offset=nxt)


@router.post("/runs", response_model=RunOut, dependencies=[Csrf])
def run(user: UserDep, state: StateDep) -> RunOut:
    """Run the linker over every person record; undecided candidates are replaced, judged ones kept."""
    result = linkage.run_linkage(state.archive, user)
    return RunOut(**{k: getattr(result, k) for k in RunOut.model_fields})
