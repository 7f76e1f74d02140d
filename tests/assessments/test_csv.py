"""Answers as CSV: export for spreadsheets, import checked whole before anything is written."""

import codecs
import csv
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent
from assessments.perspective_selectors import perspective_answers
from assessments.services import (
    AnswerInput,
    CsvImportError,
    answers_export_csv,
    answers_import_csv,
    answers_parse_csv,
    answers_save,
    neutralise_formula,
)
from maturity.selectors import model_version_structure
from tests.csv_import import import_csv
from tests.test_translations import english_words

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://example.org/phish","Klik hier")'


@pytest.fixture
def respondent_client(people) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.respondent)
    return client


def criteria_of(assessment: Assessment):
    return model_version_structure(version=assessment.model_version).criteria


def export(client: Client, assessment: Assessment):
    return client.get(reverse("assessments:answers_csv", args=[assessment.pk]))


def export_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def upload(client: Client, assessment: Assessment, content: bytes):
    """Upload and confirm (the preview is tested apart)."""
    return import_csv(client, assessment, content, name="antwoorden.csv")


def answers_snapshot(assessment: Assessment) -> list[tuple]:
    return list(
        Answer.objects.filter(assessment=assessment)
        .order_by("criterion_id")
        .values_list("criterion_id", "value", "comment", "revision")
    )


def csv_bytes(rows: list[str], header: str = "criterion_key,answer,comment") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def keys(draft) -> list[str]:
    return [c.key for c in criteria_of(draft)]


@pytest.fixture
def half_answered(people, draft) -> Assessment:
    """A draft with its first three criteria answered, one with a formula-like comment."""
    first, second, third = criteria_of(draft)[:3]
    answers_save(
        assessment=draft,
        user=people.respondent,
        answers=[
            AnswerInput(criterion=first, value="1", comment=HYPERLINK, loaded_revision=0),
            AnswerInput(criterion=second, value="dk", comment="Vraag aan IT", loaded_revision=0),
            AnswerInput(criterion=third, value="4", comment="-5 % budget", loaded_revision=0),
        ],
    )
    return draft


# --- export -----------------------------------------------------------------------------------


def test_export_starts_with_utf8_bom(respondent_client, half_answered):
    response = export(respondent_client, half_answered)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)


def test_export_is_an_attachment(respondent_client, half_answered):
    response = export(respondent_client, half_answered)

    assert response["Content-Disposition"].startswith("attachment;")


def test_export_has_header_and_one_row_per_criterion(respondent_client, half_answered):
    rows = export_rows(export(respondent_client, half_answered))

    assert rows[0] == [
        "criterion_key",
        "answer",
        "comment",
        "statement",
        "evidence",
        "evidence_files",
    ]
    assert [row[0] for row in rows[1:]] == [c.key for c in criteria_of(half_answered)]


def test_export_holds_answers_and_blank_for_unanswered(respondent_client, half_answered):
    rows = export_rows(export(respondent_client, half_answered))

    assert [row[1] for row in rows[1:4]] == ["1", "dk", "4"]
    assert {row[1] for row in rows[4:]} == {""}


def test_export_neutralises_formulas(respondent_client, half_answered):
    rows = export_rows(export(respondent_client, half_answered))

    assert rows[1][2] == "'" + HYPERLINK
    assert rows[3][2] == "'-5 % budget"
    assert rows[2][2] == "Vraag aan IT"


