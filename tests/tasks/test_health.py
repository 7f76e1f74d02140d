"""/healthz names the broker and the workers; readiness fails without a broker, liveness not."""

import pytest
from django.core.cache import cache

from maturity.health import WORKER_SEEN_KEY
from tests.servers import free_port

pytestmark = pytest.mark.django_db


def test_readiness_fails_and_liveness_holds_while_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"

    ready = client.get("/healthz")
    live = client.get("/healthz/live")

    assert ready.status_code == 503
    assert ready.json() == {"database": "ok", "cache": "ok", "broker": "down", "worker": "none"}
    assert live.status_code == 200 and live.json() == {"live": "ok"}


def test_healthz_reports_a_broker_without_a_worker(client, settings, own_redis):
    settings.CELERY_BROKER_URL = own_redis.url
    cache.delete(WORKER_SEEN_KEY)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok" and response.json()["worker"] == "none"


def test_healthz_reports_a_worker_that_answers_its_ping(client, settings, own_redis, worker):
    settings.CELERY_BROKER_URL = own_redis.url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok"}
