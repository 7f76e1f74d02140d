"""CSV files as a spreadsheet in the reader's language opens them: Excel with Belgian settings.

A Dutch file starts with a UTF-8 byte order mark (without it Excel reads "financiën" as
Windows-1252) and separates cells with ";" (Excel nl-BE splits on ";", whatever the quoting);
an English one uses ",". Every cell is quoted, so a spreadsheet reads each as text, and a cell
that a spreadsheet would run as a formula is neutralised.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import date

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import get_language

BOM = "\ufeff"

# A cell, or a part of it after a ";" or ",", that a spreadsheet would run as a formula: Excel
# with nl-BE settings splits a CSV line on ";" whatever the quoting says.
_FORMULA_START = re.compile(r"(^|[;,])(?=[=+\-@\t\r])")
_NEUTRALISED_START = re.compile(r"(^|[;,])'(?=[=+\-@\t\r])")


def neutralise_formula(text: str) -> str:
    """Prefix with ' every part of a cell that a spreadsheet would run as a formula.

    A part is the cell's start and whatever follows a ";" or ",": Excel with Belgian or Dutch
    settings splits on ";" even inside quotes, so "Zie nota;=1+1" would open as two cells.
    """
    return _FORMULA_START.sub(r"\1'", text)


def restore_formula(text: str) -> str:
    """Undo neutralise_formula, so a round trip gives back the text as typed."""
    return _NEUTRALISED_START.sub(r"\1", text)


def csv_delimiter(language: str | None = None) -> str:
    """A semicolon for Dutch, a comma for any other language (the active one if none given)."""
    return ";" if (language or get_language() or "").startswith("nl") else ","


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    """The rows as CSV text in the active language's dialect, with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(), quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([neutralise_formula(str(cell)) for cell in row])
    return BOM + buffer.getvalue()


def csv_date(value: date | None) -> str:
    """A date as the reader's language writes it short ("27-11-2026", "11/27/2026")."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def csv_response(content: str, filename: str) -> HttpResponse:
    """A CSV download."""
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
