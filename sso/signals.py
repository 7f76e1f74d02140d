"""After a sign-in: apply invitations and sign-in rules; and the sign-in audit trail."""

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.signals import user_logged_in
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from sso.mfa import enrolment_mark, required_state_remember
from sso.models import SignInEvent
from sso.services import sign_in_event_record, sign_in_provision

AMR_DETAIL_LENGTH = 100


@receiver(user_logged_in, dispatch_uid="sso_sign_in_provision")
def provision_on_sign_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None:
        enrolment_mark(request=request, user=user)
        return
    extra = sociallogin.account.extra_data
    claims = {**extra.get("id_token", {}), **extra.get("userinfo", {})}
    sign_in_provision(user=user, provider_id=sociallogin.account.provider, claims=claims)
    enrolment_mark(request=request, user=user, claims=extra.get("id_token", {}))


# Password sign-ins that do not pass allauth's login flow: the new account of an accepted
# invitation is signed in by the accepting page itself (assessments.views.members._accept).
PASSWORD_SIGN_IN_URL_NAMES = frozenset({"invitation_accept"})


@receiver(auth_signals.user_logged_in, dispatch_uid="sso_second_factor_rule_remembered")
def second_factor_rule_remembered(sender, request, user, **kwargs) -> None:
    """Every sign-in remembers whether the second-factor rule applies (sso.mfa)."""
    if request is None or not hasattr(request, "session"):
        return
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in PASSWORD_SIGN_IN_URL_NAMES:
        enrolment_mark(request=request, user=user)
    else:
        required_state_remember(request=request, user=user)


@receiver(auth_signals.user_logged_in, dispatch_uid="sso_audit_signed_in")
def audit_signed_in(sender, request, user, **kwargs) -> None:
    """Every session that signs in: by password or identity provider, with or without MFA."""
    records = get_authentication_records(request, user) if request is not None else []
    methods = [record.get("method") for record in records]
    method, provider_id, details = SignInEvent.Method.OTHER, "", []
    if "socialaccount" in methods:
        method = SignInEvent.Method.IDENTITY_PROVIDER
        provider_id = next(r.get("provider", "") for r in records if r["method"] == "socialaccount")
    elif "password" in methods:
        method = SignInEvent.Method.PASSWORD
    second = [r.get("type", "") for r in records if r.get("method") == "mfa"]
    if second:
        details.append("+ " + " ".join(second))
    social = getattr(request, "_groeipad_id_token_amr", None)
    if social:
        details.append("amr: " + " ".join(str(item) for item in social)[:AMR_DETAIL_LENGTH])
    sign_in_event_record(
        kind=SignInEvent.Kind.SIGN_IN,
        user=user,
        method=method,
        provider_id=provider_id,
        detail="; ".join(details),
    )


@receiver(auth_signals.user_login_failed, dispatch_uid="sso_audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password (or a locked-out one): the username typed, and its user if it exists."""
    username = str(credentials.get("username") or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    sign_in_event_record(
        kind=SignInEvent.Kind.SIGN_IN_FAILED,
        succeeded=False,
        user=user,
        identifier=username,
        method=SignInEvent.Method.PASSWORD,
    )


@receiver(auth_signals.user_logged_out, dispatch_uid="sso_audit_signed_out")
def audit_signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        sign_in_event_record(kind=SignInEvent.Kind.SIGN_OUT, user=user)


@receiver(mfa_signals.authenticator_used, dispatch_uid="sso_audit_second_factor")
def audit_second_factor(sender, request, user, authenticator, **kwargs) -> None:
    sign_in_event_record(kind=SignInEvent.Kind.SECOND_FACTOR, user=user, method=authenticator.type)


@receiver(mfa_signals.authentication_failed, dispatch_uid="sso_audit_second_factor_failed")
def audit_second_factor_failed(sender, request, user, authenticator, **kwargs) -> None:
    sign_in_event_record(
        kind=SignInEvent.Kind.SECOND_FACTOR_FAILED,
        succeeded=False,
        user=user,
        method=authenticator.type,
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="sso_audit_second_factor_added")
def audit_second_factor_added(sender, request, user, authenticator, **kwargs) -> None:
    sign_in_event_record(
        kind=SignInEvent.Kind.SECOND_FACTOR_ADDED, user=user, method=authenticator.type
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="sso_audit_second_factor_removed")
def audit_second_factor_removed(sender, request, user, authenticator, **kwargs) -> None:
    sign_in_event_record(
        kind=SignInEvent.Kind.SECOND_FACTOR_REMOVED, user=user, method=authenticator.type
    )


@receiver(mfa_signals.authenticator_reset, dispatch_uid="sso_audit_recovery_codes")
def audit_recovery_codes_renewed(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        sign_in_event_record(
            kind=SignInEvent.Kind.RECOVERY_CODES_RENEWED, user=user, method=authenticator.type
        )
