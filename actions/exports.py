"""The action plan as CSV for a spreadsheet and as an iCalendar file of due dates (RFC 5545)."""

import csv
import io
from datetime import UTC, datetime, timedelta

from actions.models import Action
from assessments.services import neutralise_formula

CSV_COLUMNS = ("title", "criterion_key", "owner", "due_date", "status", "notes")
# RFC 5545 §3.1: content lines are folded at 75 octets, continued with CRLF and one space.
_LINE_OCTETS = 75


def actions_export_csv(*, actions: list[Action]) -> str:
    """The actions as CSV: every field quoted and safe from spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for action in actions:
        row = (
            action.title,
            action.criterion_key,
            action.owner_label,
            action.due_date.isoformat(),
            action.status,
            action.notes,
        )
        writer.writerow([neutralise_formula(value) for value in row])
    return buffer.getvalue()


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


def actions_export_ical(*, actions: list[Action], calendar_name: str, host: str) -> str:
    """The due dates of the actions as all-day events of one calendar, CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Groeipad//Action plan//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape_text(calendar_name)}",
    ]
    for action in actions:
        description = "\n".join(
            part for part in (action.owner_label, action.criterion_key, action.notes) if part
        )
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
