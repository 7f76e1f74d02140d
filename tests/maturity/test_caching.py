"""The one module that caches: bounded, keyed on the data, emptied by one public function."""

from datetime import UTC, datetime

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from benchmarks import caching as benchmark_caching
from maturity import caching
from maturity.cache_backend import ForgivingRedisCache

PUBLISHED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def empty_caches():
    caching.clear_all()
    yield
    caching.clear_all()


class Loads:
    """A loader that counts how often it was asked."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> object:
        self.count += 1
        return object()


def structure(version_id: int, load: Loads, published_at: datetime = PUBLISHED) -> object:
    return caching.published_structure(version_id=version_id, published_at=published_at, load=load)


def test_a_published_structure_is_loaded_once():
    load = Loads()

    first = structure(1, load)

    assert structure(1, load) is first
    assert load.count == 1


def test_a_new_publication_time_is_a_new_entry():
    load = Loads()
    structure(1, load)

    structure(1, load, published_at=datetime(2027, 1, 5, tzinfo=UTC))

    assert load.count == 2


def test_the_structure_cache_is_bounded_and_drops_the_least_recently_used():
    load = Loads()
    for version_id in range(caching.STRUCTURE_CACHE_SIZE):
        structure(version_id, load)
    structure(0, load)  # used again: now the most recent

    structure(caching.STRUCTURE_CACHE_SIZE, load)  # one too many: version 1 makes room
    structure(0, load)
    assert load.count == caching.STRUCTURE_CACHE_SIZE + 1
    structure(1, load)
    assert load.count == caching.STRUCTURE_CACHE_SIZE + 2


def test_clear_all_empties_both_caches():
    load = Loads()
    structure(1, load)
    caching.get_or_render("some-key", lambda: "kept")

    caching.clear_all()

    structure(1, load)
    assert load.count == 2
    assert caching.get_or_render("some-key", lambda: "fresh") == "fresh"


def test_an_empty_value_is_kept_too():
    caching.get_or_render("empty", lambda: "")

    assert caching.get_or_render("empty", lambda: "rendered") == ""


def test_sector_aggregates_follow_the_revision_and_the_version():
    def aggregates(benchmark: str, version_id: int, value: str) -> str:
        return benchmark_caching.sector_aggregates(
            model_slug="groeipad",
            version_id=version_id,
            published_at=PUBLISHED,
            benchmark=benchmark,
            compute=lambda: value,
        )

    aggregates("e:1", 1, "old")

    assert aggregates("e:1", 1, "again") == "old"
    assert aggregates("e:2", 1, "new") == "new"
    assert aggregates("e:2", 2, "newer version") == "newer version"


def test_a_store_of_two_keeps_the_two_used_last():
    store = caching._LeastRecentlyUsed(2)
    load = Loads()
    first = store.get_or_load("a", load)
    store.get_or_load("b", load)
    assert store.get_or_load("a", load) is first  # "a" used again: "b" is now the oldest

    store.get_or_load("c", load)

    assert load.count == 3
    assert store.get_or_load("a", load) is first
    store.get_or_load("b", load)
    assert load.count == 4


# --- the shared counters (password reset, evidence uploads) ------------------------------------


@pytest.mark.django_db
def test_uploads_are_counted_per_user_from_one():
    assert caching.evidence_upload_allowed(user_id=1, per_hour=1)
    assert not caching.evidence_upload_allowed(user_id=1, per_hour=1)

    assert caching.evidence_upload_allowed(user_id=2, per_hour=1)


@pytest.mark.django_db
def test_reset_requests_are_counted_per_client_address():
    for number in range(caching.PASSWORD_RESET_PER_ADDRESS):
        assert caching.password_reset_allowed(
            email=f"lid{number}@example.org", client_address="192.0.2.1"
        )
    assert not caching.password_reset_allowed(email="nog@example.org", client_address="192.0.2.1")

    assert caching.password_reset_allowed(email="ander@example.org", client_address="192.0.2.2")
    assert caching.password_reset_allowed(email="zonder@example.org", client_address=None)


@pytest.mark.django_db
def test_reset_requests_are_counted_per_address_in_lower_case():
    for client in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert caching.password_reset_allowed(email=" Straße@Example.org", client_address=client)
    assert not caching.password_reset_allowed(email="straße@example.org", client_address="x")

    # Another address, which upper case would make the same (ß -> SS).
    assert caching.password_reset_allowed(email="strasse@example.org", client_address="x")


# --- how long Redis keeps what is cached --------------------------------------------------------


class ExpiresBetweenAddAndIncr(ForgivingRedisCache):
    """Redis, where a counter that exists when it is added expires right before it is counted."""

    def add(self, key, *args, **kwargs):
        added = super().add(key, *args, **kwargs)
        if not added:
            self.delete(key)  # the window ends between add and incr
        return added


def redis_caches(location: str, shared_backend: str = "maturity.cache_backend.ForgivingRedisCache"):
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_AFTER": 0}
    default = {"BACKEND": "maturity.cache_backend.ForgivingRedisCache", "LOCATION": location}
    shared = {"BACKEND": shared_backend, "LOCATION": location, "KEY_PREFIX": "shared"}
    return {"default": default | {"OPTIONS": options}, "shared": shared | {"OPTIONS": options}}


@pytest.fixture
def on_redis(own_redis):
    """The default and the shared cache on a Redis of this test's own; its client to look in."""
    with override_settings(CACHES=redis_caches(own_redis.url)):
        yield redis.Redis(port=own_redis.port)
    caches.close_all()


def test_a_rendered_page_is_kept_for_the_report_cache_time(on_redis):
    caching.get_or_render("report:1", lambda: {"body": "<p>kept</p>"})

    ttl = on_redis.ttl(":1:report:1")
    assert caching.REPORT_CACHE_SECONDS - 60 < ttl <= caching.REPORT_CACHE_SECONDS


@pytest.mark.django_db
def test_a_counter_is_kept_for_the_window(on_redis):
    caching.evidence_upload_allowed(user_id=5, per_hour=10)
    caching.evidence_upload_allowed(user_id=5, per_hour=10)

    window = caching.PASSWORD_RESET_WINDOW_SECONDS
    assert on_redis.get("shared:1:evidence-upload:user:5") == b"2"
    assert window - 60 < on_redis.ttl("shared:1:evidence-upload:user:5") <= window


def test_a_counter_that_expires_between_add_and_incr_starts_over_at_one(own_redis):
    shared = "tests.maturity.test_caching.ExpiresBetweenAddAndIncr"
    with override_settings(CACHES=redis_caches(own_redis.url, shared_backend=shared)):
        assert caching.evidence_upload_allowed(user_id=5, per_hour=1)
        assert caching.evidence_upload_allowed(user_id=5, per_hour=1)  # the window ended
    caches.close_all()

    client = redis.Redis(port=own_redis.port)
    window = caching.PASSWORD_RESET_WINDOW_SECONDS
    assert client.keys("*") == [b"shared:1:evidence-upload:user:5"]
    assert client.get("shared:1:evidence-upload:user:5") == b"1"
    assert window - 60 < client.ttl("shared:1:evidence-upload:user:5") <= window


def test_each_health_probe_has_a_short_lived_key_of_its_own(on_redis):
    assert caching.cache_answers()
    assert caching.cache_answers()

    keys = on_redis.keys(":1:health:*")
    assert len(keys) == 2
    assert all(0 < on_redis.ttl(key) <= caching.HEALTH_PROBE_SECONDS for key in keys)
