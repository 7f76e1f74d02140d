"""The shared cache: Redis when REDIS_URL is set, and pages still served when Redis is down."""

import logging

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from maturity import caching
from maturity.cache_backend import ForgivingRedisCache
from tests.servers import free_port


def redis_cache(location: str, retry_after: float = 5) -> ForgivingRedisCache:
    return ForgivingRedisCache(
        location,
        {
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "RETRY_AFTER": retry_after,
            }
        },
    )


def redis_settings(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "maturity.cache_backend.ForgivingRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_AFTER": 0},
        }
    }


def test_two_clients_of_one_redis_share_every_entry(own_redis):
    writer, reader = redis_cache(own_redis.url), redis_cache(own_redis.url)

    writer.set("report:1", {"body": "<p>shared</p>"}, 60)

    assert reader.get("report:1") == {"body": "<p>shared</p>"}


def test_a_stopped_redis_reads_as_a_miss_and_drops_writes_with_a_warning(own_redis, caplog):
    cache = redis_cache(own_redis.url)
    cache.set("key", "value", 60)
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="groeipad.cache"):
        assert cache.get("key", "missing") == "missing"
        cache.set("key", "other", 60)
        assert cache.get_many(["key"]) == {}
        assert cache.add("key", "value") is False
        cache.delete("key")
        cache.clear()

    warnings = [r for r in caplog.records if r.name == "groeipad.cache"]
    assert warnings and "ConnectionError in get" in warnings[0].getMessage()


def test_after_a_failure_redis_is_left_alone_for_a_while(caplog):
    cache = redis_cache(f"redis://127.0.0.1:{free_port()}/0", retry_after=60)

    with caplog.at_level(logging.WARNING, logger="groeipad.cache"):
        for _ in range(5):
            assert cache.get("key") is None

    assert len([r for r in caplog.records if r.name == "groeipad.cache"]) == 1


def test_once_the_rest_is_over_redis_is_tried_again(caplog):
    cache = redis_cache(f"redis://127.0.0.1:{free_port()}/0", retry_after=0)

    with caplog.at_level(logging.WARNING, logger="groeipad.cache"):
        for _ in range(3):
            assert cache.get("key") is None

    assert len([r for r in caplog.records if r.name == "groeipad.cache"]) == 3


@pytest.mark.django_db
def test_reports_are_served_from_redis_and_still_served_when_it_stops(
    own_redis, client_for, people, submitted, caplog
):
    url = reverse("reports:report", args=[submitted.pk])
    with override_settings(CACHES=redis_settings(own_redis.url)):
        caching.clear_all()
        client = client_for(people.viewer)
        assert client.get(url).status_code == 200
        assert any(key.startswith(b":1:report:") for key in _redis_keys(own_redis))

        own_redis.stop()
        with caplog.at_level(logging.WARNING, logger="groeipad.cache"):
            response = client.get(url)

        assert response.status_code == 200
        assert "Meting 2025" in response.content.decode()
        assert any(r.name == "groeipad.cache" for r in caplog.records)
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {
            "database": "ok",
            "cache": "down",
            "broker": "embedded",  # no broker in these settings: tasks run in the web process
            "worker": "embedded",
        }
    caches.close_all()


def _redis_keys(server) -> list[bytes]:
    return redis.Redis(port=server.port).keys("*")
