"""The review before submitting: every answer per step, the unanswered first, then submit."""

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessments.access import assessment_view
from assessments.evidence_selectors import evidence_counts
from assessments.models import ANSWERING_ROLES, Answer, Assessment, Membership
from assessments.perspective_selectors import assessment_answer_states, assessment_unconfirmed
from assessments.progress import consensus_progress
from assessments.reassessment import version_changes
from assessments.services import (
    AnswersToConfirmError,
    AssessmentIncompleteError,
    AssessmentLockedError,
    ValidationPendingError,
    assessment_submit,
    validation_counts,
)
from assessments.views.questionnaire import progress_context
from maturity.models import AnswerValue
from maturity.selectors import ModelStructure, model_version_structure

CONFIDENCE_LABELS = dict(Answer.Confidence.choices)
VALIDATION_LABELS = dict(Answer.ValidationState.choices)


@dataclass(frozen=True)
class ReviewedAnswer:
    """One criterion on the review page: its statement, the answer in words and the comment."""

    key: str
    statement: str
    answer: str
    comment: str
    # Links and files behind the answer, over all perspectives (`evidence_counts`, one query).
    evidence: int = 0
    confidence: str = ""
    validation: str = ""


def _review_steps(
    structure: ModelStructure, answers: dict, evidence: dict[int, int] | None = None
) -> tuple[list, list]:
    """Per step: the unanswered criteria, and every answer given (statement, answer, comment,
    how much evidence)."""
    evidence = evidence or {}
    unanswered, answered = [], []
    for number, dimension in enumerate(structure.dimensions, start=1):
        missing, given = [], []
        for c in structure.criteria_of_dimension(dimension):
            state = answers.get(c.pk)
            if state is None or not state.value:
                missing.append(c)
            else:
                label = str(AnswerValue(state.value).label)
                given.append(
                    ReviewedAnswer(
                        c.key,
                        c.statement,
                        label,
                        state.comment,
                        evidence.get(c.pk, 0),
                        CONFIDENCE_LABELS.get(state.confidence, ""),
                        VALIDATION_LABELS.get(state.validation_state, ""),
                    )
                )
        if missing:
            unanswered.append((number, dimension, missing))
        if given:
            answered.append((number, dimension, given))
    return unanswered, answered


def _unconfirmed_steps(structure: ModelStructure, unconfirmed: dict) -> list:
    """Per step: the carried-over criteria still to confirm with their perspectives, and per
    perspective (id, name) how many of the step's answers it has left to confirm."""
    steps = []
    for number, dimension in enumerate(structure.dimensions, start=1):
        items = [
            (c, unconfirmed[c.pk])
            for c in structure.criteria_of_dimension(dimension)
            if c.pk in unconfirmed
        ]
        if items:
            left = Counter(p for _c, perspectives in items for p in perspectives)
            per_perspective = [(p, left[p]) for p in sorted(left)]
            steps.append((number, dimension, items, per_perspective))
    return steps


def validation_pending_message(error: ValidationPendingError) -> str:
    """What submitting still waits for, in words: how many answers, and in which state."""
    return ngettext(
        "Submitting waits for validation: %(count)d answer is not validated yet "
        "(%(questions)d with an open question, %(answered)d replied, %(open)d not looked at).",
        "Submitting waits for validation: %(count)d answers are not validated yet "
        "(%(questions)d with an open question, %(answered)d replied, %(open)d not looked at).",
        error.total,
    ) % {
        "count": error.total,
        "questions": error.questions,
        "answered": error.answered,
        "open": error.open,
    }


def _submit(request: HttpRequest, assessment: Assessment, *, confirmed: bool, complete: bool):
    """Ask for confirmation first, then submit; None when the review page should show again."""
    if complete and not confirmed:
        return render(
            request, "assessments/assessment_submit_confirm.html", {"assessment": assessment}
        )
    try:
        assessment_submit(assessment=assessment, user=request.user)
    except AnswersToConfirmError as error:
        count = len(error.missing)
        messages.error(
            request,
            ngettext(
                "%(count)d carried-over answer still needs confirming.",
                "%(count)d carried-over answers still need confirming.",
                count,
            )
            % {"count": count},
        )
        return None
    except AssessmentIncompleteError as error:
        count = len(error.missing)
        messages.error(
            request,
            ngettext(
                "%(count)d question is still unanswered.",
                "%(count)d questions are still unanswered.",
                count,
            )
            % {"count": count},
        )
        return None
    except ValidationPendingError as error:
        messages.error(request, validation_pending_message(error))
        return None
    except AssessmentLockedError:
        return redirect("reports:report", pk=assessment.pk)
    messages.success(request, _("The assessment is submitted. Here is the result."))
    return redirect("reports:report", pk=assessment.pk)


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def assessment_review(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Every answer per step, the unanswered first; submitting asks for confirmation."""
    if not assessment.is_draft:
        return redirect("reports:report", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    answers = assessment_answer_states(assessment=assessment)
    unanswered, answered = _review_steps(structure, answers, evidence_counts(assessment=assessment))
    pending = assessment_unconfirmed(assessment=assessment)
    unconfirmed = _unconfirmed_steps(structure, pending)
    if request.method == "POST":
        # An incomplete draft is refused whatever was posted, without reading the body.
        complete = not unanswered and not unconfirmed
        response = _submit(
            request,
            assessment,
            confirmed=complete and request.POST.get("confirm") == "yes",
            complete=complete,
        )
        if response is not None:
            return response
    return render(
        request,
        "assessments/assessment_review.html",
        {
            "assessment": assessment,
            "several": assessment.perspective_total > 1,
            "unanswered": unanswered,
            "unconfirmed": unconfirmed,
            "changes": version_changes(assessment=assessment),
            "answered_steps": answered,
            # With one perspective the states read above hold validation too: no extra query.
            "validation": validation_counts(
                [state.validation_state for state in answers.values() if state.value]
            )
            if assessment.validation_required and assessment.perspective_total == 1
            else None,
            **progress_context(
                consensus_progress(answers=answers, pending=pending, total=len(structure.criteria)),
                structure,
            ),
        },
    )
