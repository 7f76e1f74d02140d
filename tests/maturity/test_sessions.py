"""maturity.sessions: Django's database sessions, read with SQL compiled once."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from maturity.sessions import SessionStore
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_it_is_the_session_engine():
    assert import_module(settings.SESSION_ENGINE).SessionStore is SessionStore


def _stored(**data) -> SessionStore:
    store = SessionStore()
    store.update(data)
    store.create()
    return store


def test_a_stored_session_loads_in_one_query(django_assert_num_queries):
    key = _stored(colour="blauw").session_key
    with django_assert_num_queries(1):
        assert SessionStore(session_key=key).load() == {"colour": "blauw"}


def test_an_expired_session_is_empty_and_loses_its_key():
    key = _stored(colour="blauw").session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(session_key=key)
    assert store.load() == {}
    assert store.session_key is None


@pytest.mark.parametrize(
    "key", ["onbekend-maar-lang-genoeg", "' OR '1'='1' --x", "%" * 40, "\u202eabcdefghij"]
)
def test_an_unknown_or_hostile_key_is_an_empty_session(key, django_assert_max_num_queries):
    _stored(colour="blauw")
    with django_assert_max_num_queries(1):
        store = SessionStore(session_key=key)
        assert store.load() == {}
    assert store.session_key is None


def test_a_signed_in_page_opens_and_an_expired_sign_in_leads_to_the_login(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_after_logout_the_old_cookie_opens_nothing(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    old = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = old
    response = client.get("/")
    assert response.status_code == 302
