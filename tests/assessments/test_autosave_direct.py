"""The one-statement autosave (`answer_save_one_direct`, PostgreSQL): it writes exactly what the
checked path would write and nothing where that path refuses or reports a conflict.

Every refusal returns None with nothing written, so the view falls through to the checked path,
whose answers (404, 403, 409, 400, conflict) tests/assessments/test_autosave.py tests on both
databases. On SQLite the function always returns None: these tests run in CI's PostgreSQL pass.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from assessments.models import Answer, AnswerChange, Assessment
from assessments.services import answer_save_one, answer_save_one_direct, assessment_submit
from tests.factories import MembershipFactory
from tests.perspectives import (
    add_perspective,
    answer,
    answer_every,
    contributor_for,
    criteria,
    first_perspective,
    small_draft,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement autosave is PostgreSQL's"
)
GRACE = 0.3


def direct(user, assessment, *, perspective=None, key="crit-001", value="3", revision=1, **more):
    return answer_save_one_direct(
        user=user,
        assessment_pk=assessment.pk,
        perspective_pk=perspective.pk if perspective else None,
        criterion_key=key,
        value=value,
        comment=more.get("comment", ""),
        loaded_revision=revision,
        confidence=more.get("confidence"),
    )


def written() -> tuple:
    return (
        tuple(Answer.objects.order_by("pk").values_list("value", "comment", "revision")),
        AnswerChange.objects.count(),
    )


@pytest.fixture
def draft_with_two(people):
    """A 12-criterion draft with Communicatiedienst (first) and Directie, crit-001 = 1 in both."""
    assessment = small_draft(people)
    directie = add_perspective(assessment, people.respondent, "Directie")
    answer(assessment, people.respondent, first_perspective(assessment), {"crit-001": "1"})
    answer(assessment, people.respondent, directie, {"crit-001": "1"})
    return assessment, first_perspective(assessment), directie


@pytest.mark.django_db
def test_a_respondent_s_change_is_written_with_its_audit_row(people, draft_with_two):
    assessment, first, _directie = draft_with_two
    Answer.objects.filter(perspective=first).update(to_confirm=True)
    changes = AnswerChange.objects.count()

    outcome = direct(people.respondent, assessment, value="3", comment="Sinds maart")

    assert outcome.revision == 2 and outcome.saved_at is not None
    stored = Answer.objects.get(perspective=first, criterion__key="crit-001")
    assert (stored.value, stored.comment, stored.revision, stored.to_confirm) == (
        "3",
        "Sinds maart",
        2,
        False,
    )
    assert (stored.updated_by, stored.updated_at) == (people.respondent, outcome.saved_at)
    change = AnswerChange.objects.latest("pk")
    assert AnswerChange.objects.count() == changes + 1
    assert (change.old_value, change.new_value, change.old_comment, change.new_comment) == (
        "1",
        "3",
        "",
        "Sinds maart",
    )
    assert (change.changed_by, change.changed_at, change.source, change.perspective_name) == (
        people.respondent,
        outcome.saved_at,
        "autosave",
        first.name,
    )


@pytest.mark.django_db
def test_it_writes_what_the_checked_path_writes(people, draft_with_two):
    assessment, first, _directie = draft_with_two
    answer(assessment, people.respondent, first, {"crit-002": "1"})
    by_key = {c.key: c for c in criteria(assessment)}

    saved = direct(people.admin, assessment, key="crit-001", value="4", comment="Goed", revision=1)
    answer_save_one(
        assessment=assessment,
        user=people.admin,
        criterion=by_key["crit-002"],
        value="4",
        comment="Goed",
        loaded_revision=1,
    )

    assert saved is not None
    fields = ("value", "comment", "revision", "to_confirm", "updated_by", "assessment")
    one, two = (
        Answer.objects.get(perspective=first, criterion__key=key)
        for key in ("crit-001", "crit-002")
    )
    assert [getattr(one, f) for f in fields] == [getattr(two, f) for f in fields]
    audit = ("assessment", "old_value", "new_value", "old_comment", "new_comment", "changed_by")
    audit += ("source", "perspective_name")
    direct_change, checked_change = AnswerChange.objects.order_by("-pk")[:2][::-1]
    assert [getattr(direct_change, f) for f in audit] == [getattr(checked_change, f) for f in audit]


@pytest.mark.django_db
@pytest.mark.parametrize("confidence", ["unsure", None], ids=["changed", "not sent"])
def test_confidence_and_the_validation_reset_are_written_as_the_checked_path_does(
    people, draft_with_two, confidence
):
    """Both paths: a sent confidence is written (None keeps the stored one), and any change
    empties the answer's validation and records the reset in its audit row."""
    assessment, first, _directie = draft_with_two
    answer(assessment, people.respondent, first, {"crit-002": "1"})
    Answer.objects.filter(perspective=first).update(
        confidence="sure",
        validation_state="question",
        validation_question="Waar staat dat?",
        validated_by=people.admin,
    )
    by_key = {c.key: c for c in criteria(assessment)}
    value = "1" if confidence else "2"  # only the confidence changes, or only the value

    saved = direct(
        people.respondent, assessment, key="crit-001", value=value, confidence=confidence
    )
    answer_save_one(
        assessment=assessment,
        user=people.respondent,
        criterion=by_key["crit-002"],
        value=value,
        comment="",
        loaded_revision=1,
        confidence=confidence,
    )

    assert saved is not None
    fields = ("value", "revision", "confidence", "validation_state", "validation_question")
    fields += ("validated_by", "validated_at")
    one, two = (
        Answer.objects.get(perspective=first, criterion__key=key)
        for key in ("crit-001", "crit-002")
    )
    assert [getattr(one, f) for f in fields] == [getattr(two, f) for f in fields]
    assert (one.confidence, one.validation_state) == (confidence or "sure", "")
    audit = ("old_confidence", "new_confidence", "validation", "note", "source")
    direct_change, checked_change = AnswerChange.objects.order_by("-pk")[:2][::-1]
    assert [getattr(direct_change, f) for f in audit[:-1]] == [
        getattr(checked_change, f) for f in audit[:-1]
    ]
    assert (direct_change.validation, direct_change.new_confidence) == (
        "reset",
        confidence or "sure",
    )


