"""The group board: its page (sections cached per board key) and its data as JSON."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from maturity.caching import digest_key, get_or_render
from trajectories.board import BoardKey, board_build, board_key, peer_match_text
from trajectories.selectors import TrajectoryAccess, trajectory_sessions
from trajectories.views.access import trajectory_view


@dataclass(frozen=True)
class BoardSections:
    """The board page's sections (members to open actions, the chart's data) as HTML, and
    whether they hold a chart (the page then loads Chart.js)."""

    html: str
    has_chart: bool


def _board_sections(access: TrajectoryAccess, key: BoardKey) -> BoardSections:
    """The board's sections, rendered once per board key (which holds every member's consent
    and data revision, the reader's kind and language): a cached request reads the key and
    this HTML, neither the board's figures nor their rendering (docs/performance.md)."""

    def render_sections() -> BoardSections:
        board = board_build(access=access, key=key)
        chart_data = board.chart_data()
        html = render_to_string(
            "trajectories/includes/_board.html",
            {
                "board": board,
                "peer_texts": [peer_match_text(match) for match in board.peer_matches],
                "chart_data": chart_data,
            },
        )
        return BoardSections(html=html, has_chart=bool(chart_data["datasets"]))

    # render_to_string's SafeString is pickled as one: it comes back from the cache safe.
    return get_or_render(digest_key("trajectory-board-html", key.digest), render_sections)


@require_safe
@trajectory_view()
def trajectory_detail(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """The group board: what every member consents to show, side by side."""
    context = {
        "access": access,
        "trajectory": access.trajectory,
        "sections": _board_sections(access, board_key(access=access)),
        "sessions": trajectory_sessions(access=access),
    }
    return render(request, "trajectories/trajectory_detail.html", context)


@require_safe
@trajectory_view()
def trajectory_board_json(request: HttpRequest, access: TrajectoryAccess) -> JsonResponse:
    """The group board as JSON: the same consented items as the page, nothing more."""
    board = board_build(access=access)

    def standing(value):
        if value is None:
            return None
        return {"phase": value.phase_order, "index": float(value.index)}

    members = [
        {
            "name": m.name,
            "start": standing(m.start),
            "now": standing(m.now),
            "profile": (
                None
                if m.profile is None
                else [
                    {"key": c.key, "phase": c.phase_order, "index": float(c.index)}
                    for c in m.profile
                ]
            ),
            "actions": (
                None
                if m.actions is None
                else [
                    {"title": a.title, "status": a.status, "due_date": a.due_date.isoformat()}
                    for a in m.actions
                ]
            ),
            "actions_total": None if m.actions is None else m.actions_total,
            "priorities": None if m.priorities is None else [key for key, _n in m.priorities],
        }
        for m in board.members
    ]
    data = {
        "trajectory": {"name": board.trajectory.name},
        "members": members,
        "common_gaps": [
            {"criterion_key": g.criterion_key, "count": g.count} for g in board.common_gaps
        ],
        "peer_matches": [
            {"member": p.member_name, "dimension": p.dimension_name, "peer": p.peer_name}
            for p in board.peer_matches
        ],
    }
    if board.not_submitted is not None:
        data["not_submitted"] = board.not_submitted
    return JsonResponse(data)
