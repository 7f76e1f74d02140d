"""What the assessment services take and give: inputs, outcomes and the errors they raise."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from assessments.models import Answer
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


@dataclass(frozen=True)
class AnswerInput:
    """What a respondent sent for one criterion, with the revision they had loaded."""

    criterion: Criterion
    value: str
    comment: str
    loaded_revision: int


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
