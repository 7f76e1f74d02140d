"""The demo organisation's action plan: every status, and finished actions that moved answers."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from actions.models import Action, ActionChange
from assessments.models import Membership, Organisation
from maturity.selectors import ModelStructure

# A key of an earlier model version: the report names such an action "not comparable".
RETIRED_CRITERION_KEY = "website-toegankelijkheid"


@dataclass(frozen=True)
class DemoAction:
    title: str
    status: str
    due_in_days: int
    owner: str  # a demo username, or a free-text service
    criterion: str  # "improved", "same", "gap", "retired" or "" (which criterion to link)
    done_days_ago: int | None = None


DEMO_ACTIONS = [
    DemoAction("Doelgroepen beschrijven", "done", -520, "communicatie", "improved", 500),
    DemoAction("Redactieplanning met de diensten", "done", -480, "jeugddienst", "improved", 470),
    DemoAction("Reactietermijnen afspreken", "done", -450, "beheer", "improved", 430),
    DemoAction("Budget in kaart brengen", "done", -420, "financiën", "same", 400),
    DemoAction("Monitoringtool kiezen", "in_progress", -10, "communicatie", "gap"),
    DemoAction("Vorming voor de jeugddienst", "in_progress", 5, "jeugddienst", "gap"),
    DemoAction("Jaarplan social media opstellen", "planned", 21, "beheer", "gap"),
    DemoAction("Crisisprotocol actualiseren", "planned", 60, "communicatie", ""),
    DemoAction("Eigen app laten bouwen", "cancelled", 90, "ICT-dienst", ""),
    DemoAction("Website toegankelijk maken", "planned", 45, "communicatie", "retired"),
]


def _criterion_keys(structure: ModelStructure, values: tuple[dict[str, str], dict[str, str]]):
    """Criterion keys by how their answer moved between the two demo assessments."""
    before, after = values
    keys: dict[str, list[str]] = {"improved": [], "same": [], "gap": []}
    for criterion in structure.criteria:
        old, new = before[criterion.key], after[criterion.key]
        if old.isdigit() and new.isdigit() and int(new) > int(old):
            keys["improved"].append(criterion.key)
        elif old == new:
            keys["same"].append(criterion.key)
        if new.isdigit() and int(new) < 4:
            keys["gap"].append(criterion.key)
    keys["retired"] = [RETIRED_CRITERION_KEY]
    return keys


def demo_plan_create(
    *,
    organisation: Organisation,
    users: dict,
    structure: ModelStructure,
    answers: tuple[dict[str, str], dict[str, str]],
) -> list[Action]:
    """The plan of the demo organisation; `answers` are the two demo assessments' values by key.

    Written straight to the tables: the finished actions lie before the demo's second
    assessment, further back than the service accepts for a new due date.
    """
    members = {
        m.user.username: m
        for m in Membership.objects.filter(organisation=organisation).select_related("user")
    }
    available = _criterion_keys(structure, answers)
    used: dict[str, int] = {}
    now = timezone.now()
    today = timezone.localdate()
    actions = []
    for item in DEMO_ACTIONS:
        key = ""
        if item.criterion:
            index = used.get(item.criterion, 0)
            used[item.criterion] = index + 1
            key = available[item.criterion][index % len(available[item.criterion])]
        member = members.get(item.owner)
        moment = now - timedelta(days=item.done_days_ago or 0)
        actions.append(
            Action(
                organisation=organisation,
                title=item.title,
                criterion_key=key,
                owner_member=member,
                owner_name="" if member else item.owner,
                due_date=today + timedelta(days=item.due_in_days),
                status=item.status,
                created_by=users["communicatie"],
                created_at=now - timedelta(days=540),
                changed_by=users["communicatie"],
                changed_at=moment if item.done_days_ago else now,
                completed_at=moment if item.status == Action.Status.DONE else None,
            )
        )
    actions = Action.objects.bulk_create(actions)
    ActionChange.objects.bulk_create(
        ActionChange(
            action=action,
            field="created",
            new_value=action.title,
            changed_by=action.created_by,
            changed_at=action.created_at,
        )
        for action in actions
    )
    return actions
