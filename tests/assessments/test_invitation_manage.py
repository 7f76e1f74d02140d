"""Organisation admins revoke and resend open invitations; a current member is not invited again."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Membership
from assessments.services import invitation_create
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def english_client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def invitation(people, django_capture_on_commit_callbacks) -> Invitation:
    with django_capture_on_commit_callbacks(execute=True):
        return invitation_create(
            organisation=people.organisation,
            invited_by=people.admin,
            email="nieuw@example.org",
            role=Membership.Role.RESPONDENT,
            accept_url="http://testserver/invitations/TOKEN/",
        )


def accept_url(token: str) -> str:
    return reverse("invitation_accept", args=[token])


def test_the_members_page_offers_revoke_and_resend_per_open_invitation(people, invitation):
    html = english_client(people.admin).get(reverse("members")).content.decode()

    assert reverse("invitation_revoke", args=[invitation.pk]) in html
    assert reverse("invitation_resend", args=[invitation.pk]) in html


def test_a_revoked_invitation_stops_working(people, invitation):
    response = english_client(people.admin).post(reverse("invitation_revoke", args=[invitation.pk]))

    assert response.url == reverse("members")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The invitation to nieuw@example.org was revoked."]
    assert Client().get(accept_url(invitation.token)).status_code == 404
    html = english_client(people.admin).get(reverse("members")).content.decode()
    assert "nieuw@example.org" not in html


def test_a_resent_invitation_has_a_new_link_and_expiry_and_the_old_link_stops(
    people, invitation, django_capture_on_commit_callbacks
):
    invitation.expires_at = timezone.now() - timezone.timedelta(days=1)
    invitation.save()
    old_token = invitation.token
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = english_client(people.admin).post(
            reverse("invitation_resend", args=[invitation.pk])
        )

    assert response.url == reverse("members")
    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert invitation.expires_at > timezone.now() + timezone.timedelta(days=6)
    (message,) = mail.outbox
    assert accept_url(invitation.token) in message.body
    assert Client().get(accept_url(old_token)).status_code == 404
    assert Client().get(accept_url(invitation.token)).status_code == 200


@pytest.mark.parametrize("action", ["invitation_revoke", "invitation_resend"])
def test_only_admins_can_revoke_or_resend(people, invitation, action):
    for user in (people.respondent, people.viewer):
        response = english_client(user).post(reverse(action, args=[invitation.pk]))
        assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("action", ["invitation_revoke", "invitation_resend"])
def test_another_organisations_invitation_is_a_404(people, action):
    other = OrganisationFactory()
    admin = MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user
    foreign = invitation_create(
        organisation=other,
        invited_by=admin,
        email="elders@example.org",
        role="viewer",
        accept_url="http://testserver/invitations/TOKEN/",
    )
    token = foreign.token

    response = english_client(people.admin).post(reverse(action, args=[foreign.pk]))

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.token, foreign.revoked_at) == (token, None)


@pytest.mark.parametrize("action", ["invitation_revoke", "invitation_resend"])
def test_revoke_and_resend_need_post(people, invitation, action):
    response = english_client(people.admin).get(reverse(action, args=[invitation.pk]))

    assert response.status_code == 405


def test_inviting_a_current_member_is_refused_with_a_message(people):
    response = english_client(people.admin).post(
        reverse("members"), {"email": people.respondent.email.upper(), "role": "admin"}
    )

    assert response.status_code == 400
    assert "This person is a member of the organisation already." in response.content.decode()
    assert not Invitation.objects.exists()
