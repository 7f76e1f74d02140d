"""What changed since the previous assessment: the plan's actions against the answers.

A report shows, for an organisation with an action plan, each action finished since the
previous assessment with its criterion's answer then and now, the open actions whose criterion
is still a gap, and the actions whose criterion this model version no longer has.
"""

from dataclasses import dataclass

from django.db.models import Q

from actions.models import OPEN_STATUSES, Action
from assessments.models import Assessment, Membership
from assessments.perspective_selectors import assessment_answer_states, submitted_scored_values
from assessments.selectors import organisation_submitted_assessments
from maturity.models import AnswerValue, Criterion
from maturity.selectors import model_version_structure

ANSWER_LABELS = dict(AnswerValue.choices)
# Answers that leave nothing to do on a criterion.
NO_GAP = {AnswerValue.FULLY, AnswerValue.NOT_APPLICABLE}


@dataclass(frozen=True)
class ActionOutcome:
    """An action with its criterion's answer in the previous and in this assessment."""

    action: Action
    criterion: Criterion
    before: str
    after: str
    outcome: str  # "improved", "same", "worse" or "not_comparable" (a non-numeric answer)


@dataclass(frozen=True)
class PlanComparison:
    previous: Assessment
    finished: list[ActionOutcome]
    still_open: list[ActionOutcome]
    not_comparable: list[Action]


def _previous(assessment: Assessment, submitted: list[Assessment]) -> Assessment | None:
    """The submitted assessment before this one (for a draft: the latest submitted one)."""
    if assessment.is_draft:
        return submitted[-1] if submitted else None
    current = (assessment.submitted_at, assessment.pk)
    earlier = [item for item in submitted if (item.submitted_at, item.pk) < current]
    return earlier[-1] if earlier else None


def _outcome(before: str, after: str) -> str:
    if not (before.isdigit() and after.isdigit()):
        return "not_comparable"
    if int(after) > int(before):
        return "improved"
    return "same" if after == before else "worse"


def _linked_actions(assessment: Assessment) -> list[Action]:
    """Linked actions that are open, or were done by the time of this assessment."""
    done = Q(status=Action.Status.DONE)
    if not assessment.is_draft:
        done &= Q(completed_at__lte=assessment.submitted_at)
    return list(
        Action.objects.filter(organisation_id=assessment.organisation_id)
        .exclude(criterion_key="")
        .filter(done | Q(status__in=OPEN_STATUSES))
        .order_by("due_date", "pk")
    )


def _answers(assessments: list[Assessment], keys: set[str]) -> dict[tuple[int, str], str]:
    """The scored answer values (the consensus) of the assessments on the given criterion keys.

    One query for the submitted ones; a draft's consensus is read live (one query more).
    """
    submitted = [a.pk for a in assessments if not a.is_draft]
    values = submitted_scored_values(assessment_ids=submitted, criterion_keys=sorted(keys))
    for draft in (a for a in assessments if a.is_draft):
        states = assessment_answer_states(assessment=draft)
        for criterion in model_version_structure(version=draft.model_version).criteria:
            if criterion.key in keys and criterion.pk in states:
                values[draft.pk, criterion.key] = states[criterion.pk].value
    return values


def assessment_plan_comparison(
    *, assessment: Assessment, membership: Membership
) -> PlanComparison | None:
    """The plan's actions checked against this assessment; None with nothing to compare."""
    if assessment.organisation_id != membership.organisation_id:
        return None
    # Actions first: an organisation without a plan pays one query for this section.
    actions = _linked_actions(assessment)
    if not actions:
        return None
    submitted = organisation_submitted_assessments(organisation_id=assessment.organisation_id)
    previous = _previous(assessment, submitted)
    if previous is None:
        return None
    actions = [
        a
        for a in actions
        if a.status != Action.Status.DONE or a.completed_at > previous.submitted_at
    ]
    criteria = model_version_structure(version=assessment.model_version).criteria_by_key
    answers = _answers([previous, assessment], {a.criterion_key for a in actions})
    finished, still_open, not_comparable = [], [], []
    for action in actions:
        criterion = criteria.get(action.criterion_key)
        if criterion is None:
            not_comparable.append(action)
            continue
        before = answers.get((previous.pk, action.criterion_key), "")
        after = answers.get((assessment.pk, action.criterion_key), "")
        row = ActionOutcome(
            action=action,
            criterion=criterion,
            before=ANSWER_LABELS.get(before, "–"),
            after=ANSWER_LABELS.get(after, "–"),
            outcome=_outcome(before, after),
        )
        if action.status == Action.Status.DONE:
            finished.append(row)
        elif after not in NO_GAP:
            still_open.append(row)
    if not (finished or still_open or not_comparable):
        return None
    return PlanComparison(
        previous=previous, finished=finished, still_open=still_open, not_comparable=not_comparable
    )
