"""The overview page and the record-page timeline: stats from the service, drawn by charts.

The glue between ``attest.service.stats`` (what to draw, already filtered by
role) and ``attest.web.charts`` (how to draw it) lives here, so both stay
free of each other's types and the page handlers stay one call long.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from attest.api.deps import AppState, app_state, current_user
from attest.archive import Archive
from attest.secure.users import User
from attest.service import stats
from attest.web import charts
from attest.web.render import label

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]
StateDep = Annotated[AppState, Depends(app_state)]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def map_points(points: list[stats.MapPoint]) -> list[charts.Point]:
    return [
        charts.Point(
            name=p.name,
            lon=p.lon,
            lat=p.lat,
            weight=p.incidents + p.documents,
            href=p.href,
            detail=(
                f"proposed in {_plural(p.documents, 'document')}, not yet reviewed"
                if p.source == "proposed"
                else f"{_plural(p.incidents, 'incident')}, {_plural(p.documents, 'document')}"
            ),
            proposed=p.source == "proposed",
        )
        for p in points
    ]


def marks(items: list[stats.TimelineItem]) -> list[charts.Mark]:
    out = []
    for i in items:
        if i.start is None or i.end is None:
            continue
        when = i.start.isoformat() if i.start == i.end else f"{i.start.isoformat()} – {i.end.isoformat()}"
        said = f"“{i.date_text}” → {when}" if i.date_text else when
        out.append(charts.Mark(i.name, i.type or "unspecified", i.start, i.end, i.href, said))
    return out


def record_timeline(archive: Archive, user: User, kind: str, record_id: int) -> dict | None:
    """The incidents of a person, facility or place drawn in time, for its record page."""
    if kind not in stats.TIMELINE_KINDS:
        return None
    line = stats.timeline(archive, user, kind=kind, record_id=record_id)
    if not line.dated and not line.undated:
        return None
    svg = charts.timeline_svg(marks(line.dated), title=f"Incidents of this {kind} over time", ident="rec-tl")
    return {"svg": Markup(svg), "undated": line.undated}


@router.get("/overview")
def overview_page(
    request: Request,
    user: UserDep,
    state: StateDep,
    proposed: Annotated[bool, Query()] = False,
) -> Response:
    from attest.web.pages import page

    data = stats.overview(state.archive, user, proposed=proposed)
    pictures = {
        "map": charts.map_svg(map_points(data.places.points), title="Places of the archive"),
        "timeline": charts.timeline_svg(marks(data.timeline.dated)),
        "types": charts.bar_chart_svg(
            [
                charts.Bar(label(t), n, charts.search_href(violation=t) if t != "unspecified" else None)
                for t, n in data.incidents_by_type
            ],
            title="Incidents by violation type",
            ident="types",
            colour=charts.PALETTE[1],
        ),
        "months": charts.column_chart_svg(
            [charts.Bar(m, n) for m, n in data.documents_per_month],
            title="Documents ingested per month",
            ident="months",
        ),
        "corroboration": charts.bar_chart_svg(
            [charts.Bar(b, n) for b, n in data.claims_by_corroboration],
            title="Claims by the number of documents that carry them",
            ident="corroboration",
            colour=charts.PALETTE[2],
        ),
    }
    return page(
        request,
        "overview.html",
        user,
        data=data,
        svg={k: Markup(v) for k, v in pictures.items()},
        proposed=proposed,
    )
