"""The questionnaire: one step per dimension (the review before submitting: review.py)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from actions.linked import linked_actions_for_criteria
from assessments.access import answer_set_view
from assessments.evidence_selectors import evidence_by_criterion
from assessments.models import ANSWERING_ROLES, Membership
from assessments.perspective_selectors import (
    AnswerSet,
    perspective_answer_states,
    perspective_unconfirmed_count,
)
from assessments.progress import Progress, answer_set_progress
from assessments.reassessment import version_changes
from assessments.services import (
    AssessmentLockedError,
    answers_confirm,
    answers_save,
)
from assessments.step_forms import QuestionnaireStepForm
from maturity.models import Dimension
from maturity.selectors import ModelStructure, model_version_structure

# A step's breadcrumb, heading, badges, criteria and buttons: Jinja2, rendered in the view and
# placed in the Django page (docs/performance.md, 2026-12-07).
STEP_BODY_TEMPLATE = "assessments/includes/_questionnaire_step.html"
# Replaced by each criterion's key in the template: one reverse() per page, not per question.
EVIDENCE_KEY_PLACEHOLDER = "criterion-key"


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
        answered = sum(1 for c in criteria if c.pk in answers and _given(answers[c.pk]))
        states.append(StepState(number, dimension, answered, len(criteria)))
    return states


@require_safe
@answer_set_view(roles=None)
def assessment_detail(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership
) -> HttpResponse:
    """Send a draft to its first step with an unanswered question, a submitted one to its report.

    With several perspectives, the assessment's own address leads to the perspectives' overview;
    a perspective's address to its first open step.
    """
    assessment = answer_set.assessment
    answering = membership.can_answer or membership.is_contributor
    if not (assessment.is_draft and answering):
        return redirect("reports:report", pk=assessment.pk)
    if not answer_set.is_only and "perspective_pk" not in request.resolver_match.kwargs:
        return redirect("assessments:perspectives", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    answers = perspective_answer_states(perspective_id=answer_set.perspective_id)
    states = _step_states(structure, answers)
    unfinished = next((s.number for s in states if s.state != "done"), None)
    if unfinished is None:
        return redirect(answer_set.review_url())
    return redirect(answer_set.url("step", unfinished))


def _given(answer) -> bool:
    """Answered, and not a carried-over answer still waiting to be confirmed."""
    return bool(answer.value) and not answer.to_confirm


def answer_progress(structure: ModelStructure, answers: dict) -> dict:
    """How many criteria are answered (confirmed), of how many, over how many steps."""
    return progress_context(
        answer_set_progress(answers=answers, total=len(structure.criteria)), structure
    )


def progress_context(progress: Progress, structure: ModelStructure) -> dict:
    """The progress bar's figures (`assessments/includes/_progress.html`)."""
    return {
        "progress": progress,
        "answered": progress.answered,
        "to_confirm": progress.to_confirm,
        "total": progress.total,
        "percent": progress.percent,
        "step_count": len(structure.dimensions),
    }


def _version_offer(request: HttpRequest, answer_set: AnswerSet) -> int | None:
    """The newer model version this draft's respondents and admins are offered (no query)."""
    organisation_id = answer_set.assessment.organisation_id
    answering = any(
        m.organisation_id == organisation_id and m.can_answer for m in request.memberships.all
    )
    return answer_set.version_offer if answering else None


