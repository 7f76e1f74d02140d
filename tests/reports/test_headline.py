"""The headline: one text for the phase claim, on the page and in the PDF."""

import re

import pytest
from django.utils import translation

from maturity.figures import index_delta, index_shown
from reports.report import report_build
from tests.conftest import answer_all, submitted_assessment

pytestmark = pytest.mark.django_db


def test_no_phase_reached_says_so_with_the_first_phase_against_its_threshold(people, draft):
    answer_all(draft, people.respondent, {1: "1", 2: "1", 3: "0", 4: "0"})

    with translation.override("nl-be"):
        report = report_build(assessment=draft)

    assert not report.insufficient_data and report.result.reached_count == 0
    assert report.headline.title == "Nog geen fase bereikt"
    assert re.fullmatch(
        r"Ontdekken is voor \d+\u00a0% vervuld \(drempel \d+\u00a0%\)", report.headline.detail
    ), report.headline.detail
    assert report.headline.next_step == ""
    assert not report.headline.phase_claimed


def test_a_reached_phase_names_the_next_step_with_its_fulfilment(people, submitted):
    with translation.override("en"):
        report = report_build(assessment=submitted)
        phase, focus = report.phase.name, report.focus_phase.name

    assert report.headline.title == f"Phase {report.phase.order}: {phase}"
    assert report.headline.next_step.startswith(f"Next step: {focus} (")
    assert report.focus_phase.order == report.phase.order + 1


def test_the_page_shows_no_phase_claim_when_none_is_reached(people, draft, client_for):
    answer_all(draft, people.respondent, {1: "1", 2: "1", 3: "0", 4: "0"})

    content = client_for(people.viewer).get(f"/assessments/{draft.pk}/report/").content.decode()

    assert "Nog geen fase bereikt" in content
    assert "Fase 1: Ontdekken" not in content
    assert "Volgende stap: Ontdekken" not in content


@pytest.mark.parametrize(
    ("value", "shown"), [(2.96, "2.9"), (3.357, "3.3"), (2.7, "2.7"), (0.05, "0.0"), (4.0, "4.0")]
)
def test_an_index_is_cut_to_one_decimal(value, shown):
    assert str(index_shown(value)) == shown


def test_a_delta_is_the_difference_of_the_shown_indexes():
    # 2.74 → 2.86 is shown as 2,7 → 2,8: the delta the reader checks is +0,1.
    assert index_delta(2.86, 2.74) == pytest.approx(0.1)
    assert index_delta(2.71, 2.79) == 0.0


def test_history_delta_matches_the_indexes_shown(people, submitted):
    later = submitted_assessment(people, "Meting 2026", {1: "4", 2: "4", 3: "3", 4: "1"})

    report = report_build(assessment=later)

    for row in report.dimensions:
        assert row.delta == pytest.approx(
            float(index_shown(row.index) - index_shown(row.previous_index))
        )


def test_the_dashboard_claims_no_phase_the_report_does_not(people, default_model, client_for):
    low = submitted_assessment(people, "Meting 2026", {1: "1", 2: "1", 3: "0", 4: "0"})

    content = client_for(people.viewer).get("/").content.decode()
    row = content[content.index(low.title) :][:1500]

    assert low.phase_order == 1 and "Nog geen fase bereikt" in row
    assert "Fase 1" not in row
