"""Organisation admins change roles, confirm removals and reopenings; messages name people."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import Membership
from assessments.services import LastAdminError, NotAllowedError, membership_change_role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def role_url(membership: Membership) -> str:
    return reverse("member_role", args=[membership.pk])


def membership_of(people, user) -> Membership:
    return Membership.objects.get(organisation=people.organisation, user=user)


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_admin_changes_a_role_and_the_message_names_the_person(client_for, people):
    people.respondent.first_name, people.respondent.last_name = "Sofie", "Peeters"
    people.respondent.save()
    target = membership_of(people, people.respondent)

    response = client_for(people.admin).post(role_url(target), {"role": "viewer"})

    assert response.url == reverse("members")
    target.refresh_from_db()
    assert target.role == Membership.Role.VIEWER
    assert flash(response) == ["Sofie Peeters is nu lezer."]


@pytest.mark.parametrize("role", ["admin", "viewer", "respondent"])
def test_every_role_can_be_given(client_for, people, role):
    target = membership_of(people, people.viewer)

    client_for(people.admin).post(role_url(target), {"role": role})

    target.refresh_from_db()
    assert target.role == role


def test_the_last_admin_cannot_be_demoted(client_for, people):
    # Through the service: the page shows no role form for one's own row.
    own = membership_of(people, people.admin)
    with pytest.raises(LastAdminError):
        membership_change_role(membership=own, role="viewer", changed_by=people.admin)

    response = client_for(people.admin).post(role_url(own), {"role": "viewer"})

    own.refresh_from_db()
    assert own.role == Membership.Role.ADMIN
    assert response.url == reverse("members")
    assert len(flash(response)) == 1 and "blijft organisatiebeheerder" in flash(response)[0]


def test_an_admin_may_demote_another_admin_while_one_remains(client_for, people):
    other = MembershipFactory(organisation=people.organisation, role=Membership.Role.ADMIN)

    client_for(people.admin).post(role_url(other), {"role": "respondent"})

    other.refresh_from_db()
    assert other.role == Membership.Role.RESPONDENT


def test_a_role_change_in_another_organisation_is_404(client_for, people):
    foreign = MembershipFactory(role=Membership.Role.RESPONDENT)

    response = client_for(people.admin).post(role_url(foreign), {"role": "admin"})

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Membership.Role.RESPONDENT


@pytest.mark.parametrize("who", ["respondent", "viewer"])
def test_a_role_change_by_a_non_admin_is_403(client_for, people, who):
    target = membership_of(people, people.respondent if who == "viewer" else people.viewer)
    before = target.role

    response = client_for(getattr(people, who)).post(role_url(target), {"role": "admin"})

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == before


def test_the_service_refuses_a_non_admin(people):
    target = membership_of(people, people.viewer)
    with pytest.raises(NotAllowedError):
        membership_change_role(membership=target, role="admin", changed_by=people.respondent)


def test_role_changes_need_login_and_post(client, people):
    target = membership_of(people, people.viewer)
    assert client.post(role_url(target), {"role": "admin"}).url.startswith("/accounts/login/")
    client.force_login(people.admin)
    assert client.get(role_url(target)).status_code == 405


def test_an_unknown_role_is_a_bad_request(client_for, people):
    target = membership_of(people, people.viewer)

    response = client_for(people.admin).post(role_url(target), {"role": "superuser"})

    assert response.status_code == 400
    target.refresh_from_db()
    assert target.role == Membership.Role.VIEWER


def test_removing_names_the_person_by_full_name(client_for, people):
    user = UserFactory(first_name="Sofie", last_name="Peeters")
    member = MembershipFactory(organisation=people.organisation, user=user)

    response = client_for(people.admin).post(reverse("member_remove", args=[member.pk]))

    assert flash(response) == ["Sofie Peeters is geen lid meer."]


def test_the_members_page_asks_before_removing_and_offers_roles(client_for, people):
    page = client_for(people.admin).get(reverse("members")).content.decode()

    assert page.count('<details class="confirm-remove">') == 2  # not for oneself
    assert "Ja, verwijder" in page
    assert page.count(reverse("member_role", args=[membership_of(people, people.viewer).pk])) == 1


def test_the_report_asks_before_reopening(client_for, people, submitted):
    page = client_for(people.admin).get(reverse("reports:report", args=[submitted.pk]))

    text = page.content.decode()
    assert '<details class="confirm-reopen">' in text
    assert "Ja, heropen de meting" in text
