"""After a sign-in with an identity provider: apply invitations and sign-in rules."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from sso.mfa import enrolment_mark
from sso.services import sign_in_provision


@receiver(user_logged_in, dispatch_uid="sso_sign_in_provision")
def provision_on_sign_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None:
        enrolment_mark(request=request, user=user)
        return
    extra = sociallogin.account.extra_data
    claims = {**extra.get("id_token", {}), **extra.get("userinfo", {})}
    sign_in_provision(user=user, provider_id=sociallogin.account.provider, claims=claims)
    enrolment_mark(request=request, user=user, claims=extra.get("id_token", {}))
