"""The actions on a questionnaire step's criteria, ready for the step's Jinja2 partial."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import Action
from actions.selectors import STATUS_ALL, action_list_first_by_criterion
from assessments.models import Membership

# Beside a question the step lists its first few actions (open ones first) and links to the
# rest on the action plan: a plan of hundreds of actions must not make the questionnaire long.
LINKED_SHOWN = 3
# Every action's address is the plan's detail address with its number: reversed once per step.
_PK_PLACEHOLDER = 2**62


@dataclass(frozen=True)
class LinkedAction:
    """One action beside a question, in words: the partial prints these and nothing else."""

    title: str
    url: str
    status: str
    owner: str
    when: str  # "due 27 november 2026" or "done on 3 maart 2026", localised
    state: str  # "open", "overdue" or "done": the badge's colour


@dataclass(frozen=True)
class LinkedActions:
    """The actions shown beside one question, and where the rest are."""

    shown: tuple[LinkedAction, ...]
    more_url: str  # the action plan narrowed to this question ("" when all are shown)
    more_label: str  # "2 more actions on the action plan"


def linked_actions_for_criteria(
    *, membership: Membership, keys: Iterable[str]
) -> dict[str, LinkedActions]:
    """The organisation's open and finished actions on these criteria, in one query."""
    by_key = action_list_first_by_criterion(
        membership=membership, criterion_keys=keys, limit=LINKED_SHOWN
    )
    if not by_key:
        return {}
    detail = reverse("actions:detail", args=[_PK_PLACEHOLDER])
    plan = reverse("actions:plan")
    placeholder = str(_PK_PLACEHOLDER)
    today = timezone.localdate()
    statuses = {value: str(label) for value, label in Action.Status.choices}
    due, done = _("due %(date)s"), _("done on %(date)s")
    dates: dict[date, str] = {}  # a plan's actions share a few dates: each formatted once

    def localised(day: date) -> str:
        if day not in dates:
            dates[day] = date_format(day)
        return dates[day]

    linked: dict[str, LinkedActions] = {}
    for key, found in by_key.items():
        shown = tuple(
            LinkedAction(
                title=action.title,
                url=detail.replace(placeholder, str(action.pk)),
                status=statuses[action.status],
                owner=action.owner,
                when=due % {"date": localised(action.due_date)}
                if action.is_open
                else done % {"date": localised(timezone.localdate(action.completed_at))},
                state=(
                    ("overdue" if action.due_date < today else "open") if action.is_open else "done"
                ),
            )
            for action in found.actions
        )
        hidden = found.total - len(shown)
        linked[key] = LinkedActions(
            shown=shown,
            more_url=f"{plan}?{urlencode({'status': STATUS_ALL, 'criterion': key})}"
            if hidden
            else "",
            more_label=ngettext(
                "%(count)s more action on the action plan",
                "%(count)s more actions on the action plan",
                hidden,
            )
            % {"count": hidden}
            if hidden
            else "",
        )
    return linked