def _autosave_context(request: HttpRequest, answer_set: AnswerSet, to_confirm_count: int) -> dict:
    """What the autosave script and "Next"'s prompt need: where unsaved answers are kept, where
    to sign in again, and the prompt's words for the count the script keeps current (only a step
    with carried answers to confirm has the prompt: the count only goes down on the page)."""
    login = reverse("login")
    context = {
        "storage_key": f"groeipad-unsaved:{answer_set.assessment.pk}:{answer_set.perspective_id}",
        "login_url": f"{login}?{urlencode({'next': request.get_full_path()})}",
        "to_confirm_count": to_confirm_count,
        "confirm_step_one": ngettext(
            "Confirm this step (%(count)s answer)", "Confirm this step (%(count)s answers)", 1
        )
        % {"count": 1},
    }
    if not to_confirm_count:
        return context
    return {
        **context,
        "prompt_title": ngettext(
            "Confirm %(count)s more answer?", "Confirm %(count)s more answers?", to_confirm_count
        )
        % {"count": to_confirm_count},
        "prompt_title_one": ngettext(
            "Confirm %(count)s more answer?", "Confirm %(count)s more answers?", 1
        )
        % {"count": 1},
        "carried_text": render_to_string(
            "assessments/includes/_carried_prompt_text.html",
            {"assessment": answer_set.assessment},
        ),
    }


def _step_actions(membership: Membership, criteria) -> dict:
    """The action plan's actions on the step's criteria, in one query; none for a contributor,
    who sees nothing of the organisation but their perspective."""
    if membership.is_contributor:
        return {}
    return linked_actions_for_criteria(membership=membership, keys=[c.key for c in criteria])


def _evidence_context(answer_set: AnswerSet, criteria) -> dict:
    """Each question's evidence (one query for the step) and the address of its evidence page."""
    return {
        "evidence": evidence_by_criterion(
            perspective_id=answer_set.perspective_id, criteria=criteria
        ),
        "evidence_url": answer_set.url("evidence", EVIDENCE_KEY_PLACEHOLDER),
        "evidence_file_url": answer_set.url("evidence_file", EVIDENCE_KEY_PLACEHOLDER, 0),
    }


def _render_step(request, *, answer_set, membership, structure, number, form, answers, status=200):
    """The page around a Jinja2 body (the Django template holds only the title and base.html)."""
    dimensions = structure.dimensions
    to_confirm_count = len(form.to_confirm_keys)
    progress = answer_progress(structure, answers)
    context = {
        "assessment": answer_set.assessment,
        "answer_set": answer_set,
        "dimension": dimensions[number - 1],
        "number": number,
        "steps": _step_states(structure, answers),
        "version_offer": _version_offer(request, answer_set),
        "confirm_step_label": ngettext(
            "Confirm this step (%(count)s answer)",
            "Confirm this step (%(count)s answers)",
            to_confirm_count,
        )
        % {"count": to_confirm_count}
        if to_confirm_count
        else "",
        "to_confirm_label": ngettext(
            "%(count)s carried answer to confirm",
            "%(count)s carried answers to confirm",
            progress["to_confirm"],
        )
        % {"count": progress["to_confirm"]}
        if progress["to_confirm"]
        else "",
        "non_field_errors": form.non_field_errors(),
        **_autosave_context(request, answer_set, to_confirm_count),
        **form.fieldsets_context(),
        **_evidence_context(answer_set, form.criteria),
        # Where a respondent replies to the validator's questions; a contributor cannot open it.
        "validation_url": None
        if membership.is_contributor
        else reverse("assessments:validation", args=[answer_set.assessment.pk]) + "?state=question",
        **progress,
    }
    body = render_to_string(STEP_BODY_TEMPLATE, context, request=request, using="jinja2")
    page = {
        "assessment": answer_set.assessment,
        "answer_set": answer_set,
        "dimension": context["dimension"],
        "number": number,
        "form": form,
        "step_body": mark_safe(body),  # noqa: S308  (autoescaped by the Jinja2 engine)
        **progress,
    }
    return render(request, "assessments/questionnaire_step.html", page, status=status)


