"""How far a questionnaire is: the one definition of "answered" every page shows.

A question counts as answered once it has an answer that is not a carried-over answer still
waiting to be confirmed. For one perspective (an answer set) that is its own answer; for the
assessment (what is scored, the consensus) a question is answered when some perspective answered
it and no perspective still has to confirm its carried answer on it. A carried answer waiting to
be confirmed is counted apart, as "to confirm": the dashboard, the step page, the review page,
the perspective cards and the report all show these same numbers.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from assessments.models import Answer, Assessment

if TYPE_CHECKING:  # the answer states' module reads selectors, which use this one
    from assessments.perspective_selectors import AnswerState


@dataclass(frozen=True)
class Progress:
    """Answered (confirmed) questions, carried answers still to confirm, and all questions."""

    answered: int
    to_confirm: int
    total: int

    @property
    def percent(self) -> int:
        """The share answered as a whole percentage (carried answers to confirm do not count)."""
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def remaining(self) -> int:
        """Questions not answered yet, the carried answers to confirm included."""
        return self.total - self.answered

    @property
    def unanswered(self) -> int:
        """Questions without any answer (neither given nor carried over)."""
        return self.total - self.answered - self.to_confirm


@dataclass(frozen=True)
class AssessmentProgress:
    """The assessment's progress and each perspective's, by perspective id."""

    overall: Progress
    perspectives: Mapping[int, Progress]
    # The criteria (ids) some perspective still has to confirm its carried answer on.
    pending: frozenset[int] = frozenset()

    def of(self, perspective_id: int) -> Progress:
        return self.perspectives.get(perspective_id, Progress(0, 0, self.overall.total))


def answer_set_progress(*, answers: "Mapping[int, AnswerState]", total: int) -> Progress:
    """One perspective's progress from its answers (by criterion id); no query."""
    answered = to_confirm = 0
    for answer in answers.values():
        if answer.value:
            if answer.to_confirm:
                to_confirm += 1
            else:
                answered += 1
    return Progress(answered=answered, to_confirm=to_confirm, total=total)


def progress_from_rows(
    rows: Iterable[tuple[int, int, str, bool]], *, total: int, perspective_ids: Iterable[int] = ()
) -> AssessmentProgress:
    """The assessment's and each perspective's progress from its answers' rows (no query).

    A row is (perspective id, criterion id, value, to confirm).
    """
    given: set[int] = set()
    pending: set[int] = set()
    per_answered: dict[int, int] = dict.fromkeys(perspective_ids, 0)
    per_pending: dict[int, int] = dict.fromkeys(perspective_ids, 0)
    for perspective_id, criterion_id, value, to_confirm in rows:
        if not value:
            continue
        given.add(criterion_id)
        if to_confirm:
            pending.add(criterion_id)
            per_pending[perspective_id] = per_pending.get(perspective_id, 0) + 1
        else:
            per_answered[perspective_id] = per_answered.get(perspective_id, 0) + 1
    return AssessmentProgress(
        overall=Progress(answered=len(given - pending), to_confirm=len(pending), total=total),
        perspectives={
            pk: Progress(per_answered.get(pk, 0), per_pending.get(pk, 0), total)
            for pk in per_answered.keys() | per_pending.keys()
        },
        pending=frozenset(pending),
    )


def assessment_progress(*, assessment: Assessment, total: int) -> AssessmentProgress:
    """The assessment's and each perspective's progress in one query; `total` is its criteria."""
    rows = Answer.objects.filter(assessment=assessment).values_list(
        "perspective_id", "criterion_id", "value", "to_confirm"
    )
    return progress_from_rows(rows, total=total)


def progress_annotations() -> dict:
    """The annotations a list of assessments needs for `listed_progress` (same rule, in SQL)."""
    given = ~Q(answers__value="")
    return {
        "progress_given": Count("answers__criterion", filter=given, distinct=True),
        "progress_to_confirm": Count(
            "answers__criterion", filter=given & Q(answers__to_confirm=True), distinct=True
        ),
    }


def listed_progress(assessment: Assessment, total: int) -> Progress:
    """The progress of an assessment annotated with `progress_annotations`."""
    to_confirm = assessment.progress_to_confirm
    return Progress(
        answered=assessment.progress_given - to_confirm, to_confirm=to_confirm, total=total
    )


def consensus_progress(
    *, answers: "Mapping[int, AnswerState]", pending: Iterable[int], total: int
) -> Progress:
    """The assessment's progress from its consensus answers and the criteria still to confirm.

    The same rule as `assessment_progress` (a page that has both already needs no query): a
    criterion with a consensus answer counts as answered unless a perspective still has to
    confirm its carried answer on it.
    """
    given = {pk for pk, state in answers.items() if state.value}
    waiting = given & set(pending)
    return Progress(answered=len(given - waiting), to_confirm=len(waiting), total=total)
