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