def _after_save(
    *,
    answer_set: AnswerSet,
    action: str,
    goto: str,
    number: int,
    step_count: int,
    step_keys: frozenset[str] = frozenset(),
) -> HttpResponse:
    """Where Save, Next, Previous and the step badges (goto) lead after a successful save."""
    if goto == "review":
        return redirect(answer_set.review_url())
    if goto.startswith("evidence:") and goto.removeprefix("evidence:") in step_keys:
        # "Evidence" beside a question: the step is saved first, then its evidence page opens.
        return redirect(answer_set.url("evidence", goto.removeprefix("evidence:")))
    if goto.isdigit() and 1 <= int(goto) <= step_count:
        return redirect(answer_set.url("step", int(goto)))
    if action == "next":
        if number < step_count:
            return redirect(answer_set.url("step", number + 1))
        return redirect(answer_set.review_url())
    if action == "previous" and number > 1:
        return redirect(answer_set.url("step", number - 1))
    if action == "review":
        return redirect(answer_set.review_url())
    return redirect(answer_set.url("step", number))


def _confirm(request: HttpRequest, answer_set: AnswerSet, form: QuestionnaireStepForm) -> None:
    """Confirm the carried answer whose button was pressed, or all of the step's.

    All of them: "Confirm this step", or "Next" with "Confirm and continue" chosen in its prompt.
    Only answers still waiting are confirmed (the service filters), so the keys of the step's
    criteria are enough: the save did not read the stored answers.
    """
    step_keys = {criterion.key for criterion in form.criteria}
    pressed = request.POST.get("confirm", "")
    if pressed in step_keys:
        keys = [pressed]
    elif request.POST.get("action") == "confirm_step" or request.POST.get("carried") == "confirm":
        keys = sorted(step_keys)
    else:
        return
    _confirm_keys(request, answer_set, keys)


def _confirm_keys(request: HttpRequest, answer_set: AnswerSet, keys: list[str]) -> None:
    confirmed = answers_confirm(
        assessment=answer_set.assessment,
        user=request.user,
        criterion_keys=keys,
        perspective_id=answer_set.perspective_id,
    )
    if confirmed:
        count = len(confirmed)
        messages.success(
            request,
            ngettext("%(count)d answer confirmed.", "%(count)d answers confirmed.", count)
            % {"count": count},
        )


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


def _ask_about_carried(request: HttpRequest, *, answer_set: AnswerSet, criteria) -> bool:
    """ "Next" on a step that still has carried-over answers to confirm asks first.

    The page's script asks before sending (``carried`` is then its answer); without the script
    the prompt is a page of its own (``assessment_step_carried``).
    """
    if request.POST.get("action") != "next" or request.POST.get("goto"):
        return False
    if request.POST.get("carried") in ("confirm", "skip"):
        return False
    return (
        perspective_unconfirmed_count(
            assessment=answer_set.assessment,
            perspective_id=answer_set.perspective_id,
            criterion_ids=[c.pk for c in criteria],
        )
        > 0
    )


def _save_step(
    request, *, answer_set, structure, number, criteria, form, membership
) -> HttpResponse:
    """Save a valid step; move on, or show the step again with the colleagues' answers kept."""
    assessment = answer_set.assessment
    try:
        outcome = answers_save(
            assessment=assessment,
            user=request.user,
            answers=form.answer_inputs(),
            perspective_id=answer_set.perspective_id,
        )
    except AssessmentLockedError:
        messages.error(request, _("This assessment was submitted meanwhile; nothing was saved."))
        return redirect("reports:report", pk=assessment.pk)
    if outcome.changed:
        count = len(outcome.changed)
        messages.success(
            request,
            ngettext("%(count)d answer saved.", "%(count)d answers saved.", count)
            % {"count": count},
        )
    if not outcome.conflicts:
        try:
            _confirm(request, answer_set, form)
        except AssessmentLockedError:
            # Submitted between the save above and the confirmation (two transactions).
            messages.error(
                request, _("This assessment was submitted meanwhile; nothing was saved.")
            )
            return redirect("reports:report", pk=assessment.pk)
        if _ask_about_carried(request, answer_set=answer_set, criteria=criteria):
            return redirect(answer_set.url("step_carried", number))
        return _after_save(
            answer_set=answer_set,
            action=request.POST.get("action", "save"),
            goto=request.POST.get("goto", ""),
            number=number,
            step_count=len(structure.dimensions),
            step_keys=frozenset(c.key for c in criteria),
        )
    messages.warning(request, _conflict_message(outcome.conflicts))
    answers = perspective_answer_states(perspective_id=answer_set.perspective_id)
    changes = version_changes(assessment=assessment)
    form = QuestionnaireStepForm(
        criteria=criteria,
        answers=answers,
        conflict_keys=frozenset(c.criterion.key for c in outcome.conflicts),
        notes=changes.notes if changes else None,
        actions=_step_actions(membership, criteria),
        validation_required=assessment.validation_required,
    )
    return _render_step(
        request,
        answer_set=answer_set,
        membership=membership,
        structure=structure,
        number=number,
        form=form,
        answers=answers,
        status=409,
    )


