"""Reads of the sign-in with an identity provider: the login page's providers, the rules page."""

from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter
from django.http import HttpRequest

from assessments.models import Membership
from sso.models import RuleMembership, SignInRule


@dataclass(frozen=True)
class IdentityProvider:
    """One button of the login page."""

    id: str
    name: str
    login_url: str


def identity_provider_list(*, request: HttpRequest) -> list[IdentityProvider]:
    """The configured OpenID Connect providers: from the environment and the admin's apps."""
    return [
        IdentityProvider(
            id=provider.app.provider_id,
            name=provider.name,
            login_url=provider.get_login_url(request),
        )
        for provider in get_adapter().list_providers(request)
        if provider.id == "openid_connect"
    ]


def organisation_sign_in_rules(*, membership: Membership) -> list[SignInRule]:
    """The rules of the member's organisation."""
    return list(SignInRule.objects.filter(organisation_id=membership.organisation_id))


def organisation_rule_members(*, membership: Membership) -> list[RuleMembership]:
    """Who joined the member's organisation by which rule."""
    return list(
        RuleMembership.objects.filter(membership__organisation_id=membership.organisation_id)
        .select_related("membership__user", "rule")
        .order_by("membership__user__username")
    )


def organisation_sign_in_rule_get(*, membership: Membership, pk: int) -> SignInRule | None:
    """One rule of the member's organisation, or None."""
    return SignInRule.objects.filter(organisation_id=membership.organisation_id, pk=pk).first()
