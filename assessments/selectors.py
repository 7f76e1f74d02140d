"""Reads of organisation data; every query starts from the user's memberships."""

from typing import NamedTuple

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest

from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent, Membership
from maturity.models import Criterion

CURRENT_ORGANISATION_SESSION_KEY = "current_organisation_id"


def membership_list(*, request: HttpRequest) -> list[Membership]:
    """The user's memberships with their organisations, read once per request.

    The header's organisation switch and every access check of the request use this one list.
    """
    if not hasattr(request, "_memberships"):
        user = request.user
        request._memberships = (
            list(Membership.objects.filter(user=user).select_related("organisation"))
            if user.is_authenticated
            else []
        )
    return request._memberships


def membership_current(*, request: HttpRequest) -> Membership | None:
    """The membership of the organisation the user is working in now (first one by default)."""
    memberships = membership_list(request=request)
    chosen_id = request.session.get(CURRENT_ORGANISATION_SESSION_KEY)
    current = next((m for m in memberships if m.organisation_id == chosen_id), None)
    return current or (memberships[0] if memberships else None)


def membership_for_organisation(*, user, organisation_id: int) -> Membership:
    """The user's membership in an organisation, or 404 when there is none."""
    if not 0 < organisation_id < 2**63:
        raise Http404  # no such key; SQLite cannot even compare a larger integer
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation_id=organisation_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def assessment_get(*, request: HttpRequest, pk: int) -> tuple[Assessment, Membership]:
    """An assessment of one of the user's organisations with the user's membership; else 404."""
    memberships = {m.organisation_id: m for m in membership_list(request=request)}
    assessment = (
        Assessment.objects.select_related("model_version")
        .filter(pk=pk, organisation_id__in=list(memberships))
        .first()
    )
    if assessment is None:
        raise Http404
    membership = memberships[assessment.organisation_id]
    assessment.organisation = membership.organisation
    return assessment, membership


def _criteria_total():
    return Subquery(
        Criterion.objects.filter(version=OuterRef("model_version"))
        .order_by()
        .values("version")
        .annotate(total=Count("pk"))
        .values("total"),
        output_field=IntegerField(),
    )


def organisation_list_assessments(*, membership: Membership) -> QuerySet[Assessment]:
    """The assessments of the membership's organisation, newest first, with their progress."""
    return (
        Assessment.objects.filter(organisation_id=membership.organisation_id)
        .select_related("model_version")
        .annotate(
            answered=Count("answers", filter=~Q(answers__value="")),
            criteria_total=_criteria_total(),
        )
        .order_by("-created_at")
    )


def organisation_submitted_assessments(*, organisation_id: int) -> list[Assessment]:
    """Every submitted assessment of an organisation, oldest first: the history."""
    return list(
        Assessment.objects.filter(
            organisation_id=organisation_id, status=Assessment.Status.SUBMITTED
        )
        .select_related("model_version")
        .order_by("submitted_at", "pk")
    )


def assessment_answers(*, assessment: Assessment) -> dict[int, Answer]:
    """The assessment's answers by criterion id, in one query."""
    return {answer.criterion_id: answer for answer in Answer.objects.filter(assessment=assessment)}


class AnswerState(NamedTuple):
    """What the questionnaire needs of a stored answer."""

    value: str
    comment: str
    revision: int


def assessment_answer_states(*, assessment: Assessment) -> dict[int, AnswerState]:
    """Value, comment and revision of every answer by criterion id, as plain tuples.

    The questionnaire shows one step but counts progress over all answers; plain tuples from
    one query keep that cheap at 160 criteria.
    """
    return {
        criterion_id: AnswerState(value, comment, revision)
        for criterion_id, value, comment, revision in Answer.objects.filter(
            assessment=assessment
        ).values_list("criterion_id", "value", "comment", "revision")
    }


def assessment_answer_changes(*, assessment: Assessment) -> QuerySet[AnswerChange]:
    """The audit trail of an assessment's answers, newest first, with who made each change."""
    return AnswerChange.objects.filter(assessment=assessment).select_related("changed_by")


def assessment_events(*, assessment: Assessment) -> list[AssessmentEvent]:
    """Created, submitted, reopened, imported: the recorded turns of an assessment."""
    return list(AssessmentEvent.objects.filter(assessment=assessment).select_related("user"))


def organisation_history_signature(*, organisation_id: int) -> tuple[int, object]:
    """How many submitted assessments an organisation has and the latest submission time.

    Any submit or reopen changes it, so it tells whether a cached report's history is current.
    """
    summary = Assessment.objects.filter(
        organisation_id=organisation_id, status=Assessment.Status.SUBMITTED
    ).aggregate(count=Count("pk"), latest=Max("submitted_at"))
    return summary["count"], summary["latest"]
