"""The action plan as CSV for a spreadsheet and as an iCalendar file of due dates (RFC 5545)."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from actions.models import Action
from assessments.spreadsheet import csv_date, csv_text
from maturity.models import Criterion

# The column names, in the reader's language.
CSV_COLUMNS = (
    pgettext_lazy("CSV column", "Title"),
    pgettext_lazy("CSV column", "Criterion"),
    pgettext_lazy("CSV column", "Owner"),
    pgettext_lazy("CSV column", "Due date"),
    pgettext_lazy("CSV column", "Status"),
    pgettext_lazy("CSV column", "Notes"),
)
# RFC 5545 §3.1: content lines are folded at 75 octets, continued with CRLF and one space.
_LINE_OCTETS = 75


def _criterion_text(action: Action, criteria: Mapping[str, Criterion]) -> str:
    """The statement of the action's criterion; the key of one no longer in the model."""
    criterion = criteria.get(action.criterion_key)
    return criterion.statement if criterion is not None else action.criterion_key


def actions_export_csv(*, actions: list[Action], criteria: Mapping[str, Criterion]) -> str:
    """The actions as CSV in the reader's language (`assessments.spreadsheet`): statements
    rather than keys, status words, dates as the language writes them."""
    rows = [
        (
            action.title,
            _criterion_text(action, criteria),
            action.owner_label,
            csv_date(action.due_date),
            action.get_status_display(),
            action.notes,
        )
        for action in actions
    ]
    return csv_text([CSV_COLUMNS, *rows])


def _escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """One content line folded into pieces of at most 75 octets, never inside a character."""
    pieces, current, size = [], "", 0
    for character in line:
        width = len(character.encode("utf-8"))
        limit = _LINE_OCTETS if not pieces else _LINE_OCTETS - 1  # continuation starts with " "
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def actions_export_ical(
    *,
    actions: list[Action],
    calendar_name: str,
    host: str,
    criteria: Mapping[str, Criterion] | None = None,
) -> str:
    """The due dates of the actions as all-day events of one calendar, CRLF line ends.

    The description says, in the reader's language, who owns it, by when, its criterion's
    statement and its notes.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Groeipad//Action plan//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape_text(calendar_name)}",
    ]
    for action in actions:
        parts = (
            action.owner_label,
            _("due %(date)s") % {"date": date_format(action.due_date)},
            _criterion_text(action, criteria or {}),
            action.notes,
        )
        description = "\n".join(part for part in parts if part)
        lines += [
            "BEGIN:VEVENT",
            f"UID:action-{action.pk}@{host}",
            f"DTSTAMP:{_utc_stamp(action.changed_at)}",
            f"DTSTART;VALUE=DATE:{action.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{action.due_date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape_text(action.title)}",
            f"DESCRIPTION:{_escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
