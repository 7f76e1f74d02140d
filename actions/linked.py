"""The actions on a questionnaire step's criteria, ready for the step's Jinja2 partial."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actions.selectors import action_list_by_criterion
from assessments.models import Membership


@dataclass(frozen=True)
class LinkedAction:
    """One action beside a question, in words: the partial prints these and nothing else."""

    title: str
    url: str
    status: str
    owner: str
    when: str  # "due 27 november 2026" or "done on 3 maart 2026", localised
    state: str  # "open", "overdue" or "done": the badge's colour


def linked_actions_for_criteria(
    *, membership: Membership, keys: Iterable[str]
) -> dict[str, list[LinkedAction]]:
    """The organisation's open and finished actions on these criteria, in one query."""
    linked: dict[str, list[LinkedAction]] = {}
    by_key = action_list_by_criterion(membership=membership, criterion_keys=keys)
    for key, actions in by_key.items():
        linked[key] = [
            LinkedAction(
                title=action.title,
                url=reverse("actions:detail", args=[action.pk]),
                status=action.get_status_display(),
                owner=action.owner_label,
                when=(
                    _("due %(date)s") % {"date": date_format(action.due_date)}
                    if action.is_open
                    else _("done on %(date)s")
                    % {"date": date_format(timezone.localdate(action.completed_at))}
                ),
                state="overdue" if action.is_overdue else "open" if action.is_open else "done",
            )
            for action in actions
        ]
    return linked
