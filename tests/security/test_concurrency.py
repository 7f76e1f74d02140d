"""Two real threads on one answer, on PostgreSQL: one write wins, none is lost silently.

Run with DATABASE_URL pointing at PostgreSQL; SQLite serialises whole-database writes, so
the race cannot happen there and these tests are skipped.
"""

import threading

import pytest
from django.db import connection, connections

from assessments.models import Answer, AnswerChange, Assessment
from assessments.services import (
    AnswerInput,
    AssessmentLockedError,
    answers_save,
    assessment_create,
    assessment_score_answers,
    assessment_submit,
)
from maturity.selectors import model_version_structure
from tests.conftest import answer_all

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    ),
]
ROUNDS = 5


def run_together(*calls):
    """Run the calls in threads released at the same moment; return result or exception each."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the test inspects what each thread raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


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
            answers_save(
                assessment=assessment,
                user=people.respondent,
                answers=[
                    AnswerInput(criterion=criterion, value="1", comment="", loaded_revision=0)
                ],
            )
            revision = 1

        outcomes = run_together(
            save_call(assessment, people.respondent, criterion, "2", "van respondent", revision),
            save_call(assessment, people.admin, criterion, "4", "van admin", revision),
        )

        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
        winners = [i for i, o in enumerate(outcomes) if o.changed == [criterion.key]]
        losers = [i for i, o in enumerate(outcomes) if o.conflicts]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        final = Answer.objects.get(assessment=assessment, criterion=criterion)
        expected = [("2", "van respondent"), ("4", "van admin")][winners[0]]
        assert (final.value, final.comment) == expected
        assert final.revision == revision + 1
        conflict = outcomes[losers[0]].conflicts[0]
        assert (conflict.current.value, conflict.current.comment) == expected
        changes = list(
            AnswerChange.objects.filter(assessment=assessment, criterion=criterion).order_by("id")
        )
        assert len(changes) == revision + 1, "one audit row per write that happened"
        assert (changes[-1].new_value, changes[-1].new_comment) == expected
        assert changes[-1].changed_by == [people.respondent, people.admin][winners[0]]


def test_a_save_racing_a_submit_is_either_in_the_result_or_refused(people, default_model):
    outcomes_seen = set()
    for round_number in range(ROUNDS * 2):
        assessment = assessment_create(
            organisation=people.organisation, user=people.respondent, title=f"Ronde {round_number}"
        )
        answer_all(assessment, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
        criterion = model_version_structure(version=assessment.model_version).criteria[0]
        before = Answer.objects.get(assessment=assessment, criterion=criterion)
        changes_before = AnswerChange.objects.filter(assessment=assessment).count()

        submit_outcome, save_outcome = run_together(
            lambda assessment=assessment: assessment_submit(
                assessment=assessment, user=people.respondent
            ),
            save_call(assessment, people.admin, criterion, "0", "te laat?", before.revision),
        )

        assert not isinstance(submit_outcome, Exception), submit_outcome
        stored = Assessment.objects.get(pk=assessment.pk)
        assert not stored.is_draft
        after = Answer.objects.get(assessment=assessment, criterion=criterion)
        if isinstance(save_outcome, AssessmentLockedError):
            outcomes_seen.add("refused")
            assert (after.value, after.comment, after.revision) == (
                before.value,
                before.comment,
                before.revision,
            )
            assert AnswerChange.objects.filter(assessment=assessment).count() == changes_before
        else:
            assert not isinstance(save_outcome, Exception), save_outcome
            outcomes_seen.add("saved first")
            assert after.value == "0"
            assert AnswerChange.objects.filter(assessment=assessment).count() == changes_before + 1
        # Whatever the order, the stored result is the score of the answers as they are now.
        answers = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment)}
        assert (
            stored.result == assessment_score_answers(assessment=stored, answers=answers).to_dict()
        )
    assert outcomes_seen, "no round ran"


def test_a_save_after_submit_raises_and_changes_nothing(people, submitted):
    criterion = model_version_structure(version=submitted.model_version).criteria[0]
    before = Answer.objects.get(assessment=submitted, criterion=criterion)
    changes_before = AnswerChange.objects.filter(assessment=submitted).count()

    [outcome] = run_together(
        save_call(submitted, people.admin, criterion, "0", "na indienen", before.revision)
    )

    assert isinstance(outcome, AssessmentLockedError)
    after = Answer.objects.get(assessment=submitted, criterion=criterion)
    assert (after.value, after.comment, after.revision) == (
        before.value,
        before.comment,
        before.revision,
    )
    assert AnswerChange.objects.filter(assessment=submitted).count() == changes_before
