"""What attack testing found in the CSV import and export (issue 13, points 1, 4 and 8).

A file built to make the parser backtrack is refused at once; an export cannot carry a formula
into a spreadsheet that splits on ";" (Excel nl-BE) or ","; a NUL or a lone CR is named as such.
"""

import csv
import io
import random
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.models import Answer
from assessments.perspective_selectors import perspective_answers
from assessments.services import (
    CSV_MAX_BYTES,
    AnswerInput,
    CsvImportError,
    answers_export_csv,
    answers_import_csv,
    answers_parse_csv,
    answers_save,
    neutralise_formula,
)
from assessments.services.answer_csv import restore_formula
from maturity.selectors import model_version_structure
from tests.csv_formulas import HOSTILE_TEXTS, csv_formula_parts, formula_parts
from tests.csv_import import import_csv

pytestmark = pytest.mark.django_db

# A bad-input regression bound, not a performance target: the sniffer took over 30 s.
FAST_ENOUGH_SECONDS = 1.0
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def random_quotes_and_separators(size: int) -> bytes:
    chooser = random.Random(13)
    alphabet = '"",,;;\n x1'
    header = b"criterion_key,answer,comment\n"
    return header + "".join(chooser.choices(alphabet, k=size - len(header))).encode()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param((',"' * 50_000 + "\nx,1,\n").encode(), id="sniffer-backtracking"),
        pytest.param((';"' * 50_000 + "\nx;1;\n").encode(), id="sniffer-backtracking-semicolon"),
        pytest.param(random_quotes_and_separators(CSV_MAX_BYTES), id="1-MB-random"),
    ],
)
def test_a_pathological_csv_is_refused_with_a_clear_error_at_once(draft, content):
    started = time.perf_counter()
    with pytest.raises(CsvImportError) as refused:
        answers_parse_csv(assessment=draft, content=content)
    elapsed = time.perf_counter() - started

    assert elapsed < FAST_ENOUGH_SECONDS
    assert refused.value.problems
    assert len(refused.value.problems) <= 21  # the first problems, and that there are more


def test_a_csv_with_more_rows_than_allowed_is_refused(draft):
    content = b"criterion_key,answer,comment\n" + b",,\n" * 6000

    with translation.override("en"), pytest.raises(CsvImportError) as refused:
        answers_parse_csv(assessment=draft, content=content)

    assert refused.value.problems == ["The file has more than 5000 rows."]


# --- export: formulas in every part of every cell ---------------------------------------------


def save_comment(people, assessment, comment: str):
    criterion = model_version_structure(version=assessment.model_version).criteria[0]
    answers_save(
        assessment=assessment,
        user=people.respondent,
        answers=[AnswerInput(criterion=criterion, value="3", comment=comment, loaded_revision=0)],
    )
    return criterion


def exported_rows(exported: str) -> list[list[str]]:
    """The export's rows, read with the separator it was written with (";" in Dutch, "," in
    English: the reader's language decides)."""
    text = exported.lstrip("\ufeff")
    delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,").delimiter
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def cells_as_excel_splits_them(exported: str, delimiter: str) -> list[str]:
    """Every cell as a spreadsheet that splits on ``delimiter`` (even inside quotes) sees it."""
    cells = []
    for row in exported_rows(exported):
        for cell in row:
            cells.extend(cell.split(delimiter))
    return cells


COMMENTS = [*HOSTILE_TEXTS, "gewoon; tekst, met - streepjes"]


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("comment", COMMENTS)
def test_no_part_of_an_exported_cell_starts_a_formula(people, draft, comment, delimiter):
    save_comment(people, draft, comment)

    exported = answers_export_csv(
        assessment=draft, answers=perspective_answers(perspective_id=draft.perspectives.get().pk)
    )

    for cell in cells_as_excel_splits_them(exported, delimiter):
        assert not cell.startswith(FORMULA_STARTS), cell
    assert csv_formula_parts(exported) == []


# Text as people type it, with every character that starts or separates a formula.
typed_text = st.text(alphabet=st.sampled_from("=+-@\t\r\n;, \u00a0'ab1"), max_size=30)


@hypothesis_settings(max_examples=500, deadline=None)
@given(text=typed_text)
def test_no_part_of_a_neutralised_text_is_a_formula(text):
    assert formula_parts(neutralise_formula(text)) == []


@hypothesis_settings(max_examples=500, deadline=None)
@given(text=typed_text)
def test_restore_undoes_neutralise(text):
    # The known edge: a part typed as "'=…" cannot be told from a neutralised "=…".
    assume(not re.search(r"(^|[;,\r\n])'[^\S\r\n]*[=+\-@\t\r]", text))
    assert restore_formula(neutralise_formula(text)) == text


def test_every_exported_field_is_quoted(people, draft):
    save_comment(people, draft, "Zie nota")

    exported = answers_export_csv(
        assessment=draft, answers=perspective_answers(perspective_id=draft.perspectives.get().pk)
    )

    for line in exported.lstrip("\ufeff").splitlines():
        assert line.startswith('"') and line.endswith('"'), line


def as_saved_again(exported: str, delimiter: str) -> bytes:
    """The export as a spreadsheet saves it again: the same cells, separated by ``delimiter``
    (";" as Excel nl-BE does, "," as Excel en does)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(exported_rows(exported))
    return buffer.getvalue().encode()


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("comment", COMMENTS)
def test_a_round_trip_gives_back_the_comment_as_typed(people, draft, comment, delimiter):
    save_comment(people, draft, comment)
    exported = answers_export_csv(
        assessment=draft, answers=perspective_answers(perspective_id=draft.perspectives.get().pk)
    )
    content = as_saved_again(exported, delimiter)
    Answer.objects.filter(assessment=draft).update(comment="iets anders")

    answers_import_csv(assessment=draft, user=people.respondent, content=content)

    assert Answer.objects.get(assessment=draft).comment == comment.strip()


# --- honest messages for a NUL or a lone CR ---------------------------------------------------


def upload(user, assessment, content: bytes):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return import_csv(client, assessment, content)


def first_key(assessment) -> str:
    return model_version_structure(version=assessment.model_version).criteria[0].key


def test_a_lone_cr_in_an_imported_csv_is_named(people, draft):
    content = f"criterion_key,answer,comment\n{first_key(draft)},3,een\rtwee\n".encode()

    response = upload(people.respondent, draft, content)

    assert response.status_code == 400
    (problem,) = response.context["problems"]
    assert "carriage return (CR)" in problem
    assert "longer than" not in problem
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_nul_in_an_imported_csv_is_named(people, draft):
    content = f"criterion_key,answer,comment\n{first_key(draft)},3,een\x00twee\n".encode()

    response = upload(people.respondent, draft, content)

    assert response.status_code == 400
    assert response.context["problems"] == [
        "Row 2 contains a NUL character; this is not a text file."
    ]
    assert not Answer.objects.filter(assessment=draft).exists()
