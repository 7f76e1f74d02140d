"""Writes for organisations and assessments: create, answer, submit, reopen, import, invite."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Invitation,
    Membership,
    Organisation,
)
from maturity.models import AnswerValue, Criterion
from maturity.scoring import score
from maturity.selectors import model_version_latest_published, model_version_structure

CSV_MAX_BYTES = 1024 * 1024
CSV_COLUMNS = ("criterion_key", "answer", "comment")
COMMENT_MAX_LENGTH = 2000


class AssessmentLockedError(Exception):
    """The assessment is submitted: answers can no longer change until it is reopened."""


class AssessmentIncompleteError(Exception):
    """Submitting needs every criterion answered; `missing` names the criterion keys left."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


class NoPublishedModelError(Exception):
    """There is no published model version to start an assessment on."""


class CsvImportError(Exception):
    """A CSV file that was refused whole; `problems` names each bad row and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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


@transaction.atomic
def assessment_create(*, organisation: Organisation, user, title: str) -> Assessment:
    """Start an assessment on the newest published model version."""
    version = model_version_latest_published()
    if version is None:
        raise NoPublishedModelError
    assessment = Assessment(
        organisation=organisation, model_version=version, title=title.strip(), created_by=user
    )
    assessment.full_clean()
    assessment.save()
    AssessmentEvent.objects.create(
        assessment=assessment, kind=AssessmentEvent.Kind.CREATED, user=user
    )
    return assessment


def _lock_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentLockedError
    return locked


@transaction.atomic
def answers_save(
    *, assessment: Assessment, user, answers: list[AnswerInput], source: str = "form"
) -> SaveOutcome:
    """Save the answers a respondent changed, one row per criterion, never over a newer one.

    Each write is conditional on the revision the respondent loaded, so a colleague's answer that
    arrived in between is kept and reported as a conflict instead of being overwritten.
    """
    _lock_draft(assessment)
    outcome = SaveOutcome()
    current = {
        a.criterion_id: a
        for a in Answer.objects.filter(
            assessment=assessment, criterion__in=[i.criterion for i in answers]
        )
    }
    now = timezone.now()
    changes: list[AnswerChange] = []
    for item in answers:
        existing = current.get(item.criterion.pk)
        if existing is not None and (existing.value, existing.comment) == (
            item.value,
            item.comment,
        ):
            continue
        if existing is None and not item.value and not item.comment:
            continue
        current_revision = existing.revision if existing else 0
        if current_revision != item.loaded_revision:
            outcome.conflicts.append(AnswerConflict(criterion=item.criterion, current=existing))
            continue
        if existing is None:
            try:
                with transaction.atomic():
                    Answer.objects.create(
                        assessment=assessment,
                        criterion=item.criterion,
                        value=item.value,
                        comment=item.comment,
                        updated_by=user,
                        updated_at=now,
                    )
            except IntegrityError:
                theirs = Answer.objects.get(assessment=assessment, criterion=item.criterion)
                outcome.conflicts.append(AnswerConflict(criterion=item.criterion, current=theirs))
                continue
        else:
            updated = Answer.objects.filter(pk=existing.pk, revision=item.loaded_revision).update(
                value=item.value,
                comment=item.comment,
                revision=F("revision") + 1,
                updated_by=user,
                updated_at=now,
            )
            if not updated:
                existing.refresh_from_db()
                outcome.conflicts.append(AnswerConflict(criterion=item.criterion, current=existing))
                continue
        changes.append(
            AnswerChange(
                assessment=assessment,
                criterion=item.criterion,
                old_value=existing.value if existing else "",
                new_value=item.value,
                old_comment=existing.comment if existing else "",
                new_comment=item.comment,
                changed_by=user,
                changed_at=now,
                source=source,
            )
        )
        outcome.changed.append(item.criterion.key)
    # One insert for the whole audit trail of the save, in the same transaction as the answers.
    AnswerChange.objects.bulk_create(changes)
    return outcome


def assessment_score_answers(*, assessment: Assessment, answers: dict[int, Answer]):
    """Score the given answers on the assessment's model version (pure computation)."""
    structure = model_version_structure(version=assessment.model_version)
    by_key = {
        criterion.key: AnswerValue.to_score(answers[criterion.pk].value)
        for criterion in structure.criteria
        if criterion.pk in answers
    }
    return score(structure.spec, by_key)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    """Score a complete draft, store the result with it and make it read-only."""
    locked = _lock_draft(assessment)
    structure = model_version_structure(version=locked.model_version)
    answers = {
        a.criterion_id: a for a in Answer.objects.filter(assessment=locked).exclude(value="")
    }
    missing = [c.key for c in structure.criteria if c.pk not in answers]
    if missing:
        raise AssessmentIncompleteError(missing)
    result = assessment_score_answers(assessment=locked, answers=answers)
    locked.result = result.to_dict()
    locked.phase_order = result.phase.order
    locked.maturity_index = Decimal(result.index.numerator) / Decimal(result.index.denominator)
    locked.maturity_index = locked.maturity_index.quantize(Decimal("0.0001"))
    locked.status = Assessment.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.save()
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.SUBMITTED, user=user
    )
    return locked


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str = "") -> Assessment:
    """Make a submitted assessment editable again; the stored result is cleared and recorded."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_draft:
        return locked
    previous = locked.result or {}
    locked.status = Assessment.Status.DRAFT
    locked.result = None
    locked.phase_order = None
    locked.maturity_index = None
    locked.submitted_at = None
    locked.submitted_by = None
    locked.save()
    note = reason.replace("\x00", "").strip()[:200]
    if previous:
        note = f"{note} (index {previous.get('index')})".strip()
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.REOPENED, user=user, note=note
    )
    return locked


def neutralise_formula(text: str) -> str:
    """Prefix cells a spreadsheet would run as a formula, so an export cannot carry one."""
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def answers_export_csv(*, assessment: Assessment, answers: dict[int, Answer]) -> str:
    """The answers as CSV text: criterion_key, answer, comment, and the statement to read."""
    structure = model_version_structure(version=assessment.model_version)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*CSV_COLUMNS, "statement"])
    for criterion in structure.criteria:
        answer = answers.get(criterion.pk)
        writer.writerow(
            [
                criterion.key,
                answer.value if answer else "",
                neutralise_formula(answer.comment if answer else ""),
                neutralise_formula(criterion.statement),
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _csv_comment(text: str) -> str:
    # Undo the export's formula guard so a round trip gives back the comment as typed.
    text = text.replace("\x00", "")  # PostgreSQL cannot store NUL in text
    if text.startswith("'") and len(text) > 1 and text[1] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def answers_parse_csv(
    *, assessment: Assessment, content: bytes
) -> list[tuple[Criterion, str, str]]:
    """Check a whole CSV file; return its rows, or raise CsvImportError naming every bad row."""
    if not content.strip():
        raise CsvImportError([_("The file is empty.")])
    if len(content) > CSV_MAX_BYTES:
        raise CsvImportError([_("The file is larger than 1 MB.")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportError(
            [_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")]
        ) from None
    if not text.strip():
        raise CsvImportError([_("The file is empty.")])
    # Sniff only the delimiter (Excel nl-BE writes ";"); the rest stays Excel's dialect, since a
    # sniffed header without quotes turns off doubled quotes and mangles comments with a '"'.
    try:
        delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
    try:
        return _csv_rows(assessment=assessment, reader=reader)
    except csv.Error:
        # The only error the lenient excel dialect raises: a cell over csv.field_size_limit().
        raise CsvImportError(
            [
                _("Row %(row)d: the comment is longer than %(max)d characters.")
                % {"row": reader.line_num, "max": COMMENT_MAX_LENGTH}
            ]
        ) from None


def _csv_rows(*, assessment: Assessment, reader) -> list[tuple[Criterion, str, str]]:
    header = [column.strip().lower() for column in next(reader, [])]
    if header[:3] != list(CSV_COLUMNS):
        raise CsvImportError(
            [_("The first row must be the column names: criterion_key,answer,comment.")]
        )
    criteria = model_version_structure(version=assessment.model_version).criteria_by_key
    allowed = {choice.value for choice in AnswerValue}
    problems: list[str] = []
    rows: list[tuple[Criterion, str, str]] = []
    seen: set[str] = set()
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        key = row[0].strip() if row else ""
        value = row[1].strip().lower() if len(row) > 1 else ""
        comment = _csv_comment(row[2].strip()) if len(row) > 2 else ""
        if key not in criteria:
            problems.append(
                _("Row %(row)d: “%(key)s” is not a criterion of this questionnaire.")
                % {"row": line_number, "key": key[:80]}
            )
            continue
        if key in seen:
            problems.append(
                _("Row %(row)d: “%(key)s” appears more than once.")
                % {"row": line_number, "key": key}
            )
            continue
        seen.add(key)
        if value not in allowed and value != "":
            problems.append(
                _("Row %(row)d: “%(value)s” is not a valid answer (use 0, 1, 2, 3, 4, dk or na).")
                % {"row": line_number, "value": value[:20]}
            )
            continue
        if len(comment) > COMMENT_MAX_LENGTH:
            problems.append(
                _("Row %(row)d: the comment is longer than %(max)d characters.")
                % {"row": line_number, "max": COMMENT_MAX_LENGTH}
            )
            continue
        rows.append((criteria[key], value, comment))
    if problems:
        raise CsvImportError(problems)
    if not rows:
        raise CsvImportError([_("The file has no answers.")])
    return rows


@transaction.atomic
def answers_import_csv(*, assessment: Assessment, user, content: bytes) -> int:
    """Replace answers from a checked CSV file; returns how many answers changed."""
    rows = answers_parse_csv(assessment=assessment, content=content)
    _lock_draft(assessment)
    current = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment)}
    inputs = [
        AnswerInput(
            criterion=criterion,
            value=value,
            comment=comment,
            loaded_revision=current[criterion.pk].revision if criterion.pk in current else 0,
        )
        for criterion, value, comment in rows
    ]
    outcome = answers_save(assessment=assessment, user=user, answers=inputs, source="csv")
    if outcome.changed:
        AssessmentEvent.objects.create(
            assessment=assessment,
            kind=AssessmentEvent.Kind.IMPORTED,
            user=user,
            note=str(len(outcome.changed)),
        )
    return len(outcome.changed)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, invited_by, email: str, role: str, accept_url: str
) -> Invitation:
    """Invite a colleague by e-mail with a one-time link that expires after seven days."""
    invitation = Invitation(
        organisation=organisation, email=email.strip().lower(), role=role, invited_by=invited_by
    )
    invitation.full_clean()
    invitation.save()
    link = accept_url.replace("TOKEN", invitation.token)
    send_mail(
        subject=_("Invitation to Groeipad for %(organisation)s") % {"organisation": organisation},
        message=_(
            "%(name)s invites you to work on the social-media growth path of %(organisation)s "
            "in Groeipad, as %(role)s.\n\nAccept the invitation (valid for seven days, once):\n"
            "%(link)s\n"
        )
        % {
            "name": invited_by.get_full_name() or invited_by.get_username(),
            "organisation": organisation,
            "role": invitation.get_role_display().lower(),
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Turn a usable invitation into a membership; the link cannot be used again."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise PermissionError
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=locked.organisation, defaults={"role": locked.role}
    )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save()
    return membership


def user_create_for_invitation(*, invitation: Invitation, username: str, password: str, name: str):
    """A new account for someone who accepts an invitation."""
    first, _space, last = name.strip().partition(" ")
    return get_user_model().objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first,
        last_name=last,
    )


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by) -> None:
    """Remove a member; an organisation always keeps at least one organisation admin."""
    if membership.role == Membership.Role.ADMIN:
        admins = Membership.objects.filter(
            organisation=membership.organisation, role=Membership.Role.ADMIN
        ).count()
        if admins <= 1:
            raise PermissionError
    membership.delete()
