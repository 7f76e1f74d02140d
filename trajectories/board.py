"""The group board of a trajectory: what each member shares, side by side, the common gaps,
the peer matches and the agenda they propose; and "wat deel ik", a member's own row of it.

Read only through `trajectories.selectors.trajectory_access` (its `TrajectoryAccess`): what the
board shows of a member follows its consent on the very next request. The computed board is
cached (`maturity.caching.get_or_render`) under a key that holds every member's consent version
and sharing choices, read live in the board's first query, next to its organisation's data
revision (`OrganisationRevision`, bumped by database triggers on every change of its actions and
submitted assessments), so a withdrawn consent, a new submission or a changed action gives a
new key instead of a stale board.
"""

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actions.models import OPEN_STATUSES, Action
from assessments.models import Assessment
from maturity.caching import digest_key, get_or_render
from maturity.figures import index_shown
from maturity.selectors import ModelStructure, model_version_structure
from trajectories.models import (
    OrganisationRevision,
    Session,
    Trajectory,
    TrajectoryMember,
)
from trajectories.selectors import TrajectoryAccess

# At most this many common gaps on the board and in a proposed agenda.
COMMON_GAPS_SHOWN = 8
AGENDA_GAPS = 3
AGENDA_ACTIONS = 8
# The soonest due open actions shown per member (with how many there are in all).
ACTIONS_SHOWN = 5


@dataclass(frozen=True)
class Standing:
    """A member's phase and index in one assessment, as every page shows them."""

    phase_order: int
    phase_name: str
    index: object  # Decimal, cut to one decimal by maturity.figures
    submitted_at: object


@dataclass(frozen=True)
class DimensionCell:
    key: str
    name: str
    phase_order: int
    index: object


@dataclass(frozen=True)
class SharedAction:
    title: str
    status: str
    status_label: str
    due_date: date
    criterion_key: str


@dataclass
class BoardMember:
    """What one member shares with the group: only the items it consents to are filled in."""

    pk: int
    name: str
    start: Standing | None = None
    now: Standing | None = None
    profile: list[DimensionCell] | None = None
    actions: list[SharedAction] | None = None
    priorities: list[tuple[str, str]] | None = None  # (key, name)
    actions_total: int = 0  # open actions in all (`actions` holds the soonest due)

    @property
    def shares_anything(self) -> bool:
        return any(
            item is not None for item in (self.now, self.profile, self.actions, self.priorities)
        )


@dataclass(frozen=True)
class CommonGap:
    criterion_key: str
    statement: str
    dimension_name: str
    count: int


@dataclass(frozen=True)
class PeerMatch:
    member_name: str
    dimension_name: str
    peer_name: str
    phases_further: int


@dataclass
class Board:
    """The group board of one trajectory, read in a fixed number of queries (two or five)."""

    trajectory: Trajectory
    dimensions: list[tuple[str, str]]  # (key, name) in model order
    members: list[BoardMember]
    member_names: list[str]
    common_gaps: list[CommonGap]
    gap_base: int  # how many members' results the gaps are counted over
    peer_matches: list[PeerMatch]
    # Only for coaches: accepted members without a submitted assessment (names only).
    not_submitted: list[str] | None = None
    sessions: list[Session] = field(default_factory=list)
    # The digest of everything the cached part depends on (`_board_key`): the page keys its
    # rendered sections with it.
    key: str = ""

    @property
    def sharing_members(self) -> list[BoardMember]:
        return [m for m in self.members if m.shares_anything]

    def chart_data(self) -> dict:
        """The dimension profile of each sharing member, for the board's Chart.js chart."""
        return {
            "labels": [name for _key, name in self.dimensions],
            "datasets": [
                {"label": m.name, "values": [float(cell.index) for cell in m.profile]}
                for m in self.members
                if m.profile
            ],
        }


def _standing(assessment: dict, phase_names: dict[int, str]) -> Standing:
    order = assessment["result"]["phase"]["order"]
    return Standing(
        phase_order=order,
        phase_name=phase_names.get(order, str(order)),
        index=index_shown(assessment["result"]["index"]),
        submitted_at=assessment["submitted_at"],
    )


