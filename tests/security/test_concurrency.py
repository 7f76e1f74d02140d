"""Two real threads on one draft, on SQLite and on PostgreSQL: one write wins, none is lost.

A race is only proven when the two calls really overlap, so the threads are not just started
together: a test-only hook wraps the draft locks `assessment_lock_draft` and `answer_set_lock`
(assessments/services/assessments.py),
the first thing every writing service does inside its transaction, and orders the two calls
there.

What overlap each database guarantees:

- **PostgreSQL**: both threads meet at a barrier *inside* their service's transaction, before
  either has locked, read or written anything. The first then locks the assessment row and
  holds it for GRACE seconds; the second asks for the same row lock while the first holds it
  and has to wait until the first commits.
- **SQLite** (`transaction_mode` IMMEDIATE): a transaction takes the database's write lock when
  it begins, so two transactions cannot both be inside at once; a barrier there would deadlock.
  The second thread therefore calls the service while the first is inside its transaction,
  holding the write lock for GRACE seconds; the second waits in BEGIN IMMEDIATE and enters
  after the first commits (without IMMEDIATE it would run ahead or fail "database is locked").

On both, each test checks that the second call waited for the lock (at least GRACE / 3) and
that it saw what the first wrote: a conflict naming the winner's answer and revision, or the
assessment already submitted.
"""

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections

from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent
from assessments.services import (
    AnswerInput,
    AssessmentLockedError,
    answers_save,
    assessment_create,
    assessment_score_answers,
    assessment_submit,
)
from assessments.services import assessments as services
from maturity.selectors import model_version_structure
from tests.conftest import answer_all

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 3
# How long the first call holds its lock after the second has asked for it.
GRACE = 0.3
TIMEOUT = 15


class OrderedRace:
    """Run two service calls so that the FIRST takes the lock and the SECOND waits for it."""

    def __init__(self) -> None:
        self.meet_inside = connection.vendor == "postgresql"
        self.barrier = threading.Barrier(2, timeout=TIMEOUT)
        self.first_locked = threading.Event()
        self.second_asking = threading.Event()
        self.role = threading.local()
        self.requested_at = 0.0
        self.locked_at = 0.0
        self.originals = {
            name: getattr(services, name) for name in ("assessment_lock_draft", "answer_set_lock")
        }

    def hooked(self, name: str):
        return lambda **kwargs: self.hook(self.originals[name], **kwargs)

    def hook(self, original, **kwargs):
        """Stands in for a draft lock: order the two threads, then lock as the service would."""
        if self.role.name == "first":
            if self.meet_inside:
                self.barrier.wait()
            locked = original(**kwargs)
            self.first_locked.set()
            assert self.second_asking.wait(TIMEOUT), "the second call never started"
            time.sleep(GRACE)
            return locked
        if self.meet_inside:
            self.barrier.wait()
            assert self.first_locked.wait(TIMEOUT), "the first call never locked"
            self.requested_at = time.monotonic()
            self.second_asking.set()
        try:
            return original(**kwargs)
        finally:
            # Also when it refuses: the lock was granted before it looked at the status.
            self.locked_at = time.monotonic()

    def run(self, first, second) -> tuple:
        """Run both calls in threads; return what each returned or raised."""
        results: list = [None, None]

        def worker(index, name, call):
            self.role.name = name
            try:
                if name == "second" and not self.meet_inside:
                    assert self.first_locked.wait(TIMEOUT), "the first call never began"
                    self.requested_at = time.monotonic()
                    self.second_asking.set()
                results[index] = call()
            except Exception as error:  # the test inspects what each thread raised
                results[index] = error
            finally:
                connections.close_all()

        with (
            mock.patch.object(
                services, "assessment_lock_draft", self.hooked("assessment_lock_draft")
            ),
            mock.patch.object(services, "answer_set_lock", self.hooked("answer_set_lock")),
        ):
            threads = [
                threading.Thread(target=worker, args=(0, "first", first)),
                threading.Thread(target=worker, args=(1, "second", second)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=2 * TIMEOUT)
        assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
        assert self.locked_at - self.requested_at >= GRACE / 3, (
            "the second call did not wait for the first one's lock: the calls did not overlap"
        )
        return tuple(results)


def assert_no_exceptions(*outcomes) -> None:
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes


def save_call(assessment, user, criterion, value, comment, revision):
    def call():
        return answers_save(
            assessment=assessment,
            user=user,
            answers=[
                AnswerInput(
                    criterion=criterion, value=value, comment=comment, loaded_revision=revision
                )
            ],
        )

    return call


@pytest.mark.parametrize("existing", [False, True], ids=["first-answer", "update"])
def test_two_saves_of_the_same_answer_at_once_one_wins_one_conflicts(
    people, default_model, existing
):
    for round_number in range(ROUNDS):
        assessment = assessment_create(
            organisation=people.organisation, user=people.respondent, title=f"Ronde {round_number}"
        )
        criterion = model_version_structure(version=assessment.model_version).criteria[0]
        revision = 0
        if existing:
            save_call(assessment, people.respondent, criterion, "1", "", 0)()
            revision = 1

        winner, loser = OrderedRace().run(
            save_call(assessment, people.respondent, criterion, "2", "van respondent", revision),
            save_call(assessment, people.admin, criterion, "4", "van admin", revision),
        )

        assert_no_exceptions(winner, loser)
        assert (winner.changed, winner.conflicts) == ([criterion.key], [])
        assert loser.changed == []
        [conflict] = loser.conflicts
        # The loser saw the winner's committed answer, not the state both loaded.
        assert conflict.criterion == criterion
        assert (conflict.current.value, conflict.current.comment) == ("2", "van respondent")
        assert conflict.current.revision == revision + 1
        final = Answer.objects.get(assessment=assessment, criterion=criterion)
        assert (final.value, final.comment, final.revision) == (
            "2",
            "van respondent",
            revision + 1,
        )
        changes = list(
            AnswerChange.objects.filter(assessment=assessment, criterion=criterion).order_by("id")
        )
        assert len(changes) == revision + 1, "one audit row per write that happened"
        last = changes[-1]
        assert (last.old_value, last.new_value, last.new_comment, last.changed_by) == (
            "1" if existing else "",
            "2",
            "van respondent",
            people.respondent,
        )


def submit_call(assessment, user):
    return lambda: assessment_submit(assessment=assessment, user=user)


def answered_draft(people, round_number):
    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title=f"Ronde {round_number}"
    )
    answer_all(assessment, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    criterion = model_version_structure(version=assessment.model_version).criteria[0]
    return assessment, Answer.objects.get(assessment=assessment, criterion=criterion)


def assert_result_is_score_of_stored_answers(assessment):
    stored = Assessment.objects.get(pk=assessment.pk)
    assert not stored.is_draft
    answers = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment)}
    assert stored.result == assessment_score_answers(assessment=stored, answers=answers).to_dict()
    assert (
        AssessmentEvent.objects.filter(
            assessment=assessment, kind=AssessmentEvent.Kind.SUBMITTED
        ).count()
        == 1
    )


