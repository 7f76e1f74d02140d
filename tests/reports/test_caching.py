"""The report page's and the PDF's cache keys: every part of what the page shows is in the key."""

from datetime import UTC, date, datetime

import pytest

from maturity import caching
from reports import caching as report_caching

PUBLISHED = datetime(2026, 12, 1, tzinfo=UTC)

PAGE_KEY = {
    "assessment_id": 7,
    "submitted_at": PUBLISHED,
    "history": (1, PUBLISHED),
    "plan": (3, PUBLISHED, 0, None),
    "benchmark": "e:1",
    "profile": ("gemeente", "25k-50k", "Oost-Vlaanderen"),
    "level": "",
    "admin": False,
    "language": "nl-be",
    "can_add_actions": False,
}

# Each part changed on its own: a new submit in the organisation, a changed action, a new
# benchmark revision, another profile, another comparison level, an admin (who gets a link), a
# reader who may add actions (who gets the add links), another language.
CHANGED = {
    "history": (2, datetime(2027, 1, 5, tzinfo=UTC)),
    "plan": (3, PUBLISHED, 1, PUBLISHED),
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


def pdf(render, **changes) -> bytes:
    key = {
        "assessment_id": 7,
        "submitted_at": PUBLISHED,
        "history": (1, PUBLISHED),
        "language": "nl-be",
        "actions": "digest-1",
        "as_of": date(2026, 12, 7),
    }
    return report_caching.submitted_report_pdf(**(key | changes), render=render)


@pytest.mark.parametrize(
    "part, value",
    [
        ("history", (2, PUBLISHED)),
        ("language", "en"),
        ("actions", "digest-2"),
        ("as_of", date(2026, 12, 8)),
    ],
)
def test_each_part_of_the_pdf_key_renders_the_pdf_anew(part, value):
    pdf(lambda: b"first")

    assert pdf(lambda: b"again") == b"first"
    assert pdf(lambda: b"new", **{part: value}) == b"new"