def _start_and_now(assessments: list[dict], start_date: date) -> tuple[dict, dict]:
    """The assessment at the start (the latest before the start date, else the first) and now."""
    before = [a for a in assessments if timezone.localdate(a["submitted_at"]) <= start_date]
    return (before[-1] if before else assessments[0]), assessments[-1]


def _results(
    members: list[TrajectoryMember], slug: str, start_date: date
) -> tuple[dict[int, tuple[dict, dict]], set[int]]:
    """Per member that shares a result: its counted submitted assessment at the start and now,
    with their stored results; and which members' organisations have submitted one at all (the
    coach's "not yet submitted"). Two queries: the dates of every member's assessments, then the
    results of only those two per sharing member (years of history are not read)."""
    if not members:
        return {}, set()
    rows = (
        Assessment.objects.filter(
            organisation_id__in=[m.organisation_id for m in members],
            status=Assessment.Status.SUBMITTED,
            is_test=False,
            model_version__slug=slug,
        )
        .order_by("organisation_id", "submitted_at", "pk")
        .values("pk", "organisation_id", "submitted_at")
    )
    history: dict[int, list[dict]] = {}
    for row in rows:
        history.setdefault(row["organisation_id"], []).append(row)
    sharing = {m.organisation_id for m in members if m.share_phase or m.share_profile}
    chosen = {
        organisation_id: _start_and_now(items, start_date)
        for organisation_id, items in history.items()
        if organisation_id in sharing
    }
    wanted = {row["pk"] for pair in chosen.values() for row in pair}
    results = (
        dict(Assessment.objects.filter(pk__in=wanted).values_list("pk", "result")) if wanted else {}
    )
    shared = {
        organisation_id: tuple({**row, "result": results[row["pk"]]} for row in pair)
        for organisation_id, pair in chosen.items()
    }
    return shared, set(history)


def _shared_actions(
    members: list[TrajectoryMember],
) -> tuple[dict[int, list[SharedAction]], dict[int, int]]:
    """The soonest due open actions (title, status, due date; never the notes) of the members
    sharing them, at most ACTIONS_SHOWN each, and how many open actions each has: one query."""
    ids = [m.organisation_id for m in members if m.share_actions]
    if not ids:
        return {}, {}
    labels = {key: str(label) for key, label in Action.Status.choices}
    per_organisation = {"partition_by": [F("organisation_id")]}
    rows = (
        Action.objects.filter(organisation_id__in=ids, status__in=OPEN_STATUSES)
        .annotate(
            place=Window(RowNumber(), order_by=[F("due_date"), F("pk")], **per_organisation),
            total=Window(Count("pk"), **per_organisation),
        )
        .filter(place__lte=ACTIONS_SHOWN)
        .order_by("due_date", "pk")
        .values_list("organisation_id", "title", "status", "due_date", "criterion_key", "total")
    )
    by_organisation: dict[int, list[SharedAction]] = {}
    totals: dict[int, int] = {}
    for organisation_id, title, status, due, key, total in rows:
        by_organisation.setdefault(organisation_id, []).append(
            SharedAction(title, status, labels.get(status, status), due, key)
        )
        totals[organisation_id] = total
    return by_organisation, totals


@dataclass(frozen=True)
class BoardKey:
    """The digest of everything the cached board depends on, and the accepted members it was
    read from (with their consent), which the board is computed of on a cache miss."""

    digest: str
    accepted: list[TrajectoryMember]


def _accepted_members(trajectory: Trajectory) -> list[TrajectoryMember]:
    """The accepted members with their consent and their organisation's data revision (the
    row database triggers bump on every change of its actions and submitted assessments,
    `OrganisationRevision`): one query over the members' rows, run on every request."""
    revision = OrganisationRevision.objects.filter(organisation_id=OuterRef("organisation_id"))
    return list(
        trajectory.members.filter(status=TrajectoryMember.Status.ACCEPTED)
        .annotate(
            revision_epoch=Subquery(revision.values("epoch")[:1]),
            revision_counter=Subquery(revision.values("counter")[:1]),
        )
        .select_related("organisation")
    )