@pytest.mark.django_db
def test_a_perspective_named_in_the_url_is_written_and_no_other(people, draft_with_two):
    assessment, first, directie = draft_with_two

    assert direct(people.admin, assessment, perspective=directie, value="2").revision == 2

    assert Answer.objects.get(perspective=directie, criterion__key="crit-001").value == "2"
    assert Answer.objects.get(perspective=first, criterion__key="crit-001").value == "1"


@pytest.mark.django_db
def test_a_contributor_writes_only_in_their_perspective(people, draft_with_two):
    assessment, first, directie = draft_with_two
    contributor = contributor_for(people, directie)

    assert direct(contributor, assessment, perspective=directie, value="2") is not None
    before = written()
    assert direct(contributor, assessment, perspective=first, value="2") is None
    assert direct(contributor, assessment, value="2") is None  # no perspective: the first
    assert written() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        "viewer",
        "other organisation",
        "stale revision",
        "newer revision",
        "unchanged",
        "unknown criterion",
        "no answer yet",
        "another assessment's perspective",
        "key beyond bigint",
    ],
)
def test_what_the_checked_path_must_decide_is_left_to_it(people, draft_with_two, case):
    assessment, _first, _directie = draft_with_two
    other = small_draft(people, title="Andere meting")
    answer(other, people.respondent, first_perspective(other), {"crit-001": "1"})
    before = written()
    calls = {
        "viewer": lambda: direct(people.viewer, assessment),
        "other organisation": lambda: direct(
            MembershipFactory(role="admin").user, assessment, value="4"
        ),
        "stale revision": lambda: direct(people.respondent, assessment, revision=0),
        "newer revision": lambda: direct(people.respondent, assessment, revision=2),
        "unchanged": lambda: direct(people.respondent, assessment, value="1"),
        "unknown criterion": lambda: direct(people.respondent, assessment, key="crit-999"),
        "no answer yet": lambda: direct(people.respondent, assessment, key="crit-005", revision=0),
        "another assessment's perspective": lambda: direct(
            people.respondent, assessment, perspective=first_perspective(other)
        ),
        "key beyond bigint": lambda: answer_save_one_direct(
            user=people.respondent,
            assessment_pk=2**63,
            perspective_pk=None,
            criterion_key="crit-001",
            value="3",
            comment="",
            loaded_revision=1,
        ),
    }

    assert calls[case]() is None
    assert written() == before


@pytest.mark.django_db
def test_nothing_is_written_in_a_submitted_assessment(people):
    assessment = small_draft(people)
    answer_every(assessment, people.respondent, first_perspective(assessment), "2")
    assessment_submit(assessment=assessment, user=people.respondent)
    before = written()

    assert direct(people.respondent, assessment, value="4") is None
    assert written() == before


# --- races, real threads ----------------------------------------------------------------------


def in_threads(first, second, *, first_inside: threading.Event):
    """Run `first` and, once it holds its lock, `second`; results and how long `second` took."""
    results, took = [None, None], [0.0]

    def run_first():
        try:
            results[0] = first()
        finally:
            connections.close_all()

    def run_second():
        try:
            assert first_inside.wait(10)
            began = time.monotonic()
            results[1] = second()
            took[0] = time.monotonic() - began
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results, took[0]


def holding(call, inside: threading.Event):
    """`call` in a transaction kept open for GRACE seconds after it returned."""

    def run():
        with transaction.atomic():
            result = call()
            inside.set()
            time.sleep(GRACE)
        return result

    return run


@pytest.mark.django_db(transaction=True)
def test_an_autosave_waits_for_a_submit_and_then_writes_nothing(people):
    assessment = small_draft(people)
    answer_every(assessment, people.respondent, first_perspective(assessment), "2")
    before = written()
    inside = threading.Event()

    (submitted, saved), waited = in_threads(
        holding(lambda: assessment_submit(assessment=assessment, user=people.respondent), inside),
        lambda: direct(people.admin, assessment, value="4"),
        first_inside=inside,
    )

    assert isinstance(submitted, Assessment) and saved is None
    assert waited >= GRACE / 3, "the autosave did not wait for the submit's lock"
    assert written() == before


@pytest.mark.django_db(transaction=True)
def test_two_autosaves_at_the_same_revision_write_once(people):
    assessment = small_draft(people)
    answer(assessment, people.respondent, first_perspective(assessment), {"crit-001": "1"})
    changes = AnswerChange.objects.count()
    inside = threading.Event()

    (won, lost), waited = in_threads(
        holding(lambda: direct(people.respondent, assessment, value="2"), inside),
        lambda: direct(people.admin, assessment, value="4"),
        first_inside=inside,
    )

    assert won.revision == 2 and lost is None
    assert waited >= GRACE / 3, "the second autosave did not wait for the first one's lock"
    stored = Answer.objects.get(assessment=assessment, criterion__key="crit-001")
    assert (stored.value, stored.revision, stored.updated_by) == ("2", 2, people.respondent)
    assert AnswerChange.objects.count() == changes + 1
