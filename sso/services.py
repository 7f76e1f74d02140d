"""Writes of the sign-in with an identity provider: what a sign-in grants, and sign-in rules."""

from allauth.core.internal.datakit import parse_bool_safely
from django.db import transaction

from assessments.models import ADMIN_ROLES, Invitation, Membership, Organisation
from assessments.services import NotAllowedError, invitation_accept
from sso.models import RuleMembership, SignInEvent, SignInRule


def _claim_matches(claims: dict, *, claim: str, value: str) -> bool:
    """A claim equals the value, or (a list claim such as groups) contains it."""
    asserted = claims.get(claim)
    if isinstance(asserted, list):
        return value in [str(item) for item in asserted]
    return asserted is not None and str(asserted) == value


@transaction.atomic
def sign_in_provision(*, user, provider_id: str, claims: dict) -> None:
    """Grant what a sign-in at ``provider_id`` with these ID token/userinfo ``claims`` allows.

    Nothing by default: only (a) open invitations for the e-mail address, when the identity
    provider says it verified that address, and (b) the organisations' sign-in rules that match a
    claim. A membership a rule made ends when no rule of that organisation matches any more.
    """
    email = str(claims.get("email") or "").strip()
    if email and parse_bool_safely(claims.get("email_verified")):
        invitations = Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        for invitation in invitations:
            if invitation.is_usable:
                invitation_accept(invitation=invitation, user=user)

    rules = SignInRule.objects.filter(provider_id=provider_id).order_by("pk")
    matching: dict[int, SignInRule] = {}
    for rule in rules:
        if _claim_matches(claims, claim=rule.claim, value=rule.value):
            matching.setdefault(rule.organisation_id, rule)
    links = RuleMembership.objects.filter(
        membership__user=user, rule__provider_id=provider_id
    ).select_related("membership", "rule")
    for link in links:
        rule = matching.get(link.rule.organisation_id)
        if rule is None:
            link.membership.delete()  # the identity provider no longer asserts the claim
            sign_in_event_record(
                kind=SignInEvent.Kind.RULE_ENDED,
                user=user,
                method=SignInEvent.Method.IDENTITY_PROVIDER,
                provider_id=provider_id,
                organisation_id=link.rule.organisation_id,
                detail=f"{link.rule.claim} = {link.rule.value}",
            )
        elif link.rule_id != rule.pk:
            link.rule = rule
            link.save(update_fields=["rule"])
    member_of = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    for organisation_id, rule in matching.items():
        if organisation_id in member_of:
            continue
        membership = Membership(user=user, organisation_id=organisation_id, role=rule.role)
        membership.full_clean()
        membership.save()
        RuleMembership.objects.create(membership=membership, rule=rule)
        sign_in_event_record(
            kind=SignInEvent.Kind.RULE_JOINED,
            user=user,
            method=SignInEvent.Method.IDENTITY_PROVIDER,
            provider_id=provider_id,
            organisation_id=organisation_id,
            detail=f"{rule.claim} = {rule.value} → {rule.role}",
        )


def _require_admin(*, user, organisation: Organisation) -> None:
    if not Membership.objects.filter(
        organisation=organisation, user_id=user.pk, role__in=ADMIN_ROLES
    ).exists():
        raise NotAllowedError


@transaction.atomic
def sign_in_rule_create(
    *, organisation: Organisation, user, provider_id: str, claim: str, value: str, role: str
) -> SignInRule:
    """A new sign-in rule of the organisation (its admins); it applies at each member's sign-in."""
    _require_admin(user=user, organisation=organisation)
    rule = SignInRule(
        organisation=organisation,
        provider_id=provider_id,
        claim=claim.strip(),
        value=value.strip(),
        role=role,
        created_by=user,
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def sign_in_rule_delete(*, rule: SignInRule, user) -> None:
    """Delete a rule (its organisation's admins); the people who joined by it leave."""
    _require_admin(user=user, organisation=rule.organisation)
    memberships = Membership.objects.filter(sign_in_rule_link__rule=rule).select_related("user")
    for membership in memberships:
        sign_in_event_record(
            kind=SignInEvent.Kind.RULE_ENDED,
            user=membership.user,
            provider_id=rule.provider_id,
            organisation_id=rule.organisation_id,
            detail=f"{rule.claim} = {rule.value} (rule deleted by {user.get_username()})",
        )
    memberships.delete()
    rule.delete()


@transaction.atomic
def organisation_require_mfa_set(*, organisation: Organisation, user, value: bool) -> bool:
    """Whether every member who signs in with a password needs an authenticator app (its admins).

    Members already signed in come under it at their next request (sso.mfa.enrolment_recheck).
    A change is a line of the sign-in audit trail, naming the admin; returns whether it changed.
    """
    _require_admin(user=user, organisation=organisation)
    changed = (
        Organisation.objects.filter(pk=organisation.pk)
        .exclude(require_mfa=value)
        .update(require_mfa=value)
    )
    organisation.require_mfa = value
    if changed:
        sign_in_event_record(
            kind=SignInEvent.Kind.MFA_REQUIRED_ON if value else SignInEvent.Kind.MFA_REQUIRED_OFF,
            user=user,
            organisation_id=organisation.pk,
        )
    return bool(changed)


def sign_in_event_record(
    *,
    kind: str,
    succeeded: bool = True,
    user=None,
    identifier: str = "",
    method: str = "",
    provider_id: str = "",
    organisation_id: int | None = None,
    detail: str = "",
) -> SignInEvent:
    """Add a line to the sign-in audit trail (sso.models.SignInEvent)."""
    if not identifier and user is not None:
        identifier = user.get_username()
    return SignInEvent.objects.create(
        kind=kind,
        succeeded=succeeded,
        user=user if user is not None and user.pk is not None else None,
        identifier=identifier[:254],
        method=method,
        provider_id=provider_id[:100],
        organisation_id=organisation_id,
        detail=detail[:300],
    )
