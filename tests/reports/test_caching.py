"""The report page's cache key: every part of what the page shows is in the key.

The PDF is stored under its content signature instead (tests/tasks).
"""

from datetime import UTC, datetime

import pytest

from maturity import caching
from reports import caching as report_caching

PUBLISHED = datetime(2026, 12, 1, tzinfo=UTC)

PAGE_KEY = {
    "assessment_id": 7,
    "submitted_at": PUBLISHED,
    "revision": ("e0", 1),
    "benchmark": "e:1",
    "profile": ("gemeente", "25k-50k", "Oost-Vlaanderen"),
    "level": "",
    "admin": False,
    "language": "nl-be",
    "can_add_actions": False,
}

# Each part changed on its own: another assessment, the same one submitted again (after a
# reopen), a new organisation revision (a submit or changed action in the organisation, a
# practice its groups share), a new benchmark revision, another profile, another comparison
# level, an admin (who gets a link), a reader who may add actions (who gets the add links),
# another language.
CHANGED = {
    "assessment_id": 8,
    "submitted_at": datetime(2026, 12, 2, tzinfo=UTC),
    "revision": ("e0", 2),
    "benchmark": "e:2",
    "profile": ("gemeente", "50k-100k", "Oost-Vlaanderen"),
    "level": "kind",
    "admin": True,
    "language": "en",
    "can_add_actions": True,
}


@pytest.fixture(autouse=True)
def empty_caches():
    caching.clear_all()
    yield
    caching.clear_all()


def page(render, **changes) -> dict[str, str]:
    return report_caching.submitted_report(**(PAGE_KEY | changes), render=render)


def test_the_same_page_is_rendered_once():
    page(lambda: {"body": "first"})

    assert page(lambda: {"body": "again"}) == {"body": "first"}


@pytest.mark.parametrize("part", sorted(CHANGED))
def test_each_part_of_the_page_key_renders_the_page_anew(part):
    page(lambda: {"body": "first"})

    assert page(lambda: {"body": "new"}, **{part: CHANGED[part]}) == {"body": "new"}


def test_a_reader_who_may_not_add_actions_is_the_default():
    """The page's callers may leave `can_add_actions` out: that is the reader without the links."""
    key = {name: value for name, value in PAGE_KEY.items() if name != "can_add_actions"}
    report_caching.submitted_report(**key, render=lambda: {"body": "without links"})

    assert page(lambda: {"body": "again"}, can_add_actions=False) == {"body": "without links"}
    assert page(lambda: {"body": "with links"}, can_add_actions=True) == {"body": "with links"}