def board_digest(
    *,
    trajectory: Trajectory,
    is_coach: bool,
    language: str,
    members: list[TrajectoryMember],
) -> str:
    """Everything the cached board (its figures and its rendered sections) depends on: the
    trajectory's start and model version, the reader's kind (a coach sees who has not yet
    submitted) and language, and per accepted member its name, its consent (version, choices,
    priorities) and its data's revision. Pure: tests change each part on its own."""
    version = trajectory.model_version
    return digest_key(
        "trajectory-board",
        trajectory.pk,
        trajectory.start_date,
        version.pk,
        version.published_at,
        is_coach,
        language,
        [
            (
                m.pk,
                m.organisation_id,
                m.organisation.name,
                m.consent_version,
                m.share_phase,
                m.share_profile,
                m.share_actions,
                m.share_priorities,
                m.priorities,
                m.revision_epoch,
                m.revision_counter,
            )
            for m in members
        ],
    )


def board_key(*, access: TrajectoryAccess) -> BoardKey:
    """The board's key as the user may see it now, in one query (the accepted members)."""
    accepted = _accepted_members(access.trajectory)
    digest = board_digest(
        trajectory=access.trajectory,
        is_coach=access.is_coach,
        language=get_language(),
        members=accepted,
    )
    return BoardKey(digest=digest, accepted=accepted)


def board_build(*, access: TrajectoryAccess, key: BoardKey | None = None) -> Board:
    """The group board as the user may see it: consented items only, coaches a little more.

    Two queries when the board is cached (the members with their revisions, the sessions),
    six when it is computed; one less when the caller read `key` already."""
    trajectory = access.trajectory
    key = key or board_key(access=access)
    board = get_or_render(key.digest, lambda: _board_compute(access=access, key=key))
    return dataclasses.replace(
        board, trajectory=trajectory, sessions=list(trajectory.sessions.all()), key=key.digest
    )


def _board_compute(*, access: TrajectoryAccess, key: BoardKey) -> Board:
    """The board's figures of the accepted members (without trajectory and sessions: the caller
    adds the live ones); plain values only, so it can be cached."""
    trajectory = access.trajectory
    accepted = key.accepted
    structure = model_version_structure(version=trajectory.model_version)
    phase_names = {p.order: p.name for p in structure.phases}
    dimensions = [(d.key, d.name) for d in structure.dimensions]
    dimension_names = dict(dimensions)
    results, submitted = _results(accepted, trajectory.model_version.slug, trajectory.start_date)
    actions, action_totals = _shared_actions(accepted)
    board_members, latest = [], {}
    for member in accepted:
        shown = BoardMember(pk=member.pk, name=member.organisation.name)
        pair = results.get(member.organisation_id)
        if pair:
            start, now = pair
            if member.share_phase:
                shown.start = _standing(start, phase_names)
                shown.now = _standing(now, phase_names)
            if member.share_profile:
                shown.profile = [
                    DimensionCell(
                        key=d["key"],
                        name=dimension_names.get(d["key"], d["key"]),
                        phase_order=d["phase"],
                        index=index_shown(d["index"]),
                    )
                    for d in now["result"]["dimensions"]
                ]
            latest[member.pk] = now["result"]
        if member.share_actions:
            shown.actions = actions.get(member.organisation_id, [])
            shown.actions_total = action_totals.get(member.organisation_id, 0)
        if member.share_priorities:
            shown.priorities = [
                (key, dimension_names[key]) for key in member.priorities if key in dimension_names
            ]
        board_members.append(shown)
    by_pk = {m.pk: m for m in accepted}
    gaps, gap_base = _common_gaps(
        [latest[pk] for pk in latest if by_pk[pk].share_phase], structure, dimension_names
    )
    return Board(
        trajectory=None,
        dimensions=dimensions,
        members=board_members,
        member_names=[m.organisation.name for m in accepted],
        common_gaps=gaps,
        gap_base=gap_base,
        peer_matches=peer_matches(board_members, dimension_names),
        not_submitted=(
            [m.organisation.name for m in accepted if m.organisation_id not in submitted]
            if access.is_coach
            else None
        ),
    )