@require_http_methods(["GET", "POST"])
@answer_set_view(roles=ANSWERING_ROLES)
def assessment_step(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership, number: int
) -> HttpResponse:
    """One step (dimension) of one perspective's questionnaire: show, save, move on."""
    assessment = answer_set.assessment
    if not assessment.is_draft:
        if "confirm" in request.POST or request.POST.get("action") == "confirm_step":
            # A confirmation that arrives after the submit: say so, nothing was confirmed.
            return render(
                request,
                "assessments/assessment_locked.html",
                {"assessment": assessment},
                status=409,
            )
        messages.info(request, _("This assessment is submitted and can no longer be changed."))
        return redirect("reports:report", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    if not 1 <= number <= len(structure.dimensions):
        raise Http404
    criteria = structure.criteria_of_dimension(structure.dimensions[number - 1])
    step = {"answer_set": answer_set, "structure": structure, "number": number}
    changes = version_changes(assessment=assessment)
    notes = changes.notes if changes else None
    data = request.POST or None
    if data is not None:
        # A valid save (the usual POST) needs no stored answers: the form is what was sent.
        form = QuestionnaireStepForm(data, criteria=criteria, answers={}, notes=notes)
        if form.is_valid():
            return _save_step(request, criteria=criteria, form=form, membership=membership, **step)
    answers = perspective_answer_states(perspective_id=answer_set.perspective_id)
    form = QuestionnaireStepForm(
        data,
        criteria=criteria,
        answers=answers,
        notes=notes,
        actions=_step_actions(membership, criteria),
        validation_required=assessment.validation_required,
    )
    if request.method == "POST":
        messages.error(
            request, _("Nothing was saved yet. Correct the marked questions and save again.")
        )
    status = 400 if request.method == "POST" else 200
    return _render_step(
        request, membership=membership, answers=answers, status=status, form=form, **step
    )


@require_http_methods(["GET", "POST"])
@answer_set_view(roles=ANSWERING_ROLES)
def assessment_step_carried(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership, number: int
) -> HttpResponse:
    """ "Next" asked: confirm the step's carried-over answers and continue, or continue as is."""
    assessment = answer_set.assessment
    if not assessment.is_draft:
        return redirect("reports:report", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    if not 1 <= number <= len(structure.dimensions):
        raise Http404
    dimension = structure.dimensions[number - 1]
    criteria = structure.criteria_of_dimension(dimension)
    onward = {"answer_set": answer_set, "goto": "", "number": number}
    onward["step_count"] = len(structure.dimensions)
    if request.method == "POST":
        if request.POST.get("choice") == "confirm":
            try:
                _confirm_keys(request, answer_set, sorted(c.key for c in criteria))
            except AssessmentLockedError:
                messages.error(
                    request, _("This assessment was submitted meanwhile; nothing was saved.")
                )
                return redirect("reports:report", pk=assessment.pk)
        return _after_save(action="next", **onward)
    count = perspective_unconfirmed_count(
        assessment=assessment,
        perspective_id=answer_set.perspective_id,
        criterion_ids=[c.pk for c in criteria],
    )
    if not count:
        return _after_save(action="next", **onward)
    return render(
        request,
        "assessments/step_carried_confirm.html",
        {
            "assessment": assessment,
            "answer_set": answer_set,
            "dimension": dimension,
            "number": number,
            "count": count,
        },
    )
