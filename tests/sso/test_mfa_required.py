"""An organisation that requires a second factor of all its members; rights gained mid-session.

Issue 32: an organisation admin can require an authenticator app of every member who signs in
with a password; someone who comes under the rule during a session (made an admin, accepts an
admin invitation, their organisation starts requiring it) is sent to the enrolment at the next
request, not only at the next sign-in.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import Membership, Organisation
from assessments.services import invitation_create, membership_change_role
from sso.mfa import ENROLMENT_SESSION_KEY, enrolment_mark, second_factor_required
from sso.models import SignInEvent
from sso.services import organisation_require_mfa_set
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.sso.test_mfa import AUTHENTICATE, ENROL, SECRET, code_now, password_login, with_app

pytestmark = pytest.mark.django_db
SWITCH_URL = reverse("sso:require_mfa")
RULES_URL = reverse("sso:rules")


@pytest.fixture(autouse=True)
def _used_codes_forgotten():
    """allauth remembers used TOTP codes in the cache: a code must not leak into the next test."""
    cache.clear()
    yield
    cache.clear()


def _require(organisation, admin) -> None:
    organisation_require_mfa_set(organisation=organisation, user=admin, value=True)


# --- The switch: who may use it, what it changes, the audit trail --------------------------------


def test_an_admin_switches_it_on_and_off_and_the_trail_names_both(client, people):
    client.force_login(people.admin)
    page = client.get(RULES_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert "Require an authenticator app of every member" in page.text
    assert 'name="require_mfa"' in page.text
    assert "checked" not in page.text.split('name="require_mfa"')[1].split(">")[0]

    response = client.post(SWITCH_URL, {"require_mfa": "on"})
    assert response.status_code == 302
    assert response["Location"] == RULES_URL
    assert Organisation.objects.get(pk=people.organisation.pk).require_mfa
    page = client.get(RULES_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert "checked" in page.text.split('name="require_mfa"')[1].split(">")[0]

    client.post(SWITCH_URL, {})
    assert not Organisation.objects.get(pk=people.organisation.pk).require_mfa
    events = SignInEvent.objects.filter(organisation=people.organisation).order_by("pk")
    assert [(e.kind, e.user) for e in events] == [
        (SignInEvent.Kind.MFA_REQUIRED_ON, people.admin),
        (SignInEvent.Kind.MFA_REQUIRED_OFF, people.admin),
    ]
    trail = client.get(reverse("sso:sign_ins"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Second factor required of all members" in trail.text
    assert "Second factor no longer required of all members" in trail.text


def test_saving_the_same_choice_again_adds_no_line_to_the_trail(client, people):
    client.force_login(people.admin)
    client.post(SWITCH_URL, {"require_mfa": "on"})
    client.post(SWITCH_URL, {"require_mfa": "on"})
    assert SignInEvent.objects.filter(organisation=people.organisation).count() == 1


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_members_who_are_not_admins_get_403(client, people, role):
    client.force_login(getattr(people, role))
    assert client.post(SWITCH_URL, {"require_mfa": "on"}).status_code == 403
    assert not Organisation.objects.get(pk=people.organisation.pk).require_mfa


def test_someone_without_an_organisation_gets_404(client):
    client.force_login(UserFactory())
    assert client.post(SWITCH_URL, {"require_mfa": "on"}).status_code == 404


def test_anonymous_goes_to_the_login_page(client):
    response = client.post(SWITCH_URL, {"require_mfa": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Organisation.objects.filter(require_mfa=True).exists()


def test_an_admin_switches_only_their_own_organisation(client, people):
    other = OrganisationFactory()
    client.force_login(people.admin)
    client.post(SWITCH_URL, {"require_mfa": "on", "organisation": other.pk})
    assert not Organisation.objects.get(pk=other.pk).require_mfa
    assert Organisation.objects.get(pk=people.organisation.pk).require_mfa


def test_get_is_not_allowed(client, people):
    client.force_login(people.admin)
    assert client.get(SWITCH_URL).status_code == 405


# --- The rule: members of a requiring organisation ---------------------------------------------


def test_a_member_without_an_app_is_sent_to_the_enrolment(client, people, password):
    _require(people.organisation, people.admin)
    password_login(client, people.respondent, password)
    assert client.session["_auth_user_id"] == str(people.respondent.pk)
    assert client.get("/")["Location"] == ENROL


def test_a_member_with_an_app_signs_in_with_a_code(client, people, password):
    _require(people.organisation, people.admin)
    with_app(people.viewer)
    response = password_login(client, people.viewer, password)
    assert response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session
    client.post(AUTHENTICATE, {"code": code_now(SECRET)})
    assert client.session["_auth_user_id"] == str(people.viewer.pk)
    assert client.get("/").status_code == 200


def test_a_member_of_a_requiring_organisation_cannot_remove_the_app(client, people, password):
    _require(people.organisation, people.admin)
    with_app(people.respondent)
    password_login(client, people.respondent, password)
    client.post(AUTHENTICATE, {"code": code_now(SECRET)})
    client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=people.respondent, type="totp").exists()


def test_without_the_setting_a_member_is_not_asked(client, people, password):
    password_login(client, people.respondent, password)
    assert client.get("/").status_code == 200


def test_any_requiring_organisation_of_a_member_applies(people):
    other = MembershipFactory(role=Membership.Role.ADMIN)
    MembershipFactory(user=people.respondent, organisation=other.organisation)
    assert not second_factor_required(user=people.respondent)
    _require(other.organisation, other.user)
    assert second_factor_required(user=people.respondent)
    memberships = list(
        Membership.objects.filter(user=people.respondent).select_related("organisation")
    )
    assert second_factor_required(user=people.respondent, memberships=memberships)


def _session_request():
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


@pytest.mark.parametrize(
    ("amr", "owes"), [(["pwd", "mfa"], False), (["otp"], False), (["pwd"], True), (None, True)]
)
def test_a_members_sign_in_at_an_identity_provider_follows_the_amr_rule(people, amr, owes):
    _require(people.organisation, people.admin)
    request = _session_request()
    enrolment_mark(
        request=request, user=people.respondent, claims={} if amr is None else {"amr": amr}
    )
    assert bool(request.session.get(ENROLMENT_SESSION_KEY)) is owes


# --- Coming under the rule during a session ------------------------------------------------------


def test_a_member_made_admin_is_sent_to_the_enrolment_at_the_next_request(client, people, password):
    password_login(client, people.respondent, password)
    assert client.get("/").status_code == 200
    membership = Membership.objects.get(user=people.respondent)
    membership_change_role(
        membership=membership, role=Membership.Role.ADMIN, changed_by=people.admin
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == ENROL
    assert client.get(reverse("members"))["Location"] == ENROL


def test_a_member_whose_organisation_starts_requiring_it_enrols_at_the_next_request(
    client, people, password
):
    password_login(client, people.viewer, password)
    assert client.get("/").status_code == 200
    _require(people.organisation, people.admin)
    assert client.get("/")["Location"] == ENROL


def test_made_staff_during_the_session_is_sent_to_the_enrolment(client, people, password):
    password_login(client, people.viewer, password)
    assert client.get("/").status_code == 200
    people.viewer.is_staff = True
    people.viewer.save(update_fields=["is_staff"])
    assert client.get("/")["Location"] == ENROL


def test_someone_made_admin_who_has_an_app_goes_on(client, people, password):
    with_app(people.respondent)
    password_login(client, people.respondent, password)
    client.post(AUTHENTICATE, {"code": code_now(SECRET)})
    membership = Membership.objects.get(user=people.respondent)
    membership_change_role(
        membership=membership, role=Membership.Role.ADMIN, changed_by=people.admin
    )
    assert client.get("/").status_code == 200


def _admin_invitation(people, email):
    return invitation_create(
        organisation=people.organisation,
        invited_by=people.admin,
        email=email,
        role=Membership.Role.ADMIN,
        accept_url="http://testserver/invitations/TOKEN/",
    )


def test_accepting_an_admin_invitation_while_signed_in_leads_to_the_enrolment(
    client, people, password
):
    elsewhere = MembershipFactory(role=Membership.Role.RESPONDENT).user
    password_login(client, elsewhere, password)
    assert client.get("/").status_code == 200
    invitation = _admin_invitation(people, elsewhere.email or "elders@example.org")
    response = client.post(reverse("invitation_accept", args=[invitation.token]))
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard"))["Location"] == ENROL


def test_a_new_account_from_an_admin_invitation_enrols_first(client, people, password):
    invitation = _admin_invitation(people, "nieuw.admin@example.org")
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"username": "nieuw.admin", "name": "Nieuw Admin", "password": password},
    )
    assert response.status_code == 302, response.content[:500]
    assert client.get(reverse("dashboard"))["Location"] == ENROL
