"""Sign-in rules: which users of an identity provider join an organisation, and who joined so."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Membership, Organisation

# A rule never grants more than this: admins are invited, staff is set by staff.
RULE_ROLES = (Membership.Role.RESPONDENT, Membership.Role.VIEWER, Membership.Role.CONTRIBUTOR)


class SignInRule(models.Model):
    """Users of ``provider_id`` whose claim ``claim`` equals ``value`` join as ``role``."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="sign_in_rules",
        verbose_name=_("organisation"),
    )
    provider_id = models.CharField(_("identity provider"), max_length=100)
    claim = models.CharField(_("claim"), max_length=100)
    value = models.CharField(_("value"), max_length=200)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(role.value, role.label) for role in RULE_ROLES],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-in rule")
        verbose_name_plural = _("sign-in rules")
        ordering = ["provider_id", "claim", "value"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in RULE_ROLES]),
                name="signinrule_role_never_admin",
            ),
            models.UniqueConstraint(
                fields=["organisation", "provider_id", "claim", "value"],
                name="signinrule_unique_condition",
                violation_error_message=_("This organisation has this rule already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.claim} = {self.value} → {self.role}"


class RuleMembership(models.Model):
    """A membership that a sign-in rule made; it ends when the rule stops matching."""

    membership = models.OneToOneField(
        Membership,
        on_delete=models.CASCADE,
        related_name="sign_in_rule_link",
        verbose_name=_("membership"),
    )
    rule = models.ForeignKey(
        SignInRule,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("sign-in rule"),
    )

    class Meta:
        verbose_name = _("membership by sign-in rule")
        verbose_name_plural = _("memberships by sign-in rule")

    def __str__(self) -> str:
        return f"{self.membership} ← {self.rule}"


class SignInEvent(models.Model):
    """One line of the sign-in audit trail: who, when, how, with which outcome.

    No IP address: the request log keeps it for its own (shorter) retention, and organisation
    admins, who read this trail, have no need to see where their colleagues work from.
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        SECOND_FACTOR = "second_factor", _("Second step passed")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Second step failed")
        SECOND_FACTOR_ADDED = "second_factor_added", _("Second factor added")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("Second factor removed")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("New recovery codes")
        ACCOUNT_LINKED = "account_linked", _("Linked to an identity provider")
        RULE_JOINED = "rule_joined", _("Joined by a sign-in rule")
        RULE_ENDED = "rule_ended", _("Membership by a sign-in rule ended")
        MFA_REQUIRED_ON = "mfa_required_on", _("Second factor required of all members")
        MFA_REQUIRED_OFF = "mfa_required_off", _("Second factor no longer required of all members")

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        IDENTITY_PROVIDER = "identity_provider", _("Identity provider")
        AUTHENTICATOR_APP = "totp", _("Authenticator app")
        RECOVERY_CODE = "recovery_codes", _("Recovery code")
        OTHER = "", _("Other")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    succeeded = models.BooleanField(_("succeeded"), default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name=_("user"),
    )
    # What was typed or asserted: a username, or the e-mail address an identity provider named.
    identifier = models.CharField(_("username or e-mail address"), max_length=254, blank=True)
    method = models.CharField(
        _("method"), max_length=30, choices=Method.choices, blank=True, default=""
    )
    provider_id = models.CharField(_("identity provider"), max_length=100, blank=True)
    # The organisation a rule event concerns: its admins see it also after the member left.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="signinevent_user_at")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.kind} {self.identifier}"