@pytest.mark.parametrize("text", ["=1+1", "+31 2", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_formula_prefixes_dangerous_cells(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["", "gewone tekst", "'=al veilig", "1=1"])
def test_neutralise_formula_leaves_plain_text(text):
    assert neutralise_formula(text) == text


def test_viewer_can_download_answers(client_for, people, half_answered):
    client = client_for(people.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English file: "," and headers

    response = export(client, half_answered)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = export_rows(response)
    # the same answers and comments the respondent saved, neutralised, one row per criterion
    assert rows[0] == [
        "criterion_key",
        "answer",
        "comment",
        "statement",
        "evidence",
        "evidence_files",
    ]
    assert [row[0] for row in rows[1:]] == [c.key for c in criteria_of(half_answered)]
    assert [row[1:3] for row in rows[1:4]] == [
        ["1", "'" + HYPERLINK],
        ["dk", "Vraag aan IT"],
        ["4", "'-5 % budget"],
    ]
    assert {row[1] for row in rows[4:]} == {""}


# --- import: accepted files -------------------------------------------------------------------


def test_import_updates_answers_and_says_how_many_changed(respondent_client, people, draft, keys):
    content = csv_bytes([f"{keys[0]},3,Goed bezig", f"{keys[1]},na,", f"{keys[2]},0,"])

    response = upload(respondent_client, draft, content)

    assert response.status_code == 302
    assert response.url == reverse("assessments:review", args=[draft.pk])
    stored = {a.criterion.key: (a.value, a.comment) for a in draft.answers.all()}
    assert stored == {keys[0]: ("3", "Goed bezig"), keys[1]: ("na", ""), keys[2]: ("0", "")}
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The file was imported: 3 answers changed."]


def test_import_is_audited_as_csv(respondent_client, people, draft, keys):
    upload(respondent_client, draft, csv_bytes([f"{keys[0]},3,"]))

    change = AnswerChange.objects.get(assessment=draft)
    assert (change.old_value, change.new_value, change.source) == ("", "3", "csv")
    event = draft.events.get(kind=AssessmentEvent.Kind.IMPORTED)
    assert (event.user, event.note) == (people.respondent, "1")


def test_import_accepts_uppercase_values_and_spaces(respondent_client, draft, keys):
    upload(respondent_client, draft, csv_bytes([f" {keys[0]} , DK ,  "]))

    assert draft.answers.get().value == "dk"


def test_import_accepts_semicolons_from_excel(respondent_client, draft, keys):
    content = (
        codecs.BOM_UTF8
        + (f"criterion_key;answer;comment\r\n{keys[0]};2;Één idee\r\n{keys[1]};4;\r\n").encode()
    )

    response = upload(respondent_client, draft, content)

    assert response.status_code == 302
    stored = {a.criterion.key: (a.value, a.comment) for a in draft.answers.all()}
    assert stored == {keys[0]: ("2", "Één idee"), keys[1]: ("4", "")}


def test_import_accepts_quoted_semicolon_comment(respondent_client, draft, keys):
    content = f'criterion_key;answer;comment\n{keys[0]};2;"Één idee; nog één"\n'.encode()

    upload(respondent_client, draft, content)

    assert draft.answers.get().comment == "Één idee; nog één"


def test_round_trip_changes_nothing(respondent_client, half_answered):
    before = answers_snapshot(half_answered)
    exported = export(respondent_client, half_answered).content

    response = upload(respondent_client, half_answered, exported)

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The file was imported: 0 answers changed."]
    assert answers_snapshot(half_answered) == before


def test_import_keeps_doubled_quotes_in_comments(respondent_client, draft, keys):
    content = csv_bytes([f'{keys[0]},2,"Zie ""plan 2026"", p. 3"'])

    upload(respondent_client, draft, content)

    assert draft.answers.get().comment == 'Zie "plan 2026", p. 3'


def test_round_trip_service_reports_zero_changes(people, half_answered):
    content = answers_export_csv(
        assessment=half_answered,
        answers=perspective_answers(perspective_id=half_answered.perspectives.get().pk),
    ).encode("utf-8")

    changed = answers_import_csv(assessment=half_answered, user=people.respondent, content=content)

    assert changed == 0
    assert not half_answered.events.filter(kind=AssessmentEvent.Kind.IMPORTED).exists()


# --- import: refused files --------------------------------------------------------------------


def assert_refused(response, draft, before, *expected_fragments):
    assert response.status_code == 400
    assert answers_snapshot(draft) == before
    problems = response.context["problems"]
    for fragment in expected_fragments:
        assert any(fragment in problem for problem in problems), problems
    return problems


def test_unknown_key_is_refused_naming_the_row(respondent_client, half_answered, keys):
    before = answers_snapshot(half_answered)
    content = csv_bytes([f"{keys[5]},3,", "bestaat-niet,2,", f"{keys[6]},1,"])

    response = upload(respondent_client, half_answered, content)

    assert_refused(response, half_answered, before, "Row 3", "bestaat-niet")
    assert 'id="import-problems"' in response.content.decode()


@pytest.mark.parametrize("value", ["5", "-1", "ja", "2.5", "x"])
def test_value_off_the_scale_is_refused_naming_the_row(
    respondent_client, half_answered, keys, value
):
    before = answers_snapshot(half_answered)
    content = csv_bytes([f"{keys[5]},3,", f"{keys[6]},{value},"])

    response = upload(respondent_client, half_answered, content)

    assert_refused(response, half_answered, before, "Row 3", f"“{value}” is not a valid answer")


def test_duplicate_key_is_refused_naming_the_row(respondent_client, half_answered, keys):
    before = answers_snapshot(half_answered)
    content = csv_bytes([f"{keys[5]},3,", f"{keys[6]},1,", f"{keys[5]},4,"])

    response = upload(respondent_client, half_answered, content)

    assert_refused(response, half_answered, before, "Row 4", "more than once")


def test_every_bad_row_is_named(respondent_client, half_answered, keys):
    before = answers_snapshot(half_answered)
    content = csv_bytes(["onbekend,3,", f"{keys[6]},9,", f"{keys[7]},2,"])

    response = upload(respondent_client, half_answered, content)

    problems = assert_refused(response, half_answered, before, "Row 2", "Row 3")
    assert len(problems) == 2


def test_latin1_file_is_refused(respondent_client, half_answered, keys):
    before = answers_snapshot(half_answered)
    content = f"criterion_key,answer,comment\n{keys[5]},3,Café één\n".encode("latin-1")

    response = upload(respondent_client, half_answered, content)

    assert_refused(response, half_answered, before, "not UTF-8")


def test_empty_file_is_refused(respondent_client, half_answered):
    before = answers_snapshot(half_answered)

    response = upload(respondent_client, half_answered, b"")

    assert response.status_code == 400
    assert answers_snapshot(half_answered) == before
    assert response.context["form"].errors["file"]


def test_blank_file_is_refused(respondent_client, half_answered):
    before = answers_snapshot(half_answered)

    response = upload(respondent_client, half_answered, b" \r\n \n")

    assert_refused(response, half_answered, before, "The file is empty.")


def test_bom_only_file_is_refused(respondent_client, half_answered):
    before = answers_snapshot(half_answered)

    response = upload(respondent_client, half_answered, codecs.BOM_UTF8)

    assert_refused(response, half_answered, before, "The file is empty.")


def test_header_only_file_is_refused(respondent_client, half_answered):
    before = answers_snapshot(half_answered)

    response = upload(respondent_client, half_answered, csv_bytes([]))

    assert_refused(response, half_answered, before, "no answers")


def test_file_over_one_megabyte_is_refused(respondent_client, half_answered, keys):
    before = answers_snapshot(half_answered)
    filler = [f"{keys[5]},3,{'x' * 1000}"] + [f"# {'y' * 1000}"] * 1100
    content = csv_bytes(filler)
    assert len(content) > 1024 * 1024

    response = upload(respondent_client, half_answered, content)

    assert response.status_code == 400
    assert answers_snapshot(half_answered) == before
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]


def test_service_refuses_file_over_one_megabyte(draft):
    with pytest.raises(CsvImportError) as error:
        answers_parse_csv(assessment=draft, content=b"x" * (1024 * 1024 + 1))

    assert error.value.problems == ["The file is larger than 1 MB."]


@pytest.mark.parametrize(
    "header", ["key,answer,comment", "criterion_key,comment,answer", "criterion_key;answer", "a"]
)
def test_wrong_header_is_refused(respondent_client, half_answered, keys, header):
    before = answers_snapshot(half_answered)

    response = upload(respondent_client, half_answered, csv_bytes([f"{keys[5]},3,"], header))

    assert_refused(response, half_answered, before, "criterion_key,answer,comment")


def test_comment_over_the_limit_is_refused(respondent_client, half_answered, keys):
    before = answers_snapshot(half_answered)

    response = upload(respondent_client, half_answered, csv_bytes([f"{keys[5]},3,{'z' * 2001}"]))

    assert_refused(response, half_answered, before, "Row 2", "longer than 2000")


def test_import_into_submitted_assessment_is_refused(respondent_client, submitted):
    before = answers_snapshot(submitted)
    key = criteria_of(submitted)[0].key

    response = upload(respondent_client, submitted, csv_bytes([f"{key},0,"]))

    assert response.url == reverse("reports:report", args=[submitted.pk])
    assert answers_snapshot(submitted) == before


# --- Dutch column names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "criterium,antwoord,opmerking",
        "Criterium;Antwoord;Opmerking",
        "criterium,antwoord,opmerking,stelling,bewijs,bewijsbestanden",
    ],
)
def test_import_accepts_dutch_column_names(respondent_client, draft, keys, header):
    delimiter = ";" if ";" in header else ","
    content = csv_bytes([f"{keys[0]}{delimiter}3{delimiter}Zie nota"], header)

    response = upload(respondent_client, draft, content)

    assert response.status_code == 302
    answer = draft.answers.get()
    assert (answer.criterion.key, answer.value, answer.comment) == (keys[0], "3", "Zie nota")


