"""Forms around the questionnaire: starting an assessment, its deadline and deletion, CSV upload,
members and invitations, the account, validation and the logo. The step's own form is in
`step_forms`."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from assessments.logo import LOGO_MAX_BYTES, LOGO_TOO_LARGE_MESSAGE, LogoError, logo_check
from assessments.models import Membership
from assessments.services import CSV_MAX_BYTES
from maturity.input_rules import SingleLineFieldsMixin


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
