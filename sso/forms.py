"""The sign-in rule form of the organisation admin's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maturity.input_rules import SingleLineFieldsMixin
from sso.models import RULE_ROLES


class SignInRuleForm(SingleLineFieldsMixin, forms.Form):
    provider_id = forms.ChoiceField(label=_("Identity provider"))
    claim = forms.CharField(
        label=_("Claim"),
        max_length=100,
        help_text=_("The name of the claim in the ID token, for example org_code."),
    )
    value = forms.CharField(label=_("Value"), max_length=200)
    role = forms.ChoiceField(
        label=_("Joins as"), choices=[(role.value, role.label) for role in RULE_ROLES]
    )

    def __init__(self, *args, providers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_id"].choices = [(p.id, p.name) for p in providers]


class RequireMFAForm(SingleLineFieldsMixin, forms.Form):
    """The organisation's choice: every member who signs in with a password needs an app."""

    require_mfa = forms.BooleanField(
        label=_("Require an authenticator app of every member who signs in with a password"),
        required=False,
        help_text=_(
            "Members without one set it up at their next step in Groeipad. Members who sign in"
            " with an identity provider that already asks a second factor are not asked again."
        ),
    )


class LinkConfirmForm(SingleLineFieldsMixin, forms.Form):
    password = forms.CharField(
        label=_("Password of your Groeipad account"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
