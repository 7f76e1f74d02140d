"""Action dates read as the reader's language writes them: no "27 Nov 2026" in Dutch."""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from actions.services import action_update
from tests.actions.conftest import action_input

pytestmark = pytest.mark.django_db


def page(user, url: str, language: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [("nl-be", "27 november 2027", "Nov"), ("en", "27 November 2027", "Nov. 27")],
)
def test_the_plan_writes_due_dates_in_the_readers_language(
    people, make_action, language, shown, not_shown
):
    make_action(due_date=date(2027, 11, 27))

    content = page(people.viewer, reverse("actions:plan"), language)

    assert shown in content
    assert not_shown not in content


def test_the_history_of_a_due_date_reads_in_dutch(people, make_action):
    action = make_action(due_date=date(2027, 11, 27))
    action_update(
        action=action, user=people.respondent, data=action_input(due_date=date(2027, 12, 3))
    )

    content = page(people.viewer, reverse("actions:detail", args=[action.pk]), "nl-be")

    assert "<q>27 november 2027</q> → <q>3 december 2027</q>" in content
    assert "2027-11-27" not in content
