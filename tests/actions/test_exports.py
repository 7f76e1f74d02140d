"""The action plan as CSV and as an iCalendar file."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.exports import actions_export_ical
from actions.services import action_create
from assessments.spreadsheet import BOM, csv_delimiter
from tests.actions.conftest import action_input
from tests.csv_formulas import HOSTILE_TEXTS, csv_formula_parts
from tests.test_translations import english_words

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=csv_delimiter()))


def test_the_dutch_csv_has_a_bom_semicolons_and_dutch_words(client_for, people, criteria):
    client = client_for(people.viewer)
    action = action_create(
        organisation=people.organisation,
        user=people.respondent,
        data=action_input(
            title="Budget financiën",
            criterion_key=criteria[0].key,
            due_date=date(2027, 11, 27),
            status="done",
        ),
    )
    assert action.status == "done"

    response = client.get(reverse("actions:csv"), headers={"accept-language": "nl-be"})

    text = response.content.decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="actieplan.csv"' in response["Content-Disposition"]
    assert text.startswith(BOM + '"Titel";"Criterium";"Eigenaar";"Deadline";"Status";"Notities"')
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[1] == [
        "Budget financiën",
        criteria[0].statement_nl,
        "jeugddienst",
        "27-11-2027",
        "Klaar",
        "",
    ]


def test_the_dutch_csv_headers_and_values_have_no_english_words(client_for, people, criteria):
    action_create(
        organisation=people.organisation,
        user=people.respondent,
        data=action_input(criterion_key=criteria[0].key, status="done", title="Plan"),
    )

    response = client_for(people.viewer).get(
        reverse("actions:csv"), headers={"accept-language": "nl-be"}
    )

    text = response.content.decode("utf-8")
    header = text.splitlines()[0]
    assert not english_words(header), header
    assert not english_words(text.replace(criteria[0].statement_nl, "")), text


def test_the_english_csv_uses_commas_and_english_words(client_for, people, make_action):
    make_action(title="Plan", due_date=date(2027, 11, 27))

    response = client_for(people.viewer).get(
        reverse("actions:csv"), headers={"accept-language": "en"}
    )

    text = response.content.decode("utf-8")
    assert text.startswith(BOM + '"Title","Criterion","Owner","Due date","Status","Notes"')
    assert '"27/11/2027","Planned"' in text


def test_the_csv_neutralises_formulas(client_for, people, make_action):
    make_action(title='=HYPERLINK("http://evil")', notes="Zie nota;@SUM(A1)")

    response = client_for(people.viewer).get(reverse("actions:csv"))

    rows = csv_rows(response)
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][5] == "Zie nota;'@SUM(A1)"


def test_the_calendar_describes_the_action_in_the_readers_language(client_for, people, criteria):
    action_create(
        organisation=people.organisation,
        user=people.respondent,
        data=action_input(criterion_key=criteria[0].key, due_date=date(2027, 11, 27)),
    )

    response = client_for(people.viewer).get(
        reverse("actions:ical"), headers={"accept-language": "nl-be"}
    )

    text = response.content.decode().replace("\r\n ", "")
    assert "tegen 27 november 2027" in text
    assert criteria[0].statement_nl.replace(",", "\\,") in text
    assert criteria[0].key not in text
    assert "Nov 2027" not in text


def test_the_calendar_lists_open_due_dates_with_crlf(client_for, people, make_action):
    action = make_action(title="Plan; met, tekens\\", notes="Regel 1\nRegel 2")
    make_action(title="Al klaar", status="done")

    response = client_for(people.viewer).get(reverse("actions:ical"))

    text = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert f"DTSTART;VALUE=DATE:{action.due_date:%Y%m%d}" in text
    assert "SUMMARY:Plan\\; met\\, tekens\\\\" in text
    assert "Regel 1\\nRegel 2" in text
    assert "Al klaar" not in text
    assert text.count("BEGIN:VEVENT") == 1


def test_long_lines_are_folded_at_75_octets_without_splitting_characters(make_action):
    action = make_action(title="é" * 120)

    text = actions_export_ical(actions=[action], calendar_name="Plan", host="example.org")

    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:" + "é" * 120 in unfolded


def test_the_calendar_event_is_a_whole_day(make_action):
    action = make_action(due_date=timezone.localdate() + timedelta(days=2))

    text = actions_export_ical(actions=[action], calendar_name="Plan", host="example.org")

    end = action.due_date + timedelta(days=1)
    assert f"DTEND;VALUE=DATE:{end:%Y%m%d}" in text
    assert f"UID:action-{action.pk}@example.org" in text


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_no_part_of_an_exported_action_starts_a_formula(client_for, people, make_action, text):
    # Titles and owner names are one line: the embedded line breaks go in the notes.
    one_line = " ".join(text.split()) or "x"
    make_action(title=one_line, owner_name=one_line, notes=text)

    response = client_for(people.viewer).get(reverse("actions:csv"))

    assert csv_formula_parts(response.content.decode()) == []
