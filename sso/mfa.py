"""Who must have a second factor, and when a sign-in has given one (docs/security.md).

Staff, organisation admins, and every member of an organisation whose admins require it
(``Organisation.require_mfa``) who sign in with a password must have an authenticator app: a
password sign-in of theirs without one leads to the enrolment before anything else. A sign-in at
an identity provider counts as two factors when its ID token's ``amr`` claim (RFC 8176) names a
second factor; otherwise the same rule applies to it. Who comes under the rule during a session
(made an admin, staff, or a member of such an organisation) is sent to the enrolment at the next
request (sso.middleware.SecondFactorEnrolmentMiddleware).
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from assessments.models import ADMIN_ROLES, Membership

# Set in the session when the sign-in still owes its second factor's enrolment.
ENROLMENT_SESSION_KEY = "groeipad_mfa_enrolment_required"
# Whether the rule applied to the session's user when it was last looked at (from the sign-in on):
# when it starts to apply during the session, the session owes the enrolment from then on.
REQUIRED_SESSION_KEY = "groeipad_mfa_required"
# Set when the identity provider's ID token named a second factor (amr): the session has one.
PROVIDER_SECOND_FACTOR_SESSION_KEY = "groeipad_mfa_at_identity_provider"
# RFC 8176 authentication method references that are a factor beyond a password.
SECOND_FACTOR_AMR = frozenset(
    {"mfa", "otp", "hwk", "sc", "fpt", "face", "iris", "retina", "vbm", "sms", "tel", "pop"}
)


def second_factor_required(*, user, memberships: list[Membership] | None = None) -> bool:
    """Staff, admins of any organisation, and members of an organisation that requires it.

    ``memberships``: the user's memberships with their organisations when the caller has them
    (the request's, read once per request anyway); else one query.
    """
    if not settings.GROEIPAD_MFA_REQUIRED:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if memberships is not None:
        return any(m.role in ADMIN_ROLES or m.organisation.require_mfa for m in memberships)
    return Membership.objects.filter(
        Q(role__in=ADMIN_ROLES) | Q(organisation__require_mfa=True), user_id=user.pk
    ).exists()


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
    required = second_factor_required(user=user)
    request.session[REQUIRED_SESSION_KEY] = required
    if claims is not None and amr_has_second_factor(claims):
        request.session[PROVIDER_SECOND_FACTOR_SESSION_KEY] = True
        return
    if required and not has_authenticator_app(user=user):
        request.session[ENROLMENT_SESSION_KEY] = True


def required_state_remember(*, request: HttpRequest, user) -> None:
    """At every sign-in (also one without allauth): whether the rule applies to the user now."""
    request.session[REQUIRED_SESSION_KEY] = second_factor_required(user=user)


def enrolment_recheck(*, request: HttpRequest) -> None:
    """At each request: a session whose user came under the rule since owes the enrolment.

    Compares the rule for the request's memberships (read once per request for the header
    anyway) with what the session remembers, so an unchanged user costs no query. A session
    from before this check remembers nothing: it starts remembering now.
    """
    user = request.user
    required = second_factor_required(user=user, memberships=request.memberships.all)
    remembered = request.session.get(REQUIRED_SESSION_KEY)
    if remembered is required:
        return
    request.session[REQUIRED_SESSION_KEY] = required
    if (
        required
        and remembered is False
        and not request.session.get(PROVIDER_SECOND_FACTOR_SESSION_KEY)
        and not has_authenticator_app(user=user)
    ):
        request.session[ENROLMENT_SESSION_KEY] = True


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA with Groeipad's rule: who must have an app cannot remove it."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and second_factor_required(
            user=authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
