"""The weekly digest for organisation admins: what it lists, once a week, and the opt-out."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.digest import admin_digests_send
from actions.models import Action, MailPreference
from actions.tasks import admin_digests
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://groeipad.example.be"


def send_digests(**kwargs) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return admin_digests_send(**kwargs)


def overdue(make_action, title: str) -> Action:
    action = make_action(title=title)
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    return action


def test_an_admin_hears_about_open_and_overdue_actions_and_drafts(people, make_action, draft):
    make_action(title="Later te doen")
    overdue(make_action, "Te laat ingepland")

    assert send_digests() == 1

    [message] = mail.outbox
    assert message.to == [people.admin.email]
    assert "Gemeente Voorbeeld" in message.body
    assert "2 open acties" in message.body and "1 te laat" in message.body
    assert "Te laat ingepland" in message.body and "Later te doen" not in message.body
    assert draft.title in message.body
    assert "https://groeipad.example.be/actions/mail-settings/" in message.body


def test_only_organisation_admins_get_it(people, make_action):
    make_action()

    send_digests()

    assert [message.to for message in mail.outbox] == [[people.admin.email]]


def test_at_most_one_digest_per_admin_per_week(people, make_action):
    make_action()

    send_digests()
    send_digests()

    assert len(mail.outbox) == 1


def test_an_admin_who_opted_out_gets_none(people, make_action):
    make_action()
    MailPreference.objects.create(user=people.admin, weekly_digest=False)

    assert send_digests() == 0
    assert mail.outbox == []


def test_nothing_to_report_sends_nothing(people):
    assert send_digests() == 0


def test_another_organisation_is_not_in_my_digest(people, make_action):
    other = OrganisationFactory(name="Gemeente Elders")
    MembershipFactory(organisation=other, role="admin")
    make_action(title="Eigen actie")

    send_digests()

    mine = next(m for m in mail.outbox if m.to == [people.admin.email])
    assert "Gemeente Elders" not in mine.body


def test_the_beat_task_queues_the_digests(people, make_action):
    make_action()

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert admin_digests.delay().get() == 1

    assert len(mail.outbox) == 1


# --- the settings page -----------------------------------------------------------------------

SETTINGS_URL = reverse("actions:mail_settings")


def test_mail_settings_need_a_login(client):
    response = client.get(SETTINGS_URL)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_user_switches_the_digest_off_and_on(client, people):
    client.force_login(people.admin)
    assert 'name="weekly_digest"' in client.get(SETTINGS_URL).content.decode()

    response = client.post(SETTINGS_URL, {})
    assert response.status_code == 302
    assert MailPreference.objects.get(user=people.admin).weekly_digest is False

    client.post(SETTINGS_URL, {"weekly_digest": "on"})
    assert MailPreference.objects.get(user=people.admin).weekly_digest is True


def test_the_settings_page_is_one_users_own(client, people):
    client.force_login(people.viewer)
    client.post(SETTINGS_URL, {})

    assert not MailPreference.objects.filter(user=people.admin).exists()


def test_the_settings_page_queries_stay_few(client, people, django_assert_max_num_queries):
    client.force_login(people.admin)

    # Session, user, memberships, the preference, and what every page's header reads.
    with django_assert_max_num_queries(7):
        assert client.get(SETTINGS_URL).status_code == 200
