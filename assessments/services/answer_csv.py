"""Answers as CSV: export for a spreadsheet, and an all-or-nothing import back into a draft."""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, AssessmentEvent
from assessments.services.assessments import (
    COMMENT_MAX_LENGTH,
    AnswerInput,
    answers_save,
    assessment_lock_draft,
)
from maturity.models import AnswerValue, Criterion
from maturity.selectors import model_version_structure

CSV_MAX_BYTES = 1024 * 1024
CSV_COLUMNS = ("criterion_key", "answer", "comment")


class CsvImportError(Exception):
    """A CSV file that was refused whole; `problems` names each bad row and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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
    assessment_lock_draft(assessment=assessment, user=user)
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
