"""Reads of the action plan; every query starts from the user's membership."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from actions.models import OPEN_STATUSES, Action, ActionChange
from assessments.models import Membership
from maturity.prepared import PreparedRead
from maturity.selectors import ModelStructure

# The plan page's status filter: "open" (the default) and "all" besides the statuses themselves.
STATUS_OPEN = "open"
STATUS_ALL = "all"


@dataclass(frozen=True)
class ActionFilter:
    """What the plan page is narrowed to; empty strings mean "any"."""

    status: str = STATUS_OPEN
    owner: str = ""  # "member-<pk>" or "name-<text>"
    dimension: str = ""  # a dimension key of the current model
    criterion: str = ""  # a criterion key: the actions on one question (the step links here)


@dataclass(frozen=True)
class ActionCounts:
    open: int
    overdue: int
    done: int


@dataclass(frozen=True)
class OpenActions:
    """The first open actions of a plan, overdue first, and how many actions are open."""

    actions: list[Action]
    total: int

    @property
    def signature(self) -> str:
        """A digest of all a reader sees of these actions, for the key of a cached document.

        Made of what is shown rather than of change times, so it also changes when an action
        becomes overdue overnight or its owner's name changes, and an edit of an action that
        is not shown does not make a cached document stale.
        """
        shown = [
            (a.pk, a.title, a.owner_label, a.due_date.isoformat(), a.status, a.is_overdue)
            for a in self.actions
        ]
        return hashlib.sha256(repr((self.total, shown)).encode()).hexdigest()[:16]


def _organisation_actions(*, membership: Membership) -> QuerySet[Action]:
    return Action.objects.filter(organisation_id=membership.organisation_id)


def action_get(*, membership: Membership, pk: int) -> Action | None:
    """One action of the membership's organisation with its owner, or None (another's too)."""
    if not 0 < pk < 2**63:
        return None
    return (
        _organisation_actions(membership=membership)
        .select_related("owner_member__user", "changed_by")
        .filter(pk=pk)
        .first()
    )


def action_list_done_since(*, membership: Membership, since) -> list[Action]:
    """The organisation's actions on a criterion finished after ``since``, the latest first."""
    return list(
        _organisation_actions(membership=membership)
        .filter(status=Action.Status.DONE, completed_at__gt=since)
        .exclude(criterion_key="")
        .order_by("-completed_at", "pk")
    )


def action_list(
    *, membership: Membership, narrowed: ActionFilter, structure: ModelStructure | None
) -> QuerySet[Action]:
    """The organisation's actions by due date, narrowed by status, owner, dimension and criterion.

    Dimensions are those of `structure` (the current model): actions match by criterion key.
    """
    actions = _organisation_actions(membership=membership).select_related("owner_member__user")
    if narrowed.status == STATUS_OPEN:
        actions = actions.filter(status__in=OPEN_STATUSES)
    elif narrowed.status != STATUS_ALL:
        actions = actions.filter(status=narrowed.status)
    kind, _sep, value = narrowed.owner.partition("-")
    if kind == "member" and value.isdigit():
        actions = actions.filter(owner_member_id=int(value))
    elif kind == "name" and value:
        actions = actions.filter(owner_name=value)
    if narrowed.dimension:
        dimension = structure.dimensions_by_key.get(narrowed.dimension) if structure else None
        keys = [c.key for c in structure.criteria_of_dimension(dimension)] if dimension else []
        actions = actions.filter(criterion_key__in=keys)
    if narrowed.criterion:
        actions = actions.filter(criterion_key=narrowed.criterion)
    return actions.order_by("due_date", "pk")


def action_list_first_open(*, membership: Membership, limit: int) -> OpenActions:
    """The organisation's first `limit` open actions by due date and the number open: one query.

    By due date, the overdue ones come first (their due date has passed).
    """
    actions = list(
        _organisation_actions(membership=membership)
        .filter(status__in=OPEN_STATUSES)
        .select_related("owner_member__user")
        # Counted over every open action before the limit applies: the total in the same query.
        .annotate(open_total=Window(Count("pk")))
        .order_by("due_date", "pk")[:limit]
    )
    return OpenActions(actions=actions, total=actions[0].open_total if actions else 0)


