"""Forms: the questionnaire step, starting an assessment, CSV upload, members."""

from dataclasses import dataclass
from functools import lru_cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject, Submit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.models import Answer, Membership
from assessments.services import COMMENT_MAX_LENGTH, CSV_MAX_BYTES, AnswerInput
from maturity.models import AnswerValue, Criterion, Dimension
from maturity.selectors import ModelStructure

ANSWER_CHOICES = list(AnswerValue.choices)


@lru_cache(maxsize=8192)
def _scale_parts(html_name: str, language: str, disabled: bool) -> tuple[tuple[str, str, str], ...]:
    """The radio buttons of one criterion, split where `checked` goes.

    The markup depends only on the field name, the language and whether it is disabled, so it is
    built once per process; a step then only joins strings instead of rendering 7 templates per
    criterion, the most expensive part of the page.
    """
    return tuple(
        (
            value,
            format_html(
                '<label class="form-check form-check-inline"><input class="form-check-input" '
                'type="radio" name="{}" value="{}"',
                html_name,
                value,
            ),
            format_html("{}> {}</label>", " disabled" if disabled else "", label),
        )
        for value, label in ANSWER_CHOICES
    )


def answer_scale_html(*, html_name: str, current: str, disabled: bool) -> SafeString:
    """The answer scale of one criterion with the current answer checked."""
    parts = _scale_parts(html_name, get_language() or "", disabled)
    return mark_safe(  # noqa: S308  (joined from format_html output only)
        "".join(
            f"{before}{' checked' if value == current else ''}{after}"
            for value, before, after in parts
        )
    )


class CriterionFieldset(LayoutObject):
    """One criterion as a fieldset: statement as legend, help, the scale, a comment.

    A lean template of our own instead of Django's per-widget templates: a questionnaire step
    renders seven radio buttons per criterion, and widget templates made that the slowest part.
    """

    template = "assessments/includes/_criterion.html"

    def __init__(self, criterion: Criterion) -> None:
        self.criterion = criterion

    def render(self, form, context, template_pack=None, **kwargs):
        key = self.criterion.key
        value_field = form[f"{key}-value"]
        comment_field = form[f"{key}-comment"]
        errors = list(value_field.errors) + list(comment_field.errors)
        return get_template(self.template).render(
            {
                "criterion": self.criterion,
                "scale": answer_scale_html(
                    html_name=value_field.html_name,
                    current=value_field.value() or "",
                    disabled=form.disabled,
                ),
                "comment_name": comment_field.html_name,
                "comment": comment_field.value() or "",
                "revision_name": form[f"{key}-revision"].html_name,
                "revision": form[f"{key}-revision"].value() or 0,
                "errors": errors,
                "disabled": form.disabled,
                "changed_by_colleague": key in form.conflict_keys,
                "comment_max": COMMENT_MAX_LENGTH,
            }
        )


class QuestionnaireStepForm(forms.Form):
    """The criteria of one dimension; validates what was sent, saving is the service's job."""

    def __init__(
        self,
        *args,
        criteria: list[Criterion],
        answers: dict[int, Answer],
        disabled: bool = False,
        conflict_keys: frozenset[str] = frozenset(),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.disabled = disabled
        self.conflict_keys = conflict_keys
        for criterion in criteria:
            answer = answers.get(criterion.pk)
            key = criterion.key
            self.fields[f"{key}-value"] = forms.ChoiceField(
                choices=ANSWER_CHOICES,
                required=False,
                initial=answer.value if answer else "",
                label=criterion.statement,
                error_messages={
                    "invalid_choice": _("Choose one of the answers on the scale."),
                },
            )
            self.fields[f"{key}-comment"] = forms.CharField(
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                initial=answer.comment if answer else "",
                strip=True,
            )
            self.fields[f"{key}-revision"] = forms.IntegerField(
                required=False,
                min_value=0,
                initial=answer.revision if answer else 0,
                widget=forms.HiddenInput,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*(CriterionFieldset(c) for c in criteria))

    def answer_inputs(self) -> list[AnswerInput]:
        """What was sent, per criterion, for answers_save."""
        return [
            AnswerInput(
                criterion=criterion,
                value=self.cleaned_data.get(f"{criterion.key}-value") or "",
                comment=self.cleaned_data.get(f"{criterion.key}-comment") or "",
                loaded_revision=self.cleaned_data.get(f"{criterion.key}-revision") or 0,
            )
            for criterion in self.criteria
        ]


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


class AssessmentCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Nulmeting 2026” or “Meting najaar 2027”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns criterion_key, answer, comment; UTF-8; at most 1 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("invite", _("Send invitation")))


class AccountForm(forms.Form):
    """A new account for someone accepting an invitation."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            user = get_user_model()(username=cleaned.get("username", ""))
            try:
                password_validation.validate_password(cleaned["password"], user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("create", _("Create account and join")))