def test_round_trip_through_dutch_column_names_is_exact(respondent_client, half_answered):
    before = answers_snapshot(half_answered)
    exported = export(respondent_client, half_answered).content.decode("utf-8-sig")
    assert exported.startswith('"criterion_key","answer","comment"')  # the machine names stay
    translated = exported.replace(
        '"criterion_key","answer","comment"', "criterium,antwoord,opmerking", 1
    )

    response = upload(respondent_client, half_answered, translated.encode("utf-8"))

    assert response.status_code == 302
    assert answers_snapshot(half_answered) == before


def test_the_import_page_explains_the_columns_in_dutch(client_for, people, draft):
    page = client_for(people.respondent).get(reverse("assessments:import", args=[draft.pk]))

    text = page.content.decode()
    assert "De kolommen van het bestand" in text
    assert "<code>criterion_key</code>" in text and "„criterium”" in text
    assert "de kolom answer" not in text


# --- the export in the reader's language --------------------------------------------------------


@pytest.fixture
def dutch_client(people) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
    client.force_login(people.respondent)
    return client


def test_the_dutch_export_has_a_bom_semicolons_and_dutch_column_names(dutch_client, half_answered):
    text = export(dutch_client, half_answered).content.decode("utf-8")

    assert text.startswith(
        '\ufeff"criterium";"antwoord";"opmerking";"stelling";"bewijs";"bewijsbestanden"'
    )
    header = text[1:].splitlines()[0]
    assert not english_words(header.replace(";", " ")), header
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == len(criteria_of(half_answered)) + 1
    assert rows[1][3] == criteria_of(half_answered)[0].statement_nl


def test_the_english_export_keeps_commas_and_the_machine_names(respondent_client, half_answered):
    text = export(respondent_client, half_answered).content.decode("utf-8")

    assert text.startswith('\ufeff"criterion_key","answer","comment","statement"')


def test_a_dutch_export_imports_back_unchanged(dutch_client, half_answered):
    before = answers_snapshot(half_answered)
    exported = export(dutch_client, half_answered).content

    response = upload(dutch_client, half_answered, exported)

    assert response.status_code == 302
    assert answers_snapshot(half_answered) == before


@pytest.mark.parametrize("language", ["nl-be", "en"])
def test_a_file_in_either_language_imports_whatever_the_readers_language(
    people, draft, keys, language
):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(people.respondent)
    dutch = csv_bytes([f"{keys[0]};2;Eén"], "criterium;antwoord;opmerking")
    english = csv_bytes([f"{keys[1]},3,Two"])

    assert upload(client, draft, dutch).status_code == 302
    assert upload(client, draft, english).status_code == 302

    values = dict(draft.answers.values_list("criterion__key", "value"))
    assert values == {keys[0]: "2", keys[1]: "3"}
