"""Autosave: one answer of one criterion, saved the moment the respondent gives it."""

from dataclasses import dataclass
from datetime import datetime

from assessments.models import Answer, Assessment
from assessments.services.assessments import AnswerInput, answers_save
from maturity.models import Criterion


@dataclass(frozen=True)
class OneAnswerOutcome:
    """What became of one autosaved answer.

    Saved (or unchanged): ``revision`` is the stored revision the page must send next time and
    ``saved_at`` when it was written (None when nothing changed). A conflict: ``theirs`` is the
    colleague's answer that was kept (None when it has disappeared), with its revision.
    """

    revision: int
    saved_at: datetime | None = None
    conflict: bool = False
    theirs: Answer | None = None


def answer_save_one(
    *,
    assessment: Assessment,
    user,
    criterion: Criterion,
    value: str,
    comment: str,
    loaded_revision: int,
    perspective_id: int | None = None,
) -> OneAnswerOutcome:
    """Save one criterion's answer if nobody changed it since ``loaded_revision``.

    The same conditional write, audit trail and role and draft checks as a whole step
    (``answers_save``), so a stale autosave keeps the colleague's answer. The answer is addressed
    by (assessment, perspective, criterion); no perspective means the assessment's first.
    """
    outcome = answers_save(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(
                criterion=criterion,
                value=value,
                comment=comment,
                loaded_revision=loaded_revision,
            )
        ],
        source="autosave",
        perspective_id=perspective_id,
    )
    if outcome.conflicts:
        theirs = outcome.conflicts[0].current
        return OneAnswerOutcome(
            revision=theirs.revision if theirs else 0, conflict=True, theirs=theirs
        )
    if outcome.changed:
        return OneAnswerOutcome(revision=loaded_revision + 1, saved_at=outcome.saved_at)
    return OneAnswerOutcome(revision=loaded_revision)
