"""'Wachtwoord vergeten': Django's reset views in Dutch, throttled, the same answer for anyone."""

import os
import re
import subprocess
import sys

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from maturity import caching
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
DONE = reverse("password_reset_done")


@pytest.fixture(autouse=True)
def empty_cache():
    caching.clear_all()
    # Without Redis the reset counters are rows of a table that a transactional test elsewhere
    # commits and its flush leaves (it empties the models' tables only).
    caches["shared"].clear()
    yield
    caching.clear_all()


def request_reset(client, email: str):
    """POST the reset form; the mail it queues is sent when the request's work commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET, {"email": email})


@pytest.fixture
def member():
    return UserFactory(
        username="sofie", first_name="Sofie", last_name="Peeters", email="sofie@gemeente.example"
    )


def test_the_login_page_links_to_the_reset(client):
    assert RESET in client.get(reverse("login")).content.decode()


def test_the_reset_form_is_dutch(client):
    page = client.get(RESET).content.decode()

    assert "Wachtwoord vergeten?" in page
    assert "Link versturen" in page


def test_a_known_address_gets_a_dutch_mail_with_a_working_link(client, member):
    response = request_reset(client, "Sofie@gemeente.example")

    assert response.url == DONE
    (message,) = mail.outbox
    assert message.to == ["sofie@gemeente.example"]
    assert message.subject == "Kies een nieuw wachtwoord voor Groeipad"
    assert "Dag Sofie Peeters" in message.body and "sofie" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "een-heel-nieuw-wachtwoord-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.url == reverse("password_reset_complete")
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, member):
    known = request_reset(client, "sofie@gemeente.example")
    unknown = request_reset(client, "niemand@gemeente.example")

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url) == (302, DONE)
    assert len(mail.outbox) == 1
    page = client.get(DONE).content.decode()
    assert "Als er een account met dat e-mailadres bestaat" in page


def test_requests_for_one_address_are_throttled_with_the_same_answer(client, member):
    answers = [request_reset(client, member.email) for _ in range(5)]

    assert {(a.status_code, a.url) for a in answers} == {(302, DONE)}
    assert len(mail.outbox) == caching.PASSWORD_RESET_PER_EMAIL


def test_requests_from_one_client_are_throttled(client):
    users = [UserFactory() for _ in range(caching.PASSWORD_RESET_PER_ADDRESS + 2)]

    for user in users:
        request_reset(client, user.email)

    assert len(mail.outbox) == caching.PASSWORD_RESET_PER_ADDRESS


def test_a_made_up_link_is_refused_in_dutch(client, member):
    page = client.get(reverse("password_reset_confirm", args=["MQ", "abc-123"]))

    assert page.status_code == 200
    assert "Deze link werkt niet (meer)" in page.content.decode()


def test_a_short_password_is_refused_in_dutch(client, member):
    request_reset(client, member.email)
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"})

    errors = response.context["form"].errors["new_password2"]
    assert "Dit wachtwoord is te kort: gebruik minstens 10 tekens." in errors
    assert not any("This password" in error for error in errors)
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def database_url_of_this_test() -> str:
    """The test database as a DATABASE_URL, for another process to open."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    return (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{settings_dict['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_the_reset_limit_holds_across_processes():
    # This process uses up the address's requests; another process (another gunicorn worker)
    # must see them: the counters live in the shared cache, not in a process's memory.
    for _ in range(caching.PASSWORD_RESET_PER_EMAIL):
        assert caching.password_reset_allowed(email="twee@processen.example", client_address="x")
    other_process = (
        "import django; django.setup(); from maturity import caching; "
        "print(caching.password_reset_allowed(email='twee@processen.example', client_address='y'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maturity.settings.test",
        "DATABASE_URL": database_url_of_this_test(),
    }

    result = subprocess.run(
        [sys.executable, "-c", other_process], env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"
    caches["shared"].clear()  # a flush after this test does not empty the cache's table
