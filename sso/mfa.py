"""Who must have a second factor, and when a sign-in has given one (docs/security.md).

Staff and organisation admins who sign in with a password must have an authenticator app: a
password sign-in of theirs without one leads to the enrolment before anything else. A sign-in at
an identity provider counts as two factors when its ID token's ``amr`` claim (RFC 8176) names a
second factor; otherwise the same rule applies to it.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from assessments.models import ADMIN_ROLES, Membership

# Set in the session when the sign-in still owes its second factor's enrolment.
ENROLMENT_SESSION_KEY = "groeipad_mfa_enrolment_required"
# RFC 8176 authentication method references that are a factor beyond a password.
SECOND_FACTOR_AMR = frozenset(
    {"mfa", "otp", "hwk", "sc", "fpt", "face", "iris", "retina", "vbm", "sms", "tel", "pop"}
)


def second_factor_required(*, user) -> bool:
    """Staff, and admins of any organisation, must sign in with a second factor."""
    if not settings.GROEIPAD_MFA_REQUIRED:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user_id=user.pk, role__in=ADMIN_ROLES).exists()


def has_authenticator_app(*, user) -> bool:
    """The user has enrolled an authenticator app (TOTP)."""
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def amr_has_second_factor(claims: dict) -> bool:
    """The identity provider says the sign-in used more than a password."""
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list):
        return False
    return any(str(method).lower() in SECOND_FACTOR_AMR for method in amr)


def enrolment_mark(*, request: HttpRequest, user, claims: dict | None = None) -> None:
    """After a sign-in: remember in the session that the user must enrol first, if so."""
    if claims is not None and amr_has_second_factor(claims):
        return
    if second_factor_required(user=user) and not has_authenticator_app(user=user):
        request.session[ENROLMENT_SESSION_KEY] = True


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA with Groeipad's rule: who must have an app cannot remove it."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and second_factor_required(
            user=authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
