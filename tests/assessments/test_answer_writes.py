"""How a save writes: all changed answers of a step in one statement, each still conditional on
the revision the respondent loaded, with a per-row path for databases without UPDATE … FROM."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import answer_guard
from assessments.answer_guard import RevisedAnswer
from assessments.models import Answer, AnswerChange, AnswerQuerySet
from assessments.services import AnswerInput, answers_save
from assessments.services import assessments as services
from maturity.selectors import model_version_structure
from tests.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["one statement", "row by row"])
def write_mode(request, monkeypatch) -> str:
    """Both ways of writing: the one statement, and the per-row path other databases take."""
    if request.param == "row by row":
        monkeypatch.setattr(answer_guard, "_updates_from_values", lambda connection: False)
    return request.param


def step_criteria(assessment, count: int = 5):
    structure = model_version_structure(version=assessment.model_version)
    return structure.criteria_of_dimension(structure.dimensions[0])[:count]


def stored(assessment) -> dict[int, tuple[str, str, int]]:
    return {
        a.criterion_id: (a.value, a.comment, a.revision)
        for a in Answer.objects.filter(assessment=assessment)
    }


def changed_inputs(assessment, criteria, value: str) -> list[AnswerInput]:
    current = stored(assessment)
    return [
        AnswerInput(
            criterion=c, value=value, comment=f"over {c.key}", loaded_revision=current[c.pk][2]
        )
        for c in criteria
    ]


def test_changed_answers_of_a_step_are_written_in_one_update(people, draft):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    criteria = step_criteria(draft)
    before = stored(draft)

    with CaptureQueriesContext(connection) as queries:
        outcome = answers_save(
            assessment=draft, user=people.admin, answers=changed_inputs(draft, criteria, "0")
        )

    updates = [q["sql"] for q in queries if 'UPDATE "assessments_answer"' in q["sql"]]
    assert len(updates) == 1, updates
    assert outcome.changed == [c.key for c in criteria]
    assert outcome.conflicts == []
    after = stored(draft)
    for c in criteria:
        assert after[c.pk] == ("0", f"over {c.key}", before[c.pk][2] + 1)
    assert AnswerChange.objects.filter(assessment=draft, changed_by=people.admin).count() == 5


def test_first_answers_of_a_step_are_inserted_in_one_statement(people, draft):
    criteria = step_criteria(draft)
    answers = [AnswerInput(criterion=c, value="2", comment="", loaded_revision=0) for c in criteria]

    with CaptureQueriesContext(connection) as queries:
        outcome = answers_save(assessment=draft, user=people.respondent, answers=answers)

    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "assessments_answer"')]
    assert len(inserts) == 1, inserts
    assert outcome.changed == [c.key for c in criteria]
    assert stored(draft) == {c.pk: ("2", "", 1) for c in criteria}


def test_only_rows_still_at_their_revision_are_written(people, draft, write_mode):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    first, second = (
        Answer.objects.get(assessment=draft, criterion=c) for c in step_criteria(draft, 2)
    )

    now = timezone.now()

    written = Answer.objects.update_at_revisions(
        [
            RevisedAnswer(first.pk, first.revision, "0", "nieuw"),
            RevisedAnswer(second.pk, second.revision - 1, "0", "te laat"),
        ],
        updated_by_id=people.admin.pk,
        updated_at=now,
    )

    assert written == {first.pk}
    first_after, second_after = (Answer.objects.get(pk=a.pk) for a in (first, second))
    assert (first_after.value, first_after.comment, first_after.revision) == (
        "0",
        "nieuw",
        first.revision + 1,
    )
    assert (first_after.updated_by, first_after.updated_at) == (people.admin, now)
    assert (second_after.value, second_after.comment, second_after.revision) == (
        second.value,
        second.comment,
        second.revision,
    )


def test_a_colleague_s_write_between_read_and_update_becomes_a_conflict(
    people, draft, write_mode, monkeypatch
):
    """The revision check in the write itself, should a write ever skip the draft lock."""
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    criteria = step_criteria(draft, 3)
    answers = changed_inputs(draft, criteria, "0")
    colleague_s = Answer.objects.get(assessment=draft, criterion=criteria[1])
    original = AnswerQuerySet.update_at_revisions

    def colleague_first(self, rows, **kwargs):
        Answer.objects.filter(pk=colleague_s.pk).update(
            value="1", comment="van An", revision=F("revision") + 1
        )
        return original(self, rows, **kwargs)

    monkeypatch.setattr(AnswerQuerySet, "update_at_revisions", colleague_first)
    outcome = answers_save(assessment=draft, user=people.admin, answers=answers)

    assert outcome.changed == [criteria[0].key, criteria[2].key]
    [conflict] = outcome.conflicts
    assert conflict.criterion == criteria[1]
    assert (conflict.current.value, conflict.current.comment) == ("1", "van An")
    assert stored(draft)[criteria[1].pk][:2] == ("1", "van An")
    audited = set(
        AnswerChange.objects.filter(assessment=draft, changed_by=people.admin).values_list(
            "criterion_id", flat=True
        )
    )
    assert audited == {criteria[0].pk, criteria[2].pk}


def test_a_first_answer_a_colleague_inserted_meanwhile_becomes_a_conflict(
    people, draft, monkeypatch
):
    """One colliding first answer refuses the whole insert; each is then tried on its own."""
    criteria = step_criteria(draft, 3)
    answers = [AnswerInput(criterion=c, value="2", comment="", loaded_revision=0) for c in criteria]
    original = services._insert_answers

    def colleague_first(**kwargs):
        Answer.objects.create(
            assessment=draft,
            perspective=draft.perspectives.get(),
            criterion=criteria[1],
            value="4",
            updated_by=people.admin,
        )
        return original(**kwargs)

    monkeypatch.setattr(services, "_insert_answers", colleague_first)
    outcome = answers_save(assessment=draft, user=people.respondent, answers=answers)

    assert outcome.changed == [criteria[0].key, criteria[2].key]
    [conflict] = outcome.conflicts
    assert (conflict.criterion, conflict.current.value) == (criteria[1], "4")
    assert {pk: state[0] for pk, state in stored(draft).items()} == {
        criteria[0].pk: "2",
        criteria[1].pk: "4",
        criteria[2].pk: "2",
    }
    assert AnswerChange.objects.filter(assessment=draft).count() == 2


def test_conflicts_are_reported_in_the_order_of_the_step(people, draft):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    criteria = step_criteria(draft, 4)
    answers = changed_inputs(draft, criteria, "0")
    # Stale on the last and the second: both become conflicts, listed as the step lists them.
    answers[3] = AnswerInput(
        criterion=criteria[3], value="0", comment="", loaded_revision=answers[3].loaded_revision - 1
    )
    answers[1] = AnswerInput(
        criterion=criteria[1], value="0", comment="", loaded_revision=answers[1].loaded_revision + 5
    )

    outcome = answers_save(assessment=draft, user=people.admin, answers=answers)

    assert [c.criterion for c in outcome.conflicts] == [criteria[1], criteria[3]]
    assert outcome.changed == [criteria[0].key, criteria[2].key]


def test_a_long_list_of_rows_is_written_in_batches(people, draft, monkeypatch):
    monkeypatch.setattr(answer_guard, "ROWS_PER_STATEMENT", 2)
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    answers = [Answer.objects.get(assessment=draft, criterion=c) for c in step_criteria(draft)]

    with CaptureQueriesContext(connection) as queries:
        written = Answer.objects.update_at_revisions(
            [RevisedAnswer(a.pk, a.revision, "0", "") for a in answers],
            updated_by_id=people.admin.pk,
            updated_at=timezone.now(),
        )

    assert written == {a.pk for a in answers}
    assert len(queries) == 3
    assert {a.value for a in Answer.objects.filter(pk__in=written)} == {"0"}


def test_update_at_revisions_refuses_a_filtered_queryset(draft):
    """Rows are addressed by pk alone: a filter would silently not apply."""
    with pytest.raises(TypeError):
        Answer.objects.filter(assessment=draft).update_at_revisions(
            [], updated_by_id=None, updated_at=timezone.now()
        )
