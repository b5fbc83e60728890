"""The data behind the overview pictures as JSON: counts, places, incidents in time.

Thin handlers over ``attest.service.stats``, which leaves out (and does not
count) every record above the caller's level. Lists are offset-paged: they
are sorted in memory by date or name, and are as long as the confirmed
records, which people create one by one.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from attest.api import models as m
from attest.api.deps import AppState, app_state, current_user
from attest.secure.users import User
from attest.service import stats

router = APIRouter(tags=["overview"])
UserDep = Annotated[User, Depends(current_user)]
StateDep = Annotated[AppState, Depends(app_state)]
Offset = Annotated[int, Query(ge=0, le=10**6)]
Limit = Annotated[int, Query(ge=1, le=500)]
Dated = Annotated[
    bool | None, Query(description="true: only incidents with a readable date; false: only the others")
]


def _counts(pairs: list[tuple[str, int]]) -> list[m.Count]:
    return [m.Count(label=label, count=n) for label, n in pairs]


@router.get("/overview", response_model=m.OverviewOut)
def overview(user: UserDep, state: StateDep) -> m.OverviewOut:
    """Totals and the three charts: incidents by violation type, documents per month, claims by backing."""
    return m.OverviewOut(
        totals=stats.totals(state.archive, user),
        incidents_by_type=_counts(stats.incidents_by_type(state.archive, user)),
        documents_per_month=_counts(stats.documents_per_month(state.archive, user)),
        claims_by_corroboration=_counts(stats.claims_by_corroboration(state.archive, user)),
    )


@router.get("/overview/places", response_model=m.PlacePage)
def places(
    user: UserDep,
    state: StateDep,
    proposed: Annotated[bool, Query(description="Add place names proposed in documents.")] = False,
    offset: Offset = 0,
    limit: Limit = 100,
) -> m.PlacePage:
    """Places with coordinates for the map, with their incident and document counts."""
    found = stats.place_map(state.archive, user, proposed=proposed)
    page = found.points[offset : offset + limit]
    return m.PlacePage(
        items=[m.MapPoint(**asdict(p)) for p in page],
        next_offset=offset + limit if offset + limit < len(found.points) else None,
        without_coordinates=found.without_coordinates,
    )


def _timeline_page(line: stats.Timeline, dated: bool | None, offset: int, limit: int) -> m.TimelinePage:
    items = ([] if dated is False else line.dated) + ([] if dated is True else line.undated)
    return m.TimelinePage(
        items=[m.TimelineItem(**asdict(i)) for i in items[offset : offset + limit]],
        next_offset=offset + limit if offset + limit < len(items) else None,
        dated=len(line.dated),
        undated=len(line.undated),
    )


@router.get("/overview/timeline", response_model=m.TimelinePage)
def timeline(
    user: UserDep, state: StateDep, dated: Dated = None, offset: Offset = 0, limit: Limit = 100
) -> m.TimelinePage:
    """Incidents in date order, each date phrase read relative to its document's publication date."""
    return _timeline_page(stats.timeline(state.archive, user), dated, offset, limit)


@router.get("/records/{kind}/{record_id}/timeline", response_model=m.TimelinePage)
def record_timeline(
    kind: m.TimelineKind,
    record_id: Annotated[int, Path(ge=1, le=2**62)],
    user: UserDep,
    state: StateDep,
    dated: Dated = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> m.TimelinePage:
    """The incidents of one person, facility or place in date order (403 if the record is above you)."""
    line = stats.timeline(state.archive, user, kind=kind.value, record_id=record_id)
    return _timeline_page(line, dated, offset, limit)
