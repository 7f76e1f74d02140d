"""Members: invitations by e-mail, joining, removing, and switching between organisations."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.access import CURRENT_ORGANISATION_SESSION_KEY
from assessments.models import Invitation, Membership
from assessments.services import invitation_create
from tests.factories import TEST_PASSWORD, AssessmentFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {"name": "Sam Peeters", "username": "sam.peeters", "password": TEST_PASSWORD}


def english_client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def invitation(people, django_capture_on_commit_callbacks) -> Invitation:
    # The mail is queued on commit; the test's transaction never commits, so run it here.
    with django_capture_on_commit_callbacks(execute=True):
        return invitation_create(
            organisation=people.organisation,
            invited_by=people.admin,
            email="sam.peeters@example.org",
            role=Membership.Role.VIEWER,
            accept_url="http://testserver/invitations/TOKEN/",
        )


def accept_url(invitation: Invitation) -> str:
    return reverse("invitation_accept", args=[invitation.token])


# --- inviting ---------------------------------------------------------------------------------


def test_admin_invites_by_email(people, django_capture_on_commit_callbacks):
    client = english_client(people.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members"), {"email": "Jo.Janssens@Example.org", "role": "respondent"}
        )

    assert response.url == reverse("members")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("jo.janssens@example.org", "respondent")
    assert (invitation.organisation, invitation.invited_by) == (people.organisation, people.admin)
    [message] = mail.outbox
    assert message.to == ["jo.janssens@example.org"]
    assert f"http://testserver{accept_url(invitation)}" in message.body


def test_invitation_mail_holds_a_one_time_token_link(invitation):
    [message] = mail.outbox

    links = re.findall(r"https?://\S+", message.body)
    assert links == [f"http://testserver/invitations/{invitation.token}/"]
    assert len(invitation.token) >= 32


def test_open_invitation_is_listed_for_admin(client_for, people, invitation):
    response = client_for(people.admin).get(reverse("members"))

    assert invitation.email in response.content.decode()


def test_invalid_email_sends_nothing(people):
    response = english_client(people.admin).post(
        reverse("members"), {"email": "geen-adres", "role": "respondent"}
    )

    assert response.status_code == 400
    assert mail.outbox == []
    assert not Invitation.objects.exists()


# --- accepting --------------------------------------------------------------------------------


def test_invitation_page_shows_organisation(invitation, people):
    response = english_client().get(accept_url(invitation))

    assert response.status_code == 200
    assert people.organisation.name in response.content.decode()


def test_new_user_creates_account_and_joins_with_role(invitation, people):
    client = english_client()

    response = client.post(accept_url(invitation), NEW_ACCOUNT)

    assert response.url == reverse("dashboard")
    user = get_user_model().objects.get(username="sam.peeters")
    assert (user.email, user.first_name, user.last_name) == (
        "sam.peeters@example.org",
        "Sam",
        "Peeters",
    )
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (people.organisation, "viewer")
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (user, True)
    assert client.get(reverse("dashboard")).status_code == 200


def test_new_account_needs_valid_password(invitation):
    response = english_client().post(accept_url(invitation), NEW_ACCOUNT | {"password": "kort"})

    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="sam.peeters").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_new_account_cannot_take_existing_username(invitation, people):
    taken = people.viewer.username.upper()

    response = english_client().post(accept_url(invitation), NEW_ACCOUNT | {"username": taken})

    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_link_works_once(invitation):
    english_client().post(accept_url(invitation), NEW_ACCOUNT)

    second = english_client().post(
        accept_url(invitation), NEW_ACCOUNT | {"username": "iemand.anders"}
    )

    assert second.status_code == 404
    assert "assessments/invitation_invalid.html" in [t.name for t in second.templates]
    assert not get_user_model().objects.filter(username="iemand.anders").exists()


def test_used_invitation_link_page_is_404(invitation):
    english_client().post(accept_url(invitation), NEW_ACCOUNT)

    response = english_client().get(accept_url(invitation))

    assert response.status_code == 404


def test_expired_invitation_is_refused(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    page = english_client().get(accept_url(invitation))
    post = english_client().post(accept_url(invitation), NEW_ACCOUNT)

    assert (page.status_code, post.status_code) == (404, 404)
    assert not get_user_model().objects.filter(username="sam.peeters").exists()


def test_unknown_token_is_404(db):
    response = english_client().get(reverse("invitation_accept", args=["onbekend"]))

    assert response.status_code == 404


def test_logged_in_user_accepting_joins_organisation(invitation, people, stranger):
    client = english_client(stranger)

    response = client.post(accept_url(invitation))

    assert response.url == reverse("dashboard")
    membership = Membership.objects.get(user=stranger, organisation=people.organisation)
    assert membership.role == "viewer"
    assert client.session[CURRENT_ORGANISATION_SESSION_KEY] == people.organisation.pk
    assert Membership.objects.filter(user=stranger).count() == 2


def test_logged_in_user_sees_accept_button_not_account_form(invitation, stranger):
    response = english_client(stranger).get(accept_url(invitation))

    assert response.context["form"] is None


def test_accepting_as_existing_member_keeps_the_role(people):
    # Inviting a member's own address is refused; a link sent to another address can still
    # reach a member who is signed in.
    invitation = invitation_create(
        organisation=people.organisation,
        invited_by=people.admin,
        email="gedeeld-adres@example.org",
        role=Membership.Role.ADMIN,
        accept_url="http://testserver/invitations/TOKEN/",
    )

    english_client(people.respondent).post(accept_url(invitation))

    assert Membership.objects.get(user=people.respondent).role == "respondent"


# --- removing ---------------------------------------------------------------------------------


def test_admin_removes_a_member(people):
    membership = Membership.objects.get(user=people.respondent)

    response = english_client(people.admin).post(reverse("member_remove", args=[membership.pk]))

    assert response.url == reverse("members")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert get_user_model().objects.filter(pk=people.respondent.pk).exists()


def test_removed_member_loses_access(people, submitted):
    membership = Membership.objects.get(user=people.viewer)
    english_client(people.admin).post(reverse("member_remove", args=[membership.pk]))

    response = english_client(people.viewer).get(reverse("reports:report", args=[submitted.pk]))

    assert response.status_code == 404


def test_last_admin_cannot_be_removed(people):
    membership = Membership.objects.get(user=people.admin)

    response = english_client(people.admin).post(reverse("member_remove", args=[membership.pk]))

    assert Membership.objects.filter(pk=membership.pk).exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["An organisation keeps at least one organisation admin."]


def test_one_of_two_admins_can_be_removed(people):
    second = MembershipFactory(organisation=people.organisation, role=Membership.Role.ADMIN)

    english_client(people.admin).post(reverse("member_remove", args=[second.pk]))

    assert not Membership.objects.filter(pk=second.pk).exists()


# --- switching organisation -------------------------------------------------------------------


@pytest.fixture
def second_organisation(people, default_model):
    """Another organisation the respondent also works for, with an assessment of its own."""
    organisation = OrganisationFactory(name="Zottegem")
    MembershipFactory(organisation=organisation, user=people.respondent, role="respondent")
    AssessmentFactory(organisation=organisation, model_version=default_model, title="Zottegem 2026")
    return organisation


def dashboard_titles(client: Client) -> list[str]:
    return [a.title for a in client.get(reverse("dashboard")).context["assessments"]]


def test_dashboard_shows_first_organisation_by_default(people, draft, second_organisation):
    assert dashboard_titles(english_client(people.respondent)) == [draft.title]


def test_switching_organisation_shows_its_assessments(people, draft, second_organisation):
    client = english_client(people.respondent)

    response = client.post(reverse("organisation_switch"), {"organisation": second_organisation.pk})

    assert response.url == reverse("dashboard")
    assert dashboard_titles(client) == ["Zottegem 2026"]


def test_switch_offers_each_organisation_of_the_user(people, second_organisation):
    response = english_client(people.respondent).get(reverse("dashboard"))

    content = response.content.decode()
    assert 'id="organisation-switch"' in content
    assert f'<option value="{second_organisation.pk}"' in content


def test_switching_to_organisation_you_are_not_in_is_404(people, stranger):
    foreign = Membership.objects.get(user=stranger).organisation
    client = english_client(people.respondent)

    response = client.post(reverse("organisation_switch"), {"organisation": foreign.pk})

    assert response.status_code == 404
    assert CURRENT_ORGANISATION_SESSION_KEY not in client.session


@pytest.mark.parametrize("value", ["", "abc"])
def test_switching_with_garbage_is_404(people, value):
    response = english_client(people.respondent).post(
        reverse("organisation_switch"), {"organisation": value}
    )

    assert response.status_code == 404


def test_switching_changes_which_members_an_admin_manages(people, stranger):
    other = Membership.objects.get(user=stranger).organisation
    MembershipFactory(organisation=other, user=people.admin, role="respondent")
    client = english_client(people.admin)

    client.post(reverse("organisation_switch"), {"organisation": other.pk})

    assert client.get(reverse("members")).status_code == 403
