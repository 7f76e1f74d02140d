"""The questionnaire step: its form (one fieldset of rows per dimension, the answer scale rendered
once per process and language), the autosave's form of one answer and the preview's step forms."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject
from django import forms
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markupsafe import Markup, escape

from assessments.models import Answer, Confidence, ValidationState
from assessments.perspective_selectors import AnswerState
from assessments.services import COMMENT_MAX_LENGTH, AnswerInput
from maturity.models import AnswerValue, Criterion, Dimension
from maturity.selectors import ModelStructure

ANSWER_CHOICES = list(AnswerValue.choices)
CONFIDENCE_CHOICES = list(Confidence.choices)
VALIDATION_LABELS = dict(ValidationState.choices)


class CriterionRow(NamedTuple):
    """What one criterion's fieldset shows: plain data, the markup is the template's."""

    key: str
    name: str
    statement: str
    help_text: str
    value: str
    comment: str
    revision: int | str
    errors: str
    conflict: bool
    to_confirm: bool  # carried over from the previous assessment, not confirmed yet
    note: str  # what changed in the model since the previous assessment, if anything
    scale: Markup  # the answer scale's radio buttons, from answer_scales()
    confidence: Markup  # the "how sure" list with the chosen one selected, confidence_selects()
    validation: str  # "" or a ValidationState value (only shown when validation is on)


class CriterionFieldsets(LayoutObject):
    """All criteria of a step as fieldsets: statement as legend, help, the scale, a comment.

    One Jinja2 render for the whole step (the loop is in the template): a step shows dozens of
    criteria with seven radio buttons each, which Django's template engine renders several
    times slower (docs/performance.md).
    """

    template = "assessments/includes/_criterion_fieldsets.html"

    def render(self, form, context, template_pack=None, **kwargs):
        html = render_to_string(self.template, form.fieldsets_context(), using="jinja2")
        return mark_safe(html)  # noqa: S308  (autoescaped by the Jinja2 engine)


ANSWER_SCALE_TEMPLATE = "assessments/includes/_answer_scale.html"
CONFIDENCE_SELECT_TEMPLATE = "assessments/includes/_confidence_select.html"
# Stands for a criterion's field name in the scales and selects: no label or value contains it.
SCALE_NAME_SENTINEL = "__criterion_name__"


def answer_scales(*, disabled: bool) -> dict[str, Markup]:
    """The answer scale's markup for each checked answer ("" for none), in the active language.

    A step's criteria differ only in the field's name, so the seven radio buttons are rendered
    eight times instead of seven times per criterion, and only once per process and language: the
    template and the labels' translations do not change while it runs (docs/performance.md,
    2026-12-07).
    """
    return _rendered_once(ANSWER_SCALE_TEMPLATE, disabled, AnswerValue.values)


def confidence_selects(*, disabled: bool) -> dict[str, Markup]:
    """The "how sure are you?" list for each chosen confidence ("" for none), as the scales."""
    return _rendered_once(CONFIDENCE_SELECT_TEMPLATE, disabled, Confidence.values)


_rendered: dict[tuple[str, str | None, bool], dict[str, Markup]] = {}


def _rendered_once(template_name: str, disabled: bool, values: list[str]) -> dict[str, Markup]:
    """A criterion widget's markup for each chosen value ("" for none), rendered once per
    process, language and disabled state; the row puts its field name in for
    SCALE_NAME_SENTINEL."""
    key = (template_name, get_language(), disabled)
    if key not in _rendered:
        template = engines["jinja2"].get_template(template_name)
        context = {
            # Escaped once: the templates print them as they are.
            "answers": [(escape(value), escape(label)) for value, label in ANSWER_CHOICES],
            "confidences": [(escape(value), escape(label)) for value, label in CONFIDENCE_CHOICES],
            "not_said": escape(_("not said")),
            "sentinel": SCALE_NAME_SENTINEL,
            "disabled": disabled,
        }
        _rendered[key] = {
            value: Markup(template.render({**context, "checked": value}))  # noqa: S704  (autoescaped by Jinja2)
            for value in ("", *values)
        }
    return _rendered[key]


class AnswerValueField(forms.CharField):
    """One answer on the scale, or empty.

    A ChoiceField would normalise its seven choices again for every criterion of every request;
    the markup is the template's anyway, so this field only validates.
    """

    default_error_messages = {"invalid_choice": _("Choose one of the answers on the scale.")}
    allowed = frozenset(AnswerValue.values)

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, max_length=2, strip=True, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and value not in self.allowed:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )


class ConfidenceField(forms.CharField):
    """How sure the team is of an answer: one of the Confidence values, or empty."""

    default_error_messages = {"invalid_choice": _("Choose how sure you are from the list.")}
    allowed = frozenset(Confidence.values)

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, max_length=12, strip=True, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and value not in self.allowed:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )


PARTS = ("value", "comment", "revision", "confidence")

# The three fields of a criterion, one set per disabled state, shared by every step form: they
# only validate and are never changed after construction. Building (or deep-copying) 120 field
# objects for a step of 40 criteria cost about as much as rendering the whole step.
CRITERION_FIELDS = {
    disabled: (
        AnswerValueField(disabled=disabled),
        forms.CharField(
            required=False, max_length=COMMENT_MAX_LENGTH, strip=True, disabled=disabled
        ),
        forms.IntegerField(
            required=False, min_value=0, widget=forms.HiddenInput, disabled=disabled
        ),
        ConfidenceField(disabled=disabled),
    )
    for disabled in (False, True)
}


class QuestionnaireStepForm(forms.Form):
    """The criteria of one dimension; validates what was sent, saving is the service's job.

    Four fields per criterion (`<key>-value`, `<key>-comment`, `<key>-revision`,
    `<key>-confidence`). Unbound, it
    shows the stored answers as `initial`; bound, what was sent. Both render through the one
    crispy layout, whose `CriterionFieldsets` reads `initial`, `data` and `errors` directly.
    """

    def __init__(
        self,
        data=None,
        *,
        criteria: list[Criterion],
        answers: Mapping[int, Answer | AnswerState],
        disabled: bool = False,
        conflict_keys: frozenset[str] = frozenset(),
        prefix: str | None = None,
        notes: Mapping[str, str] | None = None,
        actions: Mapping[str, list] | None = None,
        validation_required: bool = False,
    ) -> None:
        super().__init__(data, initial=self._initial(criteria, answers), prefix=prefix)
        self.validation_required = validation_required
        self.criteria = criteria
        self.disabled = disabled
        self.conflict_keys = conflict_keys
        self.notes = notes or {}
        # The action plan's actions per criterion key, shown beside the questions; composed by
        # the view (actions.linked), as this app does not know the action plan.
        self.actions = actions or {}
        self.to_confirm_keys = frozenset(
            c.key
            for c in criteria
            if (answer := answers.get(c.pk)) is not None and getattr(answer, "to_confirm", False)
        )
        value_field, comment_field, revision_field, confidence_field = CRITERION_FIELDS[disabled]
        for criterion in criteria:
            key = criterion.key
            self.fields[f"{key}-value"] = value_field
            self.fields[f"{key}-comment"] = comment_field
            self.fields[f"{key}-revision"] = revision_field
            self.fields[f"{key}-confidence"] = confidence_field
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.template = "assessments/includes/questionnaire_form.html"
        self.helper.layout = Layout(CriterionFieldsets())

    @staticmethod
    def _initial(
        criteria: list[Criterion], answers: Mapping[int, Answer | AnswerState]
    ) -> dict[str, str | int]:
        """The stored answer of every criterion, or an empty one."""
        initial: dict[str, str | int] = {}
        for criterion in criteria:
            answer = answers.get(criterion.pk)
            key = criterion.key
            initial[f"{key}-value"] = answer.value if answer else ""
            initial[f"{key}-comment"] = answer.comment if answer else ""
            initial[f"{key}-revision"] = answer.revision if answer else 0
            initial[f"{key}-confidence"] = getattr(answer, "confidence", "") if answer else ""
            # Not a field: shown beside the answer, never sent back.
            initial[f"{key}-validation"] = getattr(answer, "validation_state", "") if answer else ""
        return initial

    def criterion_rows(self) -> list[CriterionRow]:
        """What each criterion's fieldset shows: what was sent if bound, else the initial answer.

        Read from `data`/`initial` and `errors` directly rather than through three bound fields
        per criterion, which cost a fifth of a step's rendering time.
        """
        bound = self.is_bound
        errors = self.errors if bound else {}
        scales = answer_scales(disabled=self.disabled)
        confidences = confidence_selects(disabled=self.disabled)
        rows = []
        for criterion in self.criteria:
            key = criterion.key
            name = self.add_prefix(key)
            if bound:
                # As sent, even when invalid: the respondent sees what they typed.
                value = self.data.get(f"{name}-value", "")
                comment = self.data.get(f"{name}-comment", "")
                revision = self.data.get(f"{name}-revision", 0)
                confidence = self.data.get(f"{name}-confidence", "")
            else:
                value, comment, revision, confidence = (
                    self.initial[f"{key}-{part}"] for part in PARTS
                )
            validation = (
                self.initial.get(f"{key}-validation", "") if self.validation_required else ""
            )
            messages = (
                " ".join(str(e) for part in PARTS for e in errors.get(f"{key}-{part}", ()))
                if errors
                else ""
            )
            rows.append(
                CriterionRow(
                    key,
                    name,
                    criterion.statement,
                    criterion.help_text,
                    value,
                    comment,
                    revision,
                    messages,
                    key in self.conflict_keys,
                    key in self.to_confirm_keys,
                    self.notes.get(key, ""),
                    # Markup.replace escapes the name it puts in.
                    scales.get(value, scales[""]).replace(SCALE_NAME_SENTINEL, name),
                    confidences.get(confidence, confidences[""]).replace(SCALE_NAME_SENTINEL, name),
                    validation,
                )
            )
        return rows

    def fieldsets_context(self) -> dict:
        """What the criterion fieldsets' template (`CriterionFieldsets.template`) reads."""
        return {
            "rows": self.criterion_rows(),
            "disabled": self.disabled,
            "comment_max_length": COMMENT_MAX_LENGTH,
            "actions": self.actions,
            "validation_labels": VALIDATION_LABELS,
        }

    def answer_inputs(self) -> list[AnswerInput]:
        """What was sent, per criterion, for answers_save."""
        return [
            AnswerInput(
                criterion=criterion,
                value=self.cleaned_data.get(f"{criterion.key}-value") or "",
                comment=self.cleaned_data.get(f"{criterion.key}-comment") or "",
                loaded_revision=self.cleaned_data.get(f"{criterion.key}-revision") or 0,
                # Not sent (an older page): the stored confidence stays.
                confidence=self.cleaned_data.get(f"{criterion.key}-confidence") or ""
                if self.add_prefix(f"{criterion.key}-confidence") in self.data
                else None,
            )
            for criterion in self.criteria
        ]


