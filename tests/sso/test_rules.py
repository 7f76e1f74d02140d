"""Sign-in rules: the organisation admin's page, its permissions, and the provisioning rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Invitation, Membership
from assessments.services import NotAllowedError
from sso.models import RuleMembership, SignInRule
from sso.services import sign_in_provision, sign_in_rule_create, sign_in_rule_delete
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
RULES_URL = reverse("sso:rules")
PROVIDERS_JSON = (
    '[{"id": "test", "name": "Test IdP", "server_url": "http://127.0.0.1:9/",'
    ' "client_id": "c", "secret": "s"}]'
)


@pytest.fixture(autouse=True)
def _one_provider(settings):
    from maturity.settings.base import parse_oidc_providers

    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": parse_oidc_providers(PROVIDERS_JSON),
        }
    }


def _rule(organisation, value="ORG-A", role=Membership.Role.RESPONDENT, claim="org_code"):
    return SignInRule.objects.create(
        organisation=organisation, provider_id="test", claim=claim, value=value, role=role
    )


# The page: anonymous → login, no organisation → 404, not admin → 403, admin → 200.


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(RULES_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_someone_without_an_organisation_gets_404(client):
    client.force_login(UserFactory())
    assert client.get(RULES_URL).status_code == 404


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_members_who_are_not_admins_get_403(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(RULES_URL).status_code == 403
    assert client.post(RULES_URL, {"provider_id": "test"}).status_code == 403


def test_the_admin_sees_the_rules_and_who_joined_by_them(client, people):
    rule = _rule(people.organisation)
    joined = UserFactory(first_name="Ann", last_name="Claes")
    sign_in_provision(user=joined, provider_id="test", claims={"org_code": "ORG-A"})
    _rule(OrganisationFactory(), value="ORG-OTHER")
    client.force_login(people.admin)
    page = client.get(RULES_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "ORG-A" in page.text
    assert "ORG-OTHER" not in page.text
    assert "Ann Claes (Respondent), by test: org_code = ORG-A" in page.text
    assert rule.memberships.count() == 1


def test_the_rules_page_reads_a_fixed_number_of_queries(client, people):
    client.force_login(people.admin)
    client.get(RULES_URL)
    for number in range(3):
        rule = _rule(people.organisation, value=f"ORG-{number}")
        sign_in_provision(user=UserFactory(), provider_id="test", claims={"org_code": rule.value})
    with CaptureQueriesContext(connection) as few:
        client.get(RULES_URL)
    for number in range(3, 9):
        rule = _rule(people.organisation, value=f"ORG-{number}")
        sign_in_provision(user=UserFactory(), provider_id="test", claims={"org_code": rule.value})
    with CaptureQueriesContext(connection) as many:
        assert client.get(RULES_URL).status_code == 200
    assert len(many) == len(few)


def test_the_admin_adds_a_rule(client, people):
    client.force_login(people.admin)
    response = client.post(
        RULES_URL,
        {"provider_id": "test", "claim": "org_code", "value": " ORG-A ", "role": "viewer"},
    )
    assert response.status_code == 302
    rule = SignInRule.objects.get()
    assert (rule.organisation, rule.value, rule.role) == (people.organisation, "ORG-A", "viewer")
    assert rule.created_by == people.admin


def test_a_rule_cannot_make_admins(client, people):
    client.force_login(people.admin)
    response = client.post(
        RULES_URL, {"provider_id": "test", "claim": "org_code", "value": "X", "role": "admin"}
    )
    assert response.status_code == 400
    assert not SignInRule.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        _rule(people.organisation, role=Membership.Role.ADMIN)


def test_a_rule_names_a_configured_provider(client, people):
    client.force_login(people.admin)
    response = client.post(
        RULES_URL, {"provider_id": "elsewhere", "claim": "org_code", "value": "X", "role": "viewer"}
    )
    assert response.status_code == 400
    assert not SignInRule.objects.exists()


def test_the_same_rule_twice_is_a_form_error(client, people):
    _rule(people.organisation)
    client.force_login(people.admin)
    response = client.post(
        RULES_URL, {"provider_id": "test", "claim": "org_code", "value": "ORG-A", "role": "viewer"}
    )
    assert response.status_code == 400
    assert SignInRule.objects.count() == 1


def test_deleting_a_rule_removes_who_joined_by_it(client, people):
    rule = _rule(people.organisation)
    joined = UserFactory()
    sign_in_provision(user=joined, provider_id="test", claims={"org_code": "ORG-A"})
    client.force_login(people.admin)
    response = client.post(reverse("sso:rule_delete", args=[rule.pk]))
    assert response.status_code == 302
    assert not SignInRule.objects.exists()
    assert not Membership.objects.filter(user=joined).exists()
    assert Membership.objects.filter(user=people.admin).exists()


def test_another_organisations_rule_is_404(client, people):
    rule = _rule(OrganisationFactory())
    client.force_login(people.admin)
    assert client.post(reverse("sso:rule_delete", args=[rule.pk])).status_code == 404
    assert SignInRule.objects.filter(pk=rule.pk).exists()


def test_a_respondent_cannot_delete_a_rule(client, people):
    rule = _rule(people.organisation)
    client.force_login(people.respondent)
    assert client.post(reverse("sso:rule_delete", args=[rule.pk])).status_code == 403
    assert SignInRule.objects.filter(pk=rule.pk).exists()


def test_services_refuse_non_admins(people):
    with pytest.raises(NotAllowedError):
        sign_in_rule_create(
            organisation=people.organisation,
            user=people.respondent,
            provider_id="test",
            claim="org_code",
            value="X",
            role="viewer",
        )
    rule = _rule(people.organisation)
    with pytest.raises(NotAllowedError):
        sign_in_rule_delete(rule=rule, user=people.viewer)
    with pytest.raises(ValidationError):
        sign_in_rule_create(
            organisation=people.organisation,
            user=people.admin,
            provider_id="test",
            claim="org_code",
            value="X",
            role="admin",
        )


# The provisioning rules, without an identity provider.


def test_nothing_is_granted_without_an_invitation_or_a_rule(people):
    user = UserFactory(email="new@example.org")
    sign_in_provision(
        user=user, provider_id="test", claims={"email": "new@example.org", "email_verified": True}
    )
    assert not Membership.objects.filter(user=user).exists()


def test_an_expired_or_revoked_invitation_is_not_used(people):
    from django.utils import timezone

    user = UserFactory(email="new@example.org")
    Invitation.objects.create(
        organisation=people.organisation,
        email="new@example.org",
        role="viewer",
        expires_at=timezone.now(),
    )
    Invitation.objects.create(
        organisation=OrganisationFactory(),
        email="new@example.org",
        role="viewer",
        revoked_at=timezone.now(),
    )
    sign_in_provision(
        user=user, provider_id="test", claims={"email": "new@example.org", "email_verified": True}
    )
    assert not Membership.objects.filter(user=user).exists()


def test_email_verified_as_a_string_counts_only_when_true(people):
    user = UserFactory(email="new@example.org")
    Invitation.objects.create(
        organisation=people.organisation, email="new@example.org", role="viewer"
    )
    claims = {"email": "new@example.org", "email_verified": "false"}
    sign_in_provision(user=user, provider_id="test", claims=claims)
    assert not Membership.objects.filter(user=user).exists()
    sign_in_provision(user=user, provider_id="test", claims={**claims, "email_verified": "true"})
    assert Membership.objects.get(user=user).role == "viewer"


def test_a_rule_of_another_provider_does_not_apply(people):
    _rule(people.organisation)
    user = UserFactory()
    sign_in_provision(user=user, provider_id="elsewhere", claims={"org_code": "ORG-A"})
    assert not Membership.objects.filter(user=user).exists()


def test_a_list_claim_such_as_groups_matches_one_of_its_values(people):
    _rule(people.organisation, claim="groups", value="groeipad-respondents")
    user = UserFactory()
    sign_in_provision(
        user=user, provider_id="test", claims={"groups": ["staff", "groeipad-respondents"]}
    )
    assert Membership.objects.get(user=user).role == "respondent"


def test_a_membership_by_invitation_is_not_ended_by_a_rule(people):
    _rule(people.organisation)
    invited = MembershipFactory(organisation=people.organisation, role="viewer").user
    sign_in_provision(user=invited, provider_id="test", claims={"org_code": "ORG-A"})
    sign_in_provision(user=invited, provider_id="test", claims={})
    assert Membership.objects.get(user=invited).role == "viewer"
    assert not RuleMembership.objects.exists()


def test_a_rule_membership_ends_when_the_claim_changes(people):
    _rule(people.organisation)
    user = UserFactory()
    sign_in_provision(user=user, provider_id="test", claims={"org_code": "ORG-A"})
    assert Membership.objects.filter(user=user, organisation=people.organisation).exists()
    sign_in_provision(user=user, provider_id="test", claims={"org_code": "ORG-B"})
    assert not Membership.objects.filter(user=user).exists()
