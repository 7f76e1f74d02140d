"""Answers as CSV: export for a spreadsheet, and an all-or-nothing import back into a draft."""

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, AssessmentEvent
from assessments.services.assessments import (
    COMMENT_MAX_LENGTH,
    AnswerInput,
    answer_set_lock,
    answers_save,
)
from assessments.spreadsheet import csv_delimiter, csv_text, restore_formula
from maturity.models import AnswerValue, Criterion
from maturity.selectors import model_version_structure

CSV_MAX_BYTES = 1024 * 1024
ANSWER_VALUES = frozenset(AnswerValue.values)
CSV_COLUMNS = ("criterion_key", "answer", "comment")
# The same columns by their Dutch names: a file whose header someone translated imports too.
CSV_COLUMNS_NL = ("criterium", "antwoord", "opmerking")
# Read-only columns after them: the statement, and the answer's evidence (count, file names).
EVIDENCE_COLUMNS = ("statement", "evidence", "evidence_files")
EVIDENCE_COLUMNS_NL = ("stelling", "bewijs", "bewijsbestanden")
# More rows than any questionnaire has criteria (with room for blank lines); a bound on the work.
CSV_MAX_ROWS = 5000
# A file with thousands of bad rows is answered with the first ones; the rest say nothing new.
CSV_MAX_PROBLEMS = 20


class ImportOutdatedError(Exception):
    """An answer of the file changed since its preview was shown: nothing was imported."""


@dataclass(frozen=True)
class ImportChange:
    """One answer an import would change: now and after, and who last changed it when."""

    criterion: Criterion
    current_value: str
    current_comment: str
    new_value: str
    new_comment: str
    changed_by: str
    changed_at: datetime | None
    # The current answer changed after the user's export: the file may undo newer work.
    after_export: bool

    @property
    def current_label(self) -> str:
        return str(AnswerValue(self.current_value).label) if self.current_value else ""

    @property
    def new_label(self) -> str:
        return str(AnswerValue(self.new_value).label) if self.new_value else ""


@dataclass(frozen=True)
class ImportPreview:
    """What an import would change, and every row's current revision to confirm it against."""

    changes: list[ImportChange]
    revisions: dict[str, int]