def test_a_save_racing_a_submit_that_locks_first_is_refused(people, default_model):
    for round_number in range(ROUNDS):
        assessment, before = answered_draft(people, round_number)
        changes_before = AnswerChange.objects.filter(assessment=assessment).count()

        submitted, refused = OrderedRace().run(
            submit_call(assessment, people.respondent),
            save_call(assessment, people.admin, before.criterion, "0", "te laat", before.revision),
        )

        assert isinstance(submitted, Assessment), submitted
        assert isinstance(refused, AssessmentLockedError), refused
        after = Answer.objects.get(pk=before.pk)
        assert (after.value, after.comment, after.revision) == (
            before.value,
            before.comment,
            before.revision,
        )
        assert AnswerChange.objects.filter(assessment=assessment).count() == changes_before
        assert_result_is_score_of_stored_answers(assessment)


def test_a_save_that_locks_before_a_submit_is_in_the_result(people, default_model):
    for round_number in range(ROUNDS):
        assessment, before = answered_draft(people, round_number)
        changes_before = AnswerChange.objects.filter(assessment=assessment).count()

        saved, submitted = OrderedRace().run(
            save_call(
                assessment, people.admin, before.criterion, "0", "net op tijd", before.revision
            ),
            submit_call(assessment, people.respondent),
        )

        assert_no_exceptions(saved, submitted)
        assert saved.changed == [before.criterion.key]
        after = Answer.objects.get(pk=before.pk)
        assert (after.value, after.comment, after.revision) == (
            "0",
            "net op tijd",
            before.revision + 1,
        )
        assert AnswerChange.objects.filter(assessment=assessment).count() == changes_before + 1
        assert_result_is_score_of_stored_answers(assessment)
        # The submit scored the saved answer, not the one both calls loaded.
        assert submitted.result == Assessment.objects.get(pk=assessment.pk).result


def test_a_save_after_submit_raises_and_changes_nothing(people, submitted):
    criterion = model_version_structure(version=submitted.model_version).criteria[0]
    before = Answer.objects.get(assessment=submitted, criterion=criterion)
    changes_before = AnswerChange.objects.filter(assessment=submitted).count()

    with pytest.raises(AssessmentLockedError):
        save_call(submitted, people.admin, criterion, "0", "na indienen", before.revision)()

    after = Answer.objects.get(assessment=submitted, criterion=criterion)
    assert (after.value, after.comment, after.revision) == (
        before.value,
        before.comment,
        before.revision,
    )
    assert AnswerChange.objects.filter(assessment=submitted).count() == changes_before
