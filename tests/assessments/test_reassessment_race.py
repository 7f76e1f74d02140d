"""Two people confirming the same carried answer at once: one confirms, the other finds it done.

Real threads on SQLite and PostgreSQL, ordered at the draft lock as in
tests/security/test_concurrency.py (which explains the overlap each database guarantees).
"""

from unittest import mock

import pytest

from assessments.models import Answer, AnswerChange
from assessments.services import answers_confirm, reassessment_start
from assessments.services import reassessment as reassessment_services
from tests.factories import build_model_version
from tests.reassessment_models import submitted_with
from tests.security.test_concurrency import ROUNDS, OrderedRace, assert_no_exceptions

pytestmark = pytest.mark.django_db(transaction=True)


def confirm_call(assessment, user, key):
    return lambda: answers_confirm(assessment=assessment, user=user, criterion_keys=[key])


def test_two_people_confirming_the_same_answer_at_once_confirm_it_once(people):
    build_model_version(criteria_count=12, dimension_count=3, slug="race")
    previous = submitted_with(people, "Meting 2026", lambda key: "3")
    for round_number in range(ROUNDS):
        assessment = reassessment_start(
            organisation=people.organisation,
            user=people.respondent,
            title=f"Hermeting {round_number}",
            start_from=previous,
        )

        race = OrderedRace()
        # answers_confirm takes the draft lock through its own import of answer_set_lock.
        with mock.patch.object(
            reassessment_services, "answer_set_lock", race.hooked("answer_set_lock")
        ):
            first, second = race.run(
                confirm_call(assessment, people.respondent, "crit-001"),
                confirm_call(assessment, people.admin, "crit-001"),
            )

        assert_no_exceptions(first, second)
        assert (first, second) == (["crit-001"], [])
        answer = Answer.objects.get(assessment=assessment, criterion__key="crit-001")
        assert not answer.to_confirm
        assert answer.updated_by == people.respondent
        [row] = AnswerChange.objects.filter(assessment=assessment, source="confirmed")
        assert row.changed_by == people.respondent