def _common_gaps(
    results: list[dict], structure: ModelStructure, dimension_names: dict[str, str]
) -> tuple[list[CommonGap], int]:
    """The criteria most members still have to meet (their report's advice), with how many."""
    counts = Counter(item["criterion_key"] for result in results for item in result["advice"])
    criteria = structure.criteria_by_key
    dimension_keys = {d.pk: d.key for d in structure.dimensions}
    gaps = []
    for key, count in counts.most_common():
        if count < 2 or len(gaps) == COMMON_GAPS_SHOWN:
            break
        criterion = criteria.get(key)
        gaps.append(
            CommonGap(
                criterion_key=key,
                statement=criterion.statement if criterion else key,
                dimension_name=(
                    dimension_names.get(dimension_keys.get(criterion.dimension_id), "")
                    if criterion
                    else ""
                ),
                count=count,
            )
        )
    return gaps, len(results)


def peer_matches(members: list[BoardMember], dimension_names: dict[str, str]) -> list[PeerMatch]:
    """For each shared priority, the members at least a phase further on that dimension.

    Needs the asking member's priorities and profile, and the peer's profile: a peer that does
    not share its profile is never named.
    """
    profiles = {
        m.pk: {cell.key: cell.phase_order for cell in m.profile} for m in members if m.profile
    }
    matches = []
    for member in members:
        if not member.priorities or member.pk not in profiles:
            continue
        for key, name in member.priorities:
            own_phase = profiles[member.pk].get(key)
            if own_phase is None:
                continue
            for peer in members:
                peer_phase = profiles.get(peer.pk, {}).get(key)
                if peer.pk != member.pk and peer_phase is not None and peer_phase > own_phase:
                    matches.append(PeerMatch(member.name, name, peer.name, peer_phase - own_phase))
    return matches


def agenda_proposal(*, board: Board) -> str:
    """A session agenda from the common gaps and the members' open (shared) actions."""
    lines = [str(_("Welcome and news from each member"))]
    for gap in board.common_gaps[:AGENDA_GAPS]:
        lines.append(
            str(_("Common gap: %(statement)s (%(count)s of %(base)s members)"))
            % {"statement": gap.statement, "count": gap.count, "base": board.gap_base}
        )
    open_actions = sorted(
        ((a.due_date, m.name, a.title) for m in board.members for a in (m.actions or [])),
    )[:AGENDA_ACTIONS]
    if open_actions:
        lines.append(str(_("Open actions:")))
        lines += [f"  - {name}: {title} ({due:%d-%m-%Y})" for due, name, title in open_actions]
    if board.peer_matches:
        lines.append(str(_("Learning from each other:")))
        lines += [f"  - {peer_match_text(match)}" for match in board.peer_matches[:AGENDA_GAPS]]
    lines.append(str(_("Agreements for the next session")))
    return "\n".join(
        f"{number}. {line}" if not line.startswith("  ") else line
        for number, line in _numbered(lines)
    )


def _numbered(lines: list[str]):
    number = 0
    for line in lines:
        if not line.startswith("  "):
            number += 1
        yield number, line


def peer_match_text(match: PeerMatch) -> str:
    """ "Gemeente X staat op webcare een fase verder — vraag hen hoe"."""
    if match.phases_further == 1:
        text = _("%(peer)s is a phase further on %(dimension)s — ask them how (for %(member)s)")
    else:
        text = _(
            "%(peer)s is %(count)s phases further on %(dimension)s — ask them how (for %(member)s)"
        )
    return str(text) % {
        "peer": match.peer_name,
        "dimension": match.dimension_name.lower(),
        "member": match.member_name,
        "count": match.phases_further,
    }


def sharing_overview(*, member: TrajectoryMember) -> dict:
    """Everything the member shares now, exactly as the group sees it (for "wat deel ik")."""
    trajectory = member.trajectory
    access = TrajectoryAccess(trajectory=trajectory, is_coach=False, own_members=(member,))
    board = board_build(access=access)
    return next((m for m in board.members if m.pk == member.pk), None)
