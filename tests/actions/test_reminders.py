"""send_action_reminders: owners who are members, due within a week or overdue, once a week."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from actions.models import Action, LanguagePreference
from assessments.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def send_reminders() -> None:
    """The command, as cron runs it; its queued mails are sent when its transactions commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_action_reminders")


def owned(make_action, membership, *, days: int, **fields) -> Action:
    action = make_action(owner_member=membership, owner_name="", **fields)
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() + timedelta(days=days))
    return action


def test_members_hear_about_actions_due_within_a_week_or_overdue(
    make_action, respondent_membership
):
    owned(make_action, respondent_membership, days=7, title="Binnen de week")
    owned(make_action, respondent_membership, days=-3, title="Te laat")
    owned(make_action, respondent_membership, days=8, title="Later")
    owned(make_action, respondent_membership, days=1, title="Klaar", status="done")
    make_action(title="Dienst", owner_name="jeugddienst")

    send_reminders()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [respondent_membership.user.email]
    assert "Binnen de week" in message.body and "Te laat" in message.body
    assert "Later" not in message.body and "Klaar" not in message.body


def test_an_action_is_remembered_at_most_once_a_week(make_action, respondent_membership):
    action = owned(make_action, respondent_membership, days=2)

    send_reminders()
    send_reminders()
    assert len(mail.outbox) == 1

    Action.objects.filter(pk=action.pk).update(reminded_at=timezone.now() - timedelta(days=7))
    send_reminders()
    assert len(mail.outbox) == 2


def test_the_reminder_is_in_the_members_language(make_action, people, respondent_membership):
    admin = Membership.objects.get(user=people.admin)
    owned(make_action, respondent_membership, days=1)
    owned(make_action, admin, days=1)
    LanguagePreference.objects.create(user=people.admin, language="en")

    send_reminders()

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert bodies[people.admin.email].startswith("Hello")
    assert bodies[people.respondent.email].startswith("Dag")  # the site default: Dutch


def test_signing_in_records_the_language(client, people, password):
    client.cookies["django_language"] = "en"
    client.post("/accounts/login/", {"username": people.admin.username, "password": password})

    assert LanguagePreference.objects.get(user=people.admin).language == "en"
