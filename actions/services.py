"""Writes for the action plan; each checks the user's role and the input itself."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionChange
from assessments.models import ANSWERING_ROLES, Membership, Organisation
from assessments.services import NotAllowedError
from maturity.selectors import model_version_latest_published, model_version_structure

# A due date may lie a little in the past (a plan written down after the fact), not years.
DUE_DATE_PAST_DAYS = 365
DUE_DATE_FUTURE_DAYS = 10 * 365
# The fields whose changes the history records, in the order a page shows them.
TRACKED_FIELDS = ("title", "criterion_key", "owner", "due_date", "status", "notes")


class UnknownCriterionError(Exception):
    """The criterion key is not in the current published maturity model."""


class ForeignOwnerError(Exception):
    """The owner is not a member of the action's organisation."""


class DueDateOutOfRangeError(Exception):
    """The due date lies too far in the past or the future."""


class OwnerAmbiguousError(Exception):
    """Both a member and a free-text owner were given; an action has one owner."""


@dataclass(frozen=True)
class ActionInput:
    """What a person fills in for an action."""

    title: str
    criterion_key: str
    owner_member: Membership | None
    owner_name: str
    due_date: date
    status: str
    notes: str


def current_criterion_keys() -> set[str]:
    """The criterion keys of the newest published model: the ones new actions may link to."""
    version = model_version_latest_published()
    if version is None:
        return set()
    return set(model_version_structure(version=version).criteria_by_key)


def _require_answering_role(*, user, organisation_id: int) -> None:
    if not Membership.objects.filter(
        organisation_id=organisation_id, user_id=user.pk, role__in=ANSWERING_ROLES
    ).exists():
        raise NotAllowedError


def _check_input(*, organisation_id: int, data: ActionInput, before: Action | None) -> None:
    """Refuse an owner of another organisation, an unknown criterion, an unlikely due date.

    A value that did not change is not judged again: an action on a criterion that left the
    model, or one long overdue, can still be marked done.
    """
    if data.owner_member is not None and data.owner_name.strip():
        raise OwnerAmbiguousError
    if data.owner_member is not None and data.owner_member.organisation_id != organisation_id:
        raise ForeignOwnerError
    key_changed = before is None or before.criterion_key != data.criterion_key
    if data.criterion_key and key_changed and data.criterion_key not in current_criterion_keys():
        raise UnknownCriterionError
    if before is None or before.due_date != data.due_date:
        today = timezone.localdate()
        earliest = today - timedelta(days=DUE_DATE_PAST_DAYS)
        latest = today + timedelta(days=DUE_DATE_FUTURE_DAYS)
        if not earliest <= data.due_date <= latest:
            raise DueDateOutOfRangeError


def _apply(action: Action, data: ActionInput, *, user, now) -> None:
    action.title = data.title.strip()
    action.criterion_key = data.criterion_key
    action.owner_member = data.owner_member
    action.owner_name = data.owner_name.strip()
    action.due_date = data.due_date
    if data.status != action.status:
        action.completed_at = now if data.status == Action.Status.DONE else None
    action.status = data.status
    action.notes = data.notes.strip()
    action.changed_by = user
    action.changed_at = now


def _tracked(action: Action) -> dict[str, str]:
    """The tracked fields as the history stores them (the owner as people read it)."""
    return {
        "title": action.title,
        "criterion_key": action.criterion_key,
        "owner": action.owner_label,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "notes": action.notes,
    }


@transaction.atomic
def action_create(*, organisation: Organisation, user, data: ActionInput) -> Action:
    """Add an action to the organisation's plan (respondents and admins)."""
    _require_answering_role(user=user, organisation_id=organisation.pk)
    _check_input(organisation_id=organisation.pk, data=data, before=None)
    now = timezone.now()
    action = Action(organisation=organisation, created_by=user, created_at=now)
    _apply(action, data, user=user, now=now)
    action.full_clean()
    action.save()
    ActionChange.objects.create(
        action=action, field="created", new_value=action.title, changed_by=user, changed_at=now
    )
    return action


@transaction.atomic
def action_update(*, action: Action, user, data: ActionInput) -> Action:
    """Change an action (respondents and admins); every changed field goes into its history."""
    locked = (
        Action.objects.select_for_update(of=("self",))
        .select_related("owner_member__user")
        .get(pk=action.pk)
    )
    _require_answering_role(user=user, organisation_id=locked.organisation_id)
    _check_input(organisation_id=locked.organisation_id, data=data, before=locked)
    before = _tracked(locked)
    now = timezone.now()
    _apply(locked, data, user=user, now=now)
    locked.full_clean()
    after = _tracked(locked)
    changed = [name for name in TRACKED_FIELDS if before[name] != after[name]]
    if not changed:
        return locked
    locked.save()
    ActionChange.objects.bulk_create(
        ActionChange(
            action=locked,
            field=name,
            old_value=before[name],
            new_value=after[name],
            changed_by=user,
            changed_at=now,
        )
        for name in changed
    )
    return locked


def action_set_status(*, action: Action, user, status: str) -> Action:
    """Move an action to another status (start it, mark it done, drop it)."""
    return action_update(
        action=action,
        user=user,
        data=ActionInput(
            title=action.title,
            criterion_key=action.criterion_key,
            owner_member=action.owner_member,
            owner_name=action.owner_name,
            due_date=action.due_date,
            status=status,
            notes=action.notes,
        ),
    )