class AnswerAutosaveForm(forms.Form):
    """One autosaved answer: the value on the scale, the comment and the revision loaded."""

    value = AnswerValueField()
    comment = forms.CharField(required=False, max_length=COMMENT_MAX_LENGTH, strip=True)
    revision = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    confidence = ConfidenceField()
    # The carried-over answer shown was clicked: confirm it when it is unchanged.
    confirm = forms.BooleanField(required=False)

    def confidence_sent(self) -> str | None:
        """The confidence sent, or None when none was sent (the stored one then stays)."""
        return self.cleaned_data["confidence"] if "confidence" in self.data else None


@dataclass(frozen=True)
class StepForm:
    number: int
    dimension: Dimension
    form: QuestionnaireStepForm


def build_step_forms(
    *, structure: ModelStructure, answers: dict[int, Answer], disabled: bool
) -> list[StepForm]:
    """A form for every step (dimension) of a version, e.g. for the editors' preview."""
    return [
        StepForm(
            number=number,
            dimension=dimension,
            form=QuestionnaireStepForm(
                criteria=structure.criteria_of_dimension(dimension),
                answers=answers,
                disabled=disabled,
                prefix=f"s{number}",
            ),
        )
        for number, dimension in enumerate(structure.dimensions, start=1)
    ]
