"""The one module that caches: bounded, keyed on the data, emptied by one public function."""

from datetime import UTC, datetime

import pytest

from benchmarks import caching as benchmark_caching
from maturity import caching

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
