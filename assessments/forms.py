"""Forms: the questionnaire step, starting an assessment, CSV upload, members."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject, Submit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.template import engines
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markupsafe import Markup, escape

from assessments.logo import LOGO_MAX_BYTES, LOGO_TOO_LARGE_MESSAGE, LogoError, logo_check
from assessments.models import Answer, Confidence, Membership, ValidationState
from assessments.perspective_selectors import AnswerState
from assessments.services import COMMENT_MAX_LENGTH, CSV_MAX_BYTES, AnswerInput
from maturity.input_rules import SingleLineFieldsMixin
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


class AssessmentCreateForm(SingleLineFieldsMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Nulmeting 2026” or “Meting najaar 2027”."),
    )

    def __init__(self, *args, baselines=(), **kwargs):
        """``baselines``: the organisation's counted submitted assessments, newest first; the
        team starts from one of them (by default the latest) or empty."""
        super().__init__(*args, **kwargs)
        if baselines:
            self.fields["start_from"] = forms.TypedChoiceField(
                label=_("Start"),
                choices=[
                    *(
                        (
                            baseline.pk,
                            _("from “%(title)s” (%(date)s): its answers are filled in, to confirm")
                            % {
                                "title": baseline.title,
                                "date": date_format(localtime(baseline.submitted_at)),
                            },
                        )
                        for baseline in baselines
                    ),
                    ("", _("empty")),
                ],
                coerce=int,
                empty_value=None,
                required=False,
                initial=baselines[0].pk,
                widget=forms.RadioSelect,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DeadlineForm(SingleLineFieldsMixin, forms.Form):
    """A date by which something should be done; empty for none."""

    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Shown on the cards of the dashboard and the perspectives. Empty: none."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AssessmentDeleteForm(SingleLineFieldsMixin, forms.Form):
    """The draft's title, typed to confirm that it and its answers go."""

    typed_title = forms.CharField(label=_("Type the title of the assessment to confirm"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class CsvUploadForm(SingleLineFieldsMixin, forms.Form):
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


class InvitationForm(SingleLineFieldsMixin, forms.Form):
    # The model field's limit: a longer address would pass the form and fail full_clean().
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    # Contributors are invited from a perspective, which they then answer in.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[c for c in Membership.Role.choices if c[0] != Membership.Role.CONTRIBUTOR],
    )

    def clean_email(self):
        # Stored lowercased; some letters grow when lowercased ("İ" becomes two characters), so
        # the address is checked again as it will be stored.
        email = self.cleaned_data["email"].strip().lower()
        self.fields["email"].run_validators(email)
        try:
            # How the mail will name the domain; some valid-looking letters have no IDNA form.
            email.rpartition("@")[2].encode("idna")
        except UnicodeError:
            raise forms.ValidationError(_("This domain name cannot receive e-mail.")) from None
        return email

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("invite", _("Send invitation")))


class AccountForm(SingleLineFieldsMixin, forms.Form):
    """A new account for someone accepting an invitation."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_username(self):
        user_model = get_user_model()
        # Check the name as create_user() will store it (NFKC), with the model's own rules.
        username = user_model.normalize_username(self.cleaned_data["username"].strip())
        # Normalisation can make a name longer ("㌖" becomes six characters).
        if len(username) > user_model._meta.get_field("username").max_length:
            raise forms.ValidationError(_("This username is too long."))
        user_model.username_validator(username)
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


class AnswerValidationForm(SingleLineFieldsMixin, forms.Form):
    """A validation step on one answer: validate, ask a question, or reply to one."""

    ACTIONS = ("validate", "question", "reply")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    # The revision the validator saw: a change since then must be looked at again.
    revision = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    text = forms.CharField(
        label=_("Your question or reply"),
        required=False,
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ValidationSettingForm(SingleLineFieldsMixin, forms.Form):
    """Switch validation of a draft's answers on or off."""

    required = forms.TypedChoiceField(
        choices=[("1", "on"), ("0", "off")], coerce=lambda value: value == "1"
    )


class LogoForm(SingleLineFieldsMixin, forms.Form):
    """A new logo for the organisation: checked by content (assessments/logo.py) on save."""

    logo = forms.FileField(
        label=_("Logo"),
        help_text=_("PNG, JPEG or SVG, at most 1 MB and 4,000 pixels wide and high."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/svg+xml"}),
    )

    def clean_logo(self):
        """The upload's bytes, refused before reading when it is larger than allowed."""
        upload = self.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(LOGO_TOO_LARGE_MESSAGE, code="too_large")
        content = upload.read(LOGO_MAX_BYTES + 1)
        try:
            logo_check(content)
        except LogoError as error:
            raise forms.ValidationError(error.message, code="refused") from error
        return content
