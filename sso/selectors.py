"""Reads of the sign-in with an identity provider: the login page's providers, the rules page."""

from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from assessments.models import Membership
from sso.models import RuleMembership, SignInEvent, SignInRule


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


def organisation_sign_in_events(*, membership: Membership) -> QuerySet[SignInEvent]:
    """The audit trail of the member's organisation: its members' lines, and its rule events.

    Starts from the organisation's memberships, so an admin sees nobody else's sign-ins; a rule
    event names the organisation, so it stays visible after the member left by it.
    """
    organisation_id = membership.organisation_id
    members = Membership.objects.filter(organisation_id=organisation_id).values("user_id")
    return (
        SignInEvent.objects.filter(Q(user_id__in=members) | Q(organisation_id=organisation_id))
        .select_related("user")
        .order_by("-at", "-pk")
    )
