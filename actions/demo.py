"""The demo organisation's action plan: every status, and finished actions that moved answers."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from actions.models import Action, ActionChange
from assessments.models import Membership, Organisation

# A key of an earlier model version: the report names such an action "not comparable".
RETIRED_CRITERION_KEY = "website-toegankelijkheid"


@dataclass(frozen=True)
class DemoAction:
    title: str
    status: str
    due_in_days: int
    owner: str  # a demo username, or a free-text service
    criterion: str  # the criterion key it works on, or "" for none
    done_days_ago: int | None = None


# Each action works on the criterion its title is about. Between the two demo assessments
# (load_demo_data) the first three criteria went up, the budget question stayed "don't know",
# and the open ones are still below "fully": the report's plan section shows every outcome.
DEMO_ACTIONS = [
    DemoAction(
        "Doelgroepen beschrijven",
        "done",
        -520,
        "communicatie",
        "strategie-doelgroepen-in-beeld",
        500,
    ),
    DemoAction(
        "Redactieplanning met de diensten",
        "done",
        -480,
        "jeugddienst",
        "organisatie-alle-diensten",
        470,
    ),
    DemoAction(
        "Reactietermijnen afspreken", "done", -450, "beheer", "webcare-antwoordtermijn", 430
    ),
    DemoAction("Budget in kaart brengen", "done", -420, "financiën", "organisatie-budget", 400),
    DemoAction("Monitoringtool kiezen", "in_progress", -10, "communicatie", "monitoring-tool"),
    DemoAction(
        "Vorming voor de jeugddienst",
        "in_progress",
        5,
        "jeugddienst",
        "tools-competenties-diensten",
    ),
    DemoAction(
        "Jaarplan social media opstellen", "planned", 21, "beheer", "strategie-organisatiebreed"
    ),
    DemoAction(
        "Crisisprotocol actualiseren", "planned", 60, "communicatie", "monitoring-crisisplan"
    ),
    DemoAction("Eigen app laten bouwen", "cancelled", 90, "ICT-dienst", ""),
    DemoAction("Website toegankelijk maken", "planned", 45, "communicatie", RETIRED_CRITERION_KEY),
]


def demo_plan_create(
    *,
    organisation: Organisation,
    users: dict,
) -> list[Action]:
    """The plan of the demo organisation, its actions linked to the criteria they work on.

    Written straight to the tables: the finished actions lie before the demo's second
    assessment, further back than the service accepts for a new due date.
    """
    members = {
        m.user.username: m
        for m in Membership.objects.filter(organisation=organisation).select_related("user")
    }
    now = timezone.now()
    today = timezone.localdate()
    actions = []
    for item in DEMO_ACTIONS:
        member = members.get(item.owner)
        moment = now - timedelta(days=item.done_days_ago or 0)
        actions.append(
            Action(
                organisation=organisation,
                title=item.title,
                criterion_key=item.criterion,
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
