"""The questionnaire: one step per dimension, and the review before submitting."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from assessments.access import assessment_view
from assessments.forms import QuestionnaireStepForm
from assessments.models import ANSWERING_ROLES, Assessment, Membership
from assessments.selectors import assessment_answer_states
from assessments.services import (
    AssessmentIncompleteError,
    AssessmentLockedError,
    answers_save,
    assessment_submit,
)
from maturity.models import AnswerValue, Dimension
from maturity.selectors import ModelStructure, model_version_structure


@dataclass(frozen=True)
class StepState:
    """One step's badge: how many of its questions are answered, and so its state."""

    number: int
    dimension: Dimension
    answered: int
    total: int

    @property
    def state(self) -> str:
        if self.answered == 0:
            return "not-started"
        return "done" if self.answered >= self.total else "partly"

    @property
    def state_text(self) -> str:
        """The state in words, for the badge (its mark and colour only repeat it)."""
        if self.answered == 0:
            return _("not started")
        if self.answered >= self.total:
            return _("done")
        return _("%(answered)s of %(total)s answered") % {
            "answered": self.answered,
            "total": self.total,
        }


def _step_states(structure: ModelStructure, answers: dict) -> list[StepState]:
    states = []
    for number, dimension in enumerate(structure.dimensions, start=1):
        criteria = structure.criteria_of_dimension(dimension)
        answered = sum(1 for c in criteria if c.pk in answers and answers[c.pk].value)
        states.append(StepState(number, dimension, answered, len(criteria)))
    return states


