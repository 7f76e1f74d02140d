"""The settings a deployment sets: the shared cache, the log format, the SMTP relay."""

import json

from tests.test_settings import PRODUCTION_ENV, run_python

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], "
    "'location': s.CACHES['default'].get('LOCATION'), 'log': s.LOG_FORMAT, "
    "'email': [s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS]}))"
)


def settings_with(**env: str) -> dict:
    result = run_python(SHOW, {**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_url_each_process_keeps_its_own_cache():
    shown = settings_with(REDIS_URL="")

    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["log"] == "json"


def test_redis_url_makes_redis_the_shared_cache():
    shown = settings_with(REDIS_URL="redis://10.0.0.5:6379/3")

    assert shown["cache"] == "maturity.cache_backend.ForgivingRedisCache"
    assert shown["location"] == "redis://10.0.0.5:6379/3"


def test_the_smtp_relay_comes_from_the_environment():
    shown = settings_with(
        DJANGO_EMAIL_HOST="smtp.example.be",
        DJANGO_EMAIL_PORT="587",
        DJANGO_EMAIL_HOST_USER="groeipad",
        DJANGO_EMAIL_USE_TLS="true",
    )

    assert shown["email"] == ["smtp.example.be", 587, "groeipad", True]


def test_each_test_worker_keeps_its_cache_in_a_redis_database_of_its_own():
    """`make test` runs pytest-xdist workers on one Redis: a FLUSHDB must not empty another's."""
    show = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.REDIS_URL, s.CACHES['default']['LOCATION'], "
        "s.CACHES['shared']['LOCATION'], s.CACHES['shared']['KEY_PREFIX']]))"
    )
    test_settings = {"DJANGO_SETTINGS_MODULE": "maturity.settings.test"}
    shown = {
        worker: json.loads(
            run_python(
                show,
                {**test_settings, "REDIS_URL": "redis://127.0.0.1:6379/2", **worker_env},
            ).stdout
        )
        for worker, worker_env in {
            "gw0": {"PYTEST_XDIST_WORKER": "gw0"},
            "gw1": {"PYTEST_XDIST_WORKER": "gw1"},
            "none": {"PYTEST_XDIST_WORKER": ""},
        }.items()
    }

    assert shown["gw0"] == ["redis://127.0.0.1:6379/3"] * 3 + ["shared"]
    assert shown["gw1"] == ["redis://127.0.0.1:6379/4"] * 3 + ["shared"]
    assert shown["none"][:3] == ["redis://127.0.0.1:6379/2"] * 3
