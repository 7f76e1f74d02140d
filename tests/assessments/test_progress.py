"""Progress has one definition (assessments/progress.py): answered = confirmed answers."""

import pytest

from assessments.models import Answer
from assessments.perspective_selectors import (
    AnswerState,
    assessment_answer_states,
    assessment_unconfirmed,
)
from assessments.progress import (
    Progress,
    answer_set_progress,
    assessment_progress,
    consensus_progress,
    listed_progress,
    progress_from_rows,
)
from assessments.selectors import organisation_list_assessments
from assessments.services import answers_confirm, reassessment_start
from maturity.selectors import model_version_structure

pytestmark = pytest.mark.django_db


def test_carried_answers_are_not_answered_until_confirmed():
    answers = {
        1: AnswerState("3", "", 1),
        2: AnswerState("2", "", 0, True),
        3: AnswerState("", "", 0),
    }

    assert answer_set_progress(answers=answers, total=5) == Progress(1, 1, 5)
    assert Progress(1, 1, 5).remaining == 4 and Progress(1, 1, 5).unanswered == 3


def test_a_criterion_any_perspective_still_has_to_confirm_is_not_answered():
    rows = [(10, 1, "3", False), (11, 1, "2", True), (10, 2, "4", False), (11, 3, "", False)]

    progress = progress_from_rows(rows, total=4)

    assert progress.overall == Progress(answered=1, to_confirm=1, total=4)
    assert progress.of(10) == Progress(2, 0, 4) and progress.of(11) == Progress(0, 1, 4)
    assert progress.of(99) == Progress(0, 0, 4)


def test_percent_rounds_the_answered_share():
    assert Progress(1, 0, 45).percent == 2 and Progress(0, 0, 0).percent == 0


@pytest.fixture
def carried(people, submitted):
    assessment = reassessment_start(
        organisation=people.organisation,
        user=people.respondent,
        title="Hermeting 2027",
        start_from=submitted,
    )
    criteria = model_version_structure(version=assessment.model_version).criteria
    answers_confirm(
        assessment=assessment, user=people.respondent, criterion_keys=[c.key for c in criteria[:2]]
    )
    return assessment


def test_the_list_the_query_and_the_consensus_agree(people, carried, django_assert_num_queries):
    total = len(model_version_structure(version=carried.model_version).criteria)
    membership = people.organisation.memberships.get(user=people.respondent)

    with django_assert_num_queries(1):
        queried = assessment_progress(assessment=carried, total=total)
    listed = next(
        a for a in organisation_list_assessments(membership=membership) if a.pk == carried.pk
    )
    consensus = consensus_progress(
        answers=assessment_answer_states(assessment=carried),
        pending=assessment_unconfirmed(assessment=carried),
        total=total,
    )

    carried_count = Answer.objects.filter(assessment=carried).count()
    assert queried.overall == Progress(2, carried_count - 2, total)
    assert listed_progress(listed, listed.criteria_total) == queried.overall == consensus
