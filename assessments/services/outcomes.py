"""What the assessment services take and give: inputs, outcomes and the errors they raise."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from assessments.models import Answer, ValidationState
from maturity.models import Criterion


class NotAllowedError(Exception):
    """The user's role in the organisation does not allow this (or the user is no member)."""


class AssessmentLockedError(Exception):
    """The assessment is submitted: answers can no longer change until it is reopened."""


class AssessmentIncompleteError(Exception):
    """Submitting needs every criterion answered; `missing` names the criterion keys left."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


class AnswersToConfirmError(AssessmentIncompleteError):
    """Submitting needs every carried-over answer confirmed or changed; `missing` names them."""


class NoPublishedModelError(Exception):
    """There is no published model version to start an assessment on."""


class PerspectiveNotFoundError(Exception):
    """The perspective is not one of this assessment's."""


class ValidationPendingError(Exception):
    """Submitting waits for validation: ``open`` not looked at, ``questions`` unanswered,
    ``answered`` replied to but not validated yet."""

    def __init__(self, *, open: int, questions: int, answered: int) -> None:
        super().__init__(f"{open} open, {questions} questions, {answered} answered")
        self.open = open
        self.questions = questions
        self.answered = answered

    @property
    def total(self) -> int:
        return self.open + self.questions + self.answered


@dataclass(frozen=True)
class ValidationCounts:
    """How many given answers are validated, have an open question, a reply, or wait."""

    validated: int = 0
    questions: int = 0
    answered: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.validated + self.questions + self.answered + self.open

    @property
    def pending(self) -> int:
        return self.total - self.validated


def validation_counts(states: list[str]) -> ValidationCounts:
    """The counts of these validation states (one per given answer)."""
    return ValidationCounts(
        validated=states.count(ValidationState.VALIDATED),
        questions=states.count(ValidationState.QUESTION),
        answered=states.count(ValidationState.ANSWERED),
        open=states.count(""),
    )


@dataclass(frozen=True)
class AnswerInput:
    """What a respondent sent for one criterion, with the revision they had loaded."""

    criterion: Criterion
    value: str
    comment: str
    loaded_revision: int
    # zeker / redelijk zeker / onzeker or "" (none); None keeps what is stored (CSV import).
    confidence: str | None = None


@dataclass(frozen=True)
class AnswerConflict:
    """A colleague changed this answer after the respondent loaded it; theirs was kept."""

    criterion: Criterion
    current: Answer


@dataclass
class SaveOutcome:
    changed: list[str] = field(default_factory=list)
    conflicts: list[AnswerConflict] = field(default_factory=list)
    # When the changed answers were written; each now has the revision it was loaded with + 1.
    saved_at: datetime | None = None


class LockedPerspective(NamedTuple):
    id: int
    name: str