@require_safe
@assessment_view()
def assessment_detail(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Send a draft to its first step with an unanswered question, a submitted one to its report."""
    if not (assessment.is_draft and membership.can_answer):
        return redirect("assessments:report", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    states = _step_states(structure, assessment_answer_states(assessment=assessment))
    unfinished = next((s.number for s in states if s.state != "done"), None)
    if unfinished is None:
        return redirect("assessments:review", pk=assessment.pk)
    return redirect("assessments:step", pk=assessment.pk, number=unfinished)


def _progress(structure: ModelStructure, answers: dict) -> dict:
    answered = sum(1 for a in answers.values() if a.value)
    total = len(structure.criteria)
    return {
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
        "step_count": len(structure.dimensions),
    }


def _render_step(request, *, assessment, structure, number, form, answers, status=200):
    dimensions = structure.dimensions
    context = {
        "assessment": assessment,
        "structure": structure,
        "dimension": dimensions[number - 1],
        "number": number,
        "steps": _step_states(structure, answers),
        "form": form,
        **_progress(structure, answers),
    }
    return render(request, "assessments/questionnaire_step.html", context, status=status)


def _after_save(*, action: str, goto: str, pk: int, number: int, step_count: int) -> HttpResponse:
    """Where Save, Next, Previous and the step badges (goto) lead after a successful save."""
    if goto == "review":
        return redirect("assessments:review", pk=pk)
    if goto.isdigit() and 1 <= int(goto) <= step_count:
        return redirect("assessments:step", pk=pk, number=int(goto))
    if action == "next":
        if number < step_count:
            return redirect("assessments:step", pk=pk, number=number + 1)
        return redirect("assessments:review", pk=pk)
    if action == "previous" and number > 1:
        return redirect("assessments:step", pk=pk, number=number - 1)
    if action == "review":
        return redirect("assessments:review", pk=pk)
    return redirect("assessments:step", pk=pk, number=number)


def _conflict_message(conflicts) -> str:
    return ngettext(
        "A colleague changed an answer on this page after you opened it: %(statements)s. "
        "We kept their answer; check it below and save again if you want to change it.",
        "A colleague changed %(count)d answers on this page after you opened it: "
        "%(statements)s. We kept their answers; check them below and save again if you "
        "want to change them.",
        len(conflicts),
    ) % {
        "count": len(conflicts),
        "statements": "; ".join(f"“{c.criterion.statement}”" for c in conflicts),
    }


def _save_step(request, *, assessment, structure, number, criteria, form) -> HttpResponse:
    """Save a valid step; move on, or show the step again with the colleagues' answers kept."""
    try:
        outcome = answers_save(
            assessment=assessment, user=request.user, answers=form.answer_inputs()
        )
    except AssessmentLockedError:
        messages.error(request, _("This assessment was submitted meanwhile; nothing was saved."))
        return redirect("assessments:report", pk=assessment.pk)
    if outcome.changed:
        count = len(outcome.changed)
        messages.success(
            request,
            ngettext("%(count)d answer saved.", "%(count)d answers saved.", count)
            % {"count": count},
        )
    if not outcome.conflicts:
        return _after_save(
            action=request.POST.get("action", "save"),
            goto=request.POST.get("goto", ""),
            pk=assessment.pk,
            number=number,
            step_count=len(structure.dimensions),
        )
    messages.warning(request, _conflict_message(outcome.conflicts))
    answers = assessment_answer_states(assessment=assessment)
    form = QuestionnaireStepForm(
        criteria=criteria,
        answers=answers,
        conflict_keys=frozenset(c.criterion.key for c in outcome.conflicts),
    )
    return _render_step(
        request,
        assessment=assessment,
        structure=structure,
        number=number,
        form=form,
        answers=answers,
        status=409,
    )


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def assessment_step(
    request: HttpRequest, assessment: Assessment, membership: Membership, number: int
) -> HttpResponse:
    """One step (dimension) of the questionnaire: show, save, move on."""
    if not assessment.is_draft:
        messages.info(request, _("This assessment is submitted and can no longer be changed."))
        return redirect("assessments:report", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    if not 1 <= number <= len(structure.dimensions):
        raise Http404
    criteria = structure.criteria_of_dimension(structure.dimensions[number - 1])
    step = {"assessment": assessment, "structure": structure, "number": number}
    data = request.POST or None
    if data is not None:
        # A valid save (the usual POST) needs no stored answers: the form is what was sent.
        form = QuestionnaireStepForm(data, criteria=criteria, answers={})
        if form.is_valid():
            return _save_step(request, criteria=criteria, form=form, **step)
    answers = assessment_answer_states(assessment=assessment)
    form = QuestionnaireStepForm(data, criteria=criteria, answers=answers)
    if request.method == "POST":
        messages.error(
            request, _("Nothing was saved yet. Correct the marked questions and save again.")
        )
    status = 400 if request.method == "POST" else 200
    return _render_step(request, answers=answers, status=status, form=form, **step)


@dataclass(frozen=True)
class ReviewedAnswer:
    """One criterion on the review page: its statement, the answer in words and the comment."""

    key: str
    statement: str
    answer: str
    comment: str


def _review_steps(structure: ModelStructure, answers: dict) -> tuple[list, list]:
    """Per step: the unanswered criteria, and every answer given (statement, answer, comment)."""
    unanswered, answered = [], []
    for number, dimension in enumerate(structure.dimensions, start=1):
        missing, given = [], []
        for c in structure.criteria_of_dimension(dimension):
            state = answers.get(c.pk)
            if state is None or not state.value:
                missing.append(c)
            else:
                label = str(AnswerValue(state.value).label)
                given.append(ReviewedAnswer(c.key, c.statement, label, state.comment))
        if missing:
            unanswered.append((number, dimension, missing))
        if given:
            answered.append((number, dimension, given))
    return unanswered, answered


def _submit(request: HttpRequest, assessment: Assessment, *, confirmed: bool, complete: bool):
    """Ask for confirmation first, then submit; None when the review page should show again."""
    if complete and not confirmed:
        return render(
            request, "assessments/assessment_submit_confirm.html", {"assessment": assessment}
        )
    try:
        assessment_submit(assessment=assessment, user=request.user)
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
    except AssessmentLockedError:
        return redirect("assessments:report", pk=assessment.pk)
    messages.success(request, _("The assessment is submitted. Here is the result."))
    return redirect("assessments:report", pk=assessment.pk)


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def assessment_review(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Every answer per step, the unanswered first; submitting asks for confirmation."""
    if not assessment.is_draft:
        return redirect("assessments:report", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    answers = assessment_answer_states(assessment=assessment)
    unanswered, answered = _review_steps(structure, answers)
    if request.method == "POST":
        # An incomplete draft is refused whatever was posted, without reading the body.
        complete = not unanswered
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
            "unanswered": unanswered,
            "answered_steps": answered,
            **_progress(structure, answers),
        },
    )
