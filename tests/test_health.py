"""/healthz for load balancers, and the 503 page when the database is down."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.servers import free_port

pytestmark = pytest.mark.django_db

DATABASE_DOWN = mock.patch.object(
    BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("connection refused")
)


def unreachable_redis() -> dict:
    return {
        "default": {
            "BACKEND": "maturity.cache_backend.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"RETRY_AFTER": 0},
        }
    }


def test_healthz_says_ok_for_database_and_cache_without_a_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "broker": "embedded",
        "worker": "embedded",
    }
    assert "no-store" in response["Cache-Control"]


def test_healthz_costs_one_query_and_reads_no_session(client, people):
    client.force_login(people.viewer)
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")

    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["groeipad.example.be"])
def test_a_load_balancer_may_probe_over_http_by_address(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    # Every other page still needs HTTPS and a known host.
    assert client.get("/accounts/login/", HTTP_HOST="groeipad.example.be").status_code == 301
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_healthz_answers_get_and_head_only(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 404


def test_healthz_names_the_cache_when_redis_is_down(client):
    with override_settings(CACHES=unreachable_redis()):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert (response.json()["database"], response.json()["cache"]) == ("ok", "down")


def test_healthz_names_the_database_when_it_is_down(client):
    with DATABASE_DOWN:
        response = client.get("/healthz")

    assert response.status_code == 503
    assert (response.json()["database"], response.json()["cache"]) == ("down", "ok")


def test_a_page_without_its_database_is_a_plain_503_without_traceback(client, people):
    client.force_login(people.viewer)
    client.raise_request_exception = False
    with DATABASE_DOWN:
        response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Groeipad is even niet bereikbaar" in page
    assert "Traceback" not in page
    assert "OperationalError" not in page