class CsvImportError(Exception):
    """A CSV file that was refused whole; `problems` names each bad row and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def answers_export_csv(
    *,
    assessment: Assessment,
    answers: dict[int, Answer],
    evidence: Mapping[int, Sequence] | None = None,
) -> str:
    """The answers as CSV in the reader's language: criterion key, answer, comment, the
    statement to read, and the evidence (how many pieces, the files' names); Dutch column names
    and ";" in Dutch (`assessments.spreadsheet`, whose formula guard covers every cell, file
    names too). The import reads the first three columns only."""
    structure = model_version_structure(version=assessment.model_version)
    dutch = csv_delimiter() == ";"
    header = [*CSV_COLUMNS_NL, *EVIDENCE_COLUMNS_NL] if dutch else [*CSV_COLUMNS, *EVIDENCE_COLUMNS]
    evidence = evidence or {}
    rows = [
        (
            criterion.key,
            answer.value if (answer := answers.get(criterion.pk)) else "",
            answer.comment if answer else "",
            criterion.statement,
            len(items := evidence.get(criterion.pk, ())),
            "; ".join(item.filename for item in items if item.filename),
        )
        for criterion in structure.criteria
    ]
    return csv_text([header, *rows])


def _csv_delimiter(text: str) -> str:
    """The delimiter of the header line: Excel nl-BE writes ";", everything else ",".

    The header is ``criterion_key,answer,comment`` (or the Dutch names) by definition, so
    counting is enough; unlike csv.Sniffer, whose regular expressions backtrack for minutes on
    a line like ',"' * 50000.
    """
    header = text.partition("\n")[0]
    return ";" if header.count(";") > header.count(",") else ","


def _csv_text_problem(text: str) -> str | None:
    """What makes the text unreadable as CSV rows: a NUL character, or a lone CR."""
    if "\x00" in text:
        return _("Row %(row)d contains a NUL character; this is not a text file.") % {
            "row": text.count("\n", 0, text.index("\x00")) + 1
        }
    return None


def _csv_error_problem(error: csv.Error, line_number: int) -> str:
    """An honest sentence for what the csv reader refused."""
    if "new-line" in str(error):
        return _(
            "Row %(row)d contains a lone carriage return (CR) outside quotes. Save the file "
            "again as “CSV UTF-8” and try again."
        ) % {"row": line_number}
    # The one other error the lenient excel dialect raises: a cell over csv.field_size_limit().
    return _("Row %(row)d: the comment is longer than %(max)d characters.") % {
        "row": line_number,
        "max": COMMENT_MAX_LENGTH,
    }


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
    if (problem := _csv_text_problem(text)) is not None:
        raise CsvImportError([problem])
    # Only the delimiter is decided; the rest stays Excel's dialect, with doubled quotes.
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=_csv_delimiter(text))
    try:
        return _csv_rows(assessment=assessment, reader=reader)
    except csv.Error as error:
        raise CsvImportError([_csv_error_problem(error, reader.line_num)]) from None


def _check_header(reader) -> None:
    header = [column.strip().lower() for column in next(reader, [])]
    if tuple(header[:3]) not in (CSV_COLUMNS, CSV_COLUMNS_NL):
        raise CsvImportError(
            [
                _(
                    "The first row must be the column names: criterion_key,answer,comment "
                    "(or in Dutch: criterium,antwoord,opmerking)."
                )
            ]
        )


def _row_problem(*, line_number: int, key: str, value: str, comment: str, criteria, seen) -> str:
    """Why one row cannot be imported, or "" when it can."""
    if key not in criteria:
        return _("Row %(row)d: “%(key)s” is not a criterion of this questionnaire.") % {
            "row": line_number,
            "key": key[:80],
        }
    if key in seen:
        return _("Row %(row)d: “%(key)s” appears more than once.") % {
            "row": line_number,
            "key": key,
        }
    if value not in ANSWER_VALUES and value != "":
        return _(
            "Row %(row)d: “%(value)s” is not a valid answer (use 0, 1, 2, 3, 4, dk or na)."
        ) % {"row": line_number, "value": value[:20]}
    if len(comment) > COMMENT_MAX_LENGTH:
        return _("Row %(row)d: the comment is longer than %(max)d characters.") % {
            "row": line_number,
            "max": COMMENT_MAX_LENGTH,
        }
    return ""


def _csv_rows(*, assessment: Assessment, reader) -> list[tuple[Criterion, str, str]]:
    _check_header(reader)
    criteria = model_version_structure(version=assessment.model_version).criteria_by_key
    problems: list[str] = []
    rows: list[tuple[Criterion, str, str]] = []
    seen: set[str] = set()
    for line_number, row in enumerate(reader, start=2):
        if line_number > CSV_MAX_ROWS:
            raise CsvImportError(
                [_("The file has more than %(max)d rows.") % {"max": CSV_MAX_ROWS}]
            )
        if len(problems) >= CSV_MAX_PROBLEMS:
            problems.append(
                _("Only the first %(count)d problems are listed.") % {"count": CSV_MAX_PROBLEMS}
            )
            break
        if not any(cell.strip() for cell in row):
            continue
        key = restore_formula(row[0].strip()) if row else ""
        value = restore_formula(row[1].strip()).lower() if len(row) > 1 else ""
        comment = restore_formula(row[2].strip()).strip() if len(row) > 2 else ""
        problem = _row_problem(
            line_number=line_number,
            key=key,
            value=value,
            comment=comment,
            criteria=criteria,
            seen=seen,
        )
        if key in criteria:
            seen.add(key)  # a later row with this key is a duplicate, even if this one is wrong
        if problem:
            problems.append(problem)
            continue
        rows.append((criteria[key], value, comment))
    if problems:
        raise CsvImportError(problems)
    if not rows:
        raise CsvImportError([_("The file has no answers.")])
    return rows


def answers_preview_csv(
    *, assessment: Assessment, perspective_id: int, content: bytes, exported_at: datetime | None
) -> ImportPreview:
    """Check a CSV file and say what importing it into a perspective would change.

    Raises CsvImportError.
    """
    rows = answers_parse_csv(assessment=assessment, content=content)
    current = {
        a.criterion_id: a
        for a in Answer.objects.filter(perspective_id=perspective_id).select_related("updated_by")
    }
    changes, revisions = [], {}
    for criterion, value, comment in rows:
        answer = current.get(criterion.pk)
        revisions[criterion.key] = answer.revision if answer else 0
        old_value, old_comment = (answer.value, answer.comment) if answer else ("", "")
        if (old_value, old_comment) == (value, comment):
            continue
        who = answer.updated_by if answer else None
        changes.append(
            ImportChange(
                criterion=criterion,
                current_value=old_value,
                current_comment=old_comment,
                new_value=value,
                new_comment=comment,
                changed_by=(who.get_full_name() or who.username) if who else "",
                changed_at=answer.updated_at if answer else None,
                after_export=bool(answer and exported_at and answer.updated_at > exported_at),
            )
        )
    return ImportPreview(changes=changes, revisions=revisions)


@transaction.atomic
def answers_import_csv(
    *,
    assessment: Assessment,
    user,
    content: bytes,
    expected_revisions: dict[str, int] | None = None,
    perspective_id: int | None = None,
) -> int:
    """Replace a perspective's answers from a checked CSV file; returns how many changed.

    With ``expected_revisions`` (from the preview the user confirmed) the import is refused whole
    (ImportOutdatedError) when any answer of the file changed since: they did not see that change.
    """
    rows = answers_parse_csv(assessment=assessment, content=content)
    perspective = answer_set_lock(assessment=assessment, user=user, perspective_id=perspective_id)
    current = {
        a.criterion_id: a.revision for a in Answer.objects.filter(perspective_id=perspective.id)
    }
    revisions = {criterion.key: current.get(criterion.pk, 0) for criterion, _v, _c in rows}
    if expected_revisions is not None and revisions != expected_revisions:
        raise ImportOutdatedError
    inputs = [
        AnswerInput(
            criterion=criterion,
            value=value,
            comment=comment,
            loaded_revision=revisions[criterion.key],
        )
        for criterion, value, comment in rows
    ]
    outcome = answers_save(
        assessment=assessment,
        user=user,
        answers=inputs,
        source="csv",
        perspective_id=perspective.id,
    )
    if outcome.conflicts:  # the assessment is locked, so only a bug gets here: all or nothing
        raise ImportOutdatedError
    if outcome.changed:
        AssessmentEvent.objects.create(
            assessment=assessment,
            kind=AssessmentEvent.Kind.IMPORTED,
            user=user,
            note=str(len(outcome.changed)),
        )
    return len(outcome.changed)
