"""Forms: the questionnaire step, starting an assessment, CSV upload, members."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject, Submit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.models import Answer, Membership
from assessments.selectors import AnswerState
from assessments.services import COMMENT_MAX_LENGTH, CSV_MAX_BYTES, AnswerInput
from maturity.models import AnswerValue, Criterion, Dimension
from maturity.selectors import ModelStructure

ANSWER_CHOICES = list(AnswerValue.choices)


class _FieldsetParts(NamedTuple):
    """The fixed markup of one criterion's fieldset, pre-escaped, split where answers go."""

    start: str
    error_ref: str
    head: str
    scale: tuple[tuple[str, str], ...]
    details: str
    comment_field: str
    revision_field: str


@lru_cache(maxsize=8192)
def _fieldset_parts(
    *, key: str, statement: str, help_text: str, prefix: str, language: str, disabled: bool
) -> _FieldsetParts:
    """Everything of a criterion's fieldset that does not depend on the answer.

    It depends only on the criterion's texts (fixed for a published version), the form prefix,
    the language and whether the form is disabled, so it is built once per process; showing a
    step then joins strings instead of escaping and formatting the same markup on every
    request, the largest cost of the page (see docs/performance.md).
    """

    def name(part: str) -> str:
        return f"{prefix}-{key}-{part}" if prefix else f"{key}-{part}"

    help_html = (
        format_html('<p class="form-text mt-0" id="help-{}">{}</p>', key, help_text)
        if help_text
        else format_html('<span id="help-{}" hidden></span>', key)
    )
    off = " disabled" if disabled else ""
    return _FieldsetParts(
        start=format_html('" id="criterion-{}" aria-describedby="help-{}', key, key),
        error_ref=format_html(" error-{}", key),
        head=format_html(
            '"><legend class="card-header">{}</legend><div class="card-body">{}',
            statement,
            help_html,
        ),
        scale=tuple(
            (
                value,
                format_html(
                    '<label class="form-check form-check-inline"><input class="form-check-input" '
                    'type="radio" name="{}" value="{}"',
                    name("value"),
                    value,
                ),
                format_html("{}> {}</label>", off, label),
            )
            for value, label in ANSWER_CHOICES
        ),
        details='</div><details class="mt-2"',
        comment_field=format_html(
            '><summary class="small" id="{}-label">{}</summary>'
            '<textarea class="form-control mt-1" name="{}" aria-labelledby="{}-label" rows="2" '
            'maxlength="{}"{}>',
            name("comment"),
            _("Comment (optional)"),
            name("comment"),
            name("comment"),
            COMMENT_MAX_LENGTH,
            off,
        ),
        revision_field=format_html(
            '</textarea></details><input type="hidden" name="{}" value="', name("revision")
        ),
    )


class CriterionFieldset(LayoutObject):
    """One criterion as a fieldset: statement as legend, help, the scale, a comment.

    Joined from cached, pre-escaped parts (`_fieldset_parts`) and the escaped answer instead of
    a template per criterion: a step renders dozens of criteria with seven radio buttons each.
    """

    def __init__(self, criterion: Criterion) -> None:
        self.criterion = criterion

    def render(self, form, context, template_pack=None, **kwargs):
        criterion = self.criterion
        key = criterion.key
        parts = _fieldset_parts(
            key=key,
            statement=criterion.statement,
            help_text=criterion.help_text,
            prefix=form.prefix or "",
            language=get_language() or "",
            disabled=form.disabled,
        )
        shown = form.shown(criterion)
        errors = shown.errors
        conflict = key in form.conflict_keys
        classes = "criterion card" + (" border-danger" if errors else "")
        classes += " border-warning" if conflict else ""
        html = ['<fieldset class="', classes, parts.start]
        if errors:
            html.append(parts.error_ref)
        html.append(parts.head)
        if conflict:
            html.append(
                format_html(
                    '<p class="alert alert-warning py-1 px-2 small">{}</p>',
                    _("A colleague changed this answer; the current answer is shown."),
                )
            )
        if errors:
            html.append(
                format_html(
                    '<p class="text-danger small" id="error-{}" role="alert">{}</p>',
                    key,
                    " ".join(str(e) for e in errors),
                )
            )
        html.append('<div class="answer-scale">')
        current = shown.value
        for value, before, after in parts.scale:
            html += (before, " checked" if value == current else "", after)
        comment = shown.comment
        html += (
            parts.details,
            " open" if comment else "",
            parts.comment_field,
            escape(comment),
            parts.revision_field,
            escape(shown.revision),
            '"></div></fieldset>',
        )
        return mark_safe("".join(html))  # noqa: S308  (escaped parts and escaped answers only)


class AnswerValueField(forms.CharField):
    """One answer on the scale, or empty.

    A ChoiceField would normalise its seven choices again for every criterion of every request;
    the markup is ours anyway, so this field only validates.
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


class ShownAnswer(NamedTuple):
    """What a criterion's fieldset shows: the stored answer, or what was just sent."""

    value: str
    comment: str
    revision: int | str
    errors: list[str]


class QuestionnaireStepForm(forms.Form):
    """The criteria of one dimension; validates what was sent, saving is the service's job.

    Fields exist only on a bound form, where they validate the POST. An unbound form (showing a
    step) renders straight from the stored answers: building 81 fields and their bound fields
    per request took a fifth of a step's time.
    """

    def __init__(
        self,
        *args,
        criteria: list[Criterion],
        answers: Mapping[int, Answer | AnswerState],
        disabled: bool = False,
        conflict_keys: frozenset[str] = frozenset(),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.answers = answers
        self.disabled = disabled
        self.conflict_keys = conflict_keys
        if self.is_bound:
            for criterion in criteria:
                key = criterion.key
                self.fields[f"{key}-value"] = AnswerValueField(label=criterion.statement)
                self.fields[f"{key}-comment"] = forms.CharField(
                    required=False, max_length=COMMENT_MAX_LENGTH, strip=True
                )
                self.fields[f"{key}-revision"] = forms.IntegerField(
                    required=False, min_value=0, widget=forms.HiddenInput
                )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.template = "assessments/includes/questionnaire_form.html"
        self.helper.layout = Layout(*(CriterionFieldset(c) for c in criteria))

    def shown(self, criterion: Criterion) -> ShownAnswer:
        """The answer to show for a criterion: what was sent if bound, else what is stored."""
        key = criterion.key
        if self.is_bound:
            value, comment, revision = (
                self.data.get(self.add_prefix(f"{key}-{part}"), default)
                for part, default in (("value", ""), ("comment", ""), ("revision", 0))
            )
            errors = [
                error
                for part in ("value", "comment", "revision")
                for error in self.errors.get(f"{key}-{part}", [])
            ]
            return ShownAnswer(value, comment, revision, errors)
        answer = self.answers.get(criterion.pk)
        if answer is None:
            return ShownAnswer(value="", comment="", revision=0, errors=[])
        return ShownAnswer(answer.value, answer.comment, answer.revision, [])

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
    # The model field's limit: a longer address would pass the form and fail full_clean().
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

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