def action_owner_names(*, membership: Membership) -> list[str]:
    """The free-text owners the organisation's actions name (for the owner filter)."""
    return list(
        _organisation_actions(membership=membership)
        .exclude(owner_name="")
        .order_by("owner_name")
        .values_list("owner_name", flat=True)
        .distinct()
    )


def action_counts(*, user, membership: Membership) -> ActionCounts | None:
    """Open, overdue and done actions of the user's organisation, in one query (the dashboard's
    tile); None when ``membership`` is not the user's own.
    """
    if membership.user_id != user.pk:
        return None
    open_ = Q(status__in=OPEN_STATUSES)
    counts = _organisation_actions(membership=membership).aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(due_date__lt=timezone.localdate())),
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
    )
    return ActionCounts(**counts)


def action_changes(*, action: Action) -> QuerySet[ActionChange]:
    """The history of an action, newest first, with who made each change."""
    return ActionChange.objects.filter(action=action).select_related("changed_by")


def action_export_rows(*, membership: Membership) -> QuerySet[Action]:
    """Every action of the organisation for an export, by due date."""
    return (
        _organisation_actions(membership=membership)
        .select_related("owner_member__user")
        .order_by("due_date", "pk")
    )


def action_list_by_criterion(
    *, membership: Membership, criterion_keys: Iterable[str]
) -> dict[str, tuple[Action, ...]]:
    """The organisation's open and done actions on these criteria, by criterion key: one query.

    Each criterion's open actions first, by due date, then the finished ones, the latest first;
    cancelled actions are left out. No query without keys.
    """
    keys = sorted(set(criterion_keys))
    if not keys:
        return {}
    found: dict[str, list[Action]] = {}
    for action in (
        _organisation_actions(membership=membership)
        .filter(criterion_key__in=keys)
        .exclude(status=Action.Status.CANCELLED)
        .select_related("owner_member__user")
        .order_by("due_date", "pk")
    ):
        found.setdefault(action.criterion_key, []).append(action)
    return {key: tuple(sorted(actions, key=_open_first)) for key, actions in found.items()}


@dataclass(frozen=True)
class ActionSummary:
    """What the questionnaire shows of an action beside its question."""

    pk: int
    title: str
    status: str
    due_date: date
    completed_at: datetime | None
    owner: str  # the owning member's name, or the named service

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class CriterionActions:
    """The first actions on one criterion (open ones by due date, then finished ones, the
    latest first) and how many there are in all (cancelled ones are not counted)."""

    actions: tuple[ActionSummary, ...]
    total: int


_FIRST_BY_CRITERION = PreparedRead(
    lambda organisation_id, keys: (
        Action.objects.filter(organisation_id=organisation_id, criterion_key__in=keys)
        .exclude(status=Action.Status.CANCELLED)
        .order_by()
        .values_list(
            "pk",
            "criterion_key",
            "title",
            "status",
            "due_date",
            "completed_at",
            "owner_name",
            "owner_member__user__first_name",
            "owner_member__user__last_name",
            "owner_member__user__username",
        )
    )
)


def action_list_first_by_criterion(
    *, membership: Membership, criterion_keys: Iterable[str], limit: int
) -> dict[str, CriterionActions]:
    """At most `limit` actions per criterion and each criterion's total, in one query.

    A step of the questionnaire may have a hundred actions on its questions: the rows are read
    as plain values (no model instances) and ordered here, not in SQL, where an ORDER BY (or a
    window keeping the first few per criterion) costs more to compile than the sort, and most
    steps have no actions at all.
    """
    keys = sorted(set(criterion_keys))
    if not keys:
        return {}
    found: dict[str, list[ActionSummary]] = {}
    rows = _FIRST_BY_CRITERION(organisation_id=membership.organisation_id, keys=keys)
    for pk, key, title, status, due, completed, service, first, last, username in rows:
        # As Action.owner_label: the member's full name or username, else the named service.
        owner = (f"{first} {last}".strip() or username) if username is not None else service
        found.setdefault(key, []).append(ActionSummary(pk, title, status, due, completed, owner))
    return {
        key: CriterionActions(tuple(sorted(actions, key=_open_first)[:limit]), len(actions))
        for key, actions in found.items()
    }


def _open_first(action: Action | ActionSummary) -> tuple:
    """Open actions by due date, then finished ones, the latest finished first."""
    if action.is_open:
        return (0, action.due_date.toordinal(), action.pk)
    return (1, -action.completed_at.timestamp(), action.pk)
