"""The one module that caches: bounded, keyed on the data, emptied by one public function."""

from datetime import UTC, datetime

import pytest

from benchmarks import caching as benchmark_caching
from maturity import caching
from reports import caching as report_caching

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


def report(*, language: str = "nl-be", history=(1, PUBLISHED), render=None) -> dict[str, str]:
    return report_caching.submitted_report(
        assessment_id=7,
        submitted_at=PUBLISHED,
        history=history,
        language=language,
        render=render or (lambda: {"body": language}),
    )


def test_a_rendered_report_is_kept_per_language():
    report(language="en")

    assert report(language="en", render=lambda: {"body": "again"}) == {"body": "en"}
    assert report(language="nl-be") == {"body": "nl-be"}


def test_a_new_submission_in_the_organisation_renders_the_report_anew():
    report()

    assert report(
        history=(2, datetime(2027, 1, 5, tzinfo=UTC)), render=lambda: {"body": "new"}
    ) == {"body": "new"}


def test_clear_all_empties_both_caches():
    load = Loads()
    structure(1, load)
    report()

    caching.clear_all()

    structure(1, load)
    assert load.count == 2
    assert report(render=lambda: {"body": "fresh"}) == {"body": "fresh"}


def plan_section(plan: tuple, render) -> str:
    return report_caching.report_plan_section(
        assessment_id=7,
        submitted_at=PUBLISHED,
        history=(1, PUBLISHED),
        plan=plan,
        language="en",
        render=render,
    )


def test_a_changed_plan_renders_the_plan_section_anew():
    plan_section((3, PUBLISHED, 0, None), lambda: "first")

    assert plan_section((3, PUBLISHED, 0, None), lambda: "again") == "first"
    assert plan_section((3, PUBLISHED, 1, PUBLISHED), lambda: "done") == "done"


def comparison_section(*, benchmark: str, level: str = "", render) -> str:
    return report_caching.report_comparison_section(
        assessment_id=7,
        submitted_at=PUBLISHED,
        profile=("gemeente", "25k-50k", "Oost-Vlaanderen"),
        level=level,
        admin=False,
        benchmark=benchmark,
        language="en",
        render=render,
    )


def test_a_new_benchmark_revision_renders_the_comparison_anew():
    comparison_section(benchmark="e:1", render=lambda: "five")

    assert comparison_section(benchmark="e:1", render=lambda: "again") == "five"
    assert comparison_section(benchmark="e:2", render=lambda: "four") == "four"
    assert comparison_section(benchmark="e:2", level="kind", render=lambda: "wide") == "wide"


def test_an_empty_section_is_kept_too():
    comparison_section(benchmark="e:1", render=lambda: "")

    assert comparison_section(benchmark="e:1", render=lambda: "rendered") == ""


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
