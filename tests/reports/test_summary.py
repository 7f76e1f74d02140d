"""The report summary (phase, change, top 3), honest drafts, and charts that do not mislead."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.services import AnswerInput, answers_save
from maturity.selectors import model_version_structure
from reports.report import report_build
from tests.conftest import answer_all, submitted_assessment
from tests.reports.test_report import main_content, reader, report_url, section

pytestmark = pytest.mark.django_db

FIRST = {1: "4", 2: "3", 3: "2", 4: "1"}  # phase 2, index 2.7
HIGHER = {1: "4", 2: "4", 3: "3", 4: "1"}  # phase 3
LOWER = {1: "4", 2: "2", 3: "1", 4: "0"}  # phase 1


def summary_html(response) -> str:
    """The summary card at the top of the report (the section labelled by the headline)."""
    content = main_content(response)
    start = content.index('<section class="headline')
    return content[start : content.index("</section>", start)]


def summary_text(response) -> str:
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", summary_html(response)))


def growth_path_html(response) -> str:
    content = main_content(response)
    start = content.index('<ol class="growth-path')
    return content[start : content.index("</ol>", start)]


def answer_first_dimension(assessment: Assessment, user, value: str = "4") -> int:
    """Answer the criteria of the first dimension only; returns how many were answered."""
    structure = model_version_structure(version=assessment.model_version)
    criteria = structure.criteria_of_dimension(structure.dimensions[0])
    answers_save(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(criterion=c, value=value, comment="", loaded_revision=0) for c in criteria
        ],
    )
    return len(criteria)


# --- the summary: where we are, did we move, what to do ---------------------------------------


def test_first_assessment_says_there_is_nothing_to_compare_yet(people, submitted):
    response = reader(people.viewer).get(report_url(submitted))

    text = summary_text(response)
    assert "Phase 2: Experiment" in text
    assert "No earlier submitted assessment to compare with" in text
    assert response.context["report"].summary.change is None


def test_summary_says_the_phase_rose(people, submitted):
    later = submitted_assessment(people, "Meting 2026", HIGHER)

    response = reader(people.viewer).get(report_url(later))

    change = response.context["report"].summary.change
    assert (change.direction, change.phase_changed, change.previous.pk) == (
        "up",
        True,
        submitted.pk,
    )
    text = summary_text(response)
    assert "Risen from phase 2 to phase 3 since “Meting 2025”." in text
    assert "Index +" in text
    assert "Moved most:" in text and "▲" in text


def test_summary_says_the_phase_fell_in_dutch(people, submitted):
    later = submitted_assessment(people, "Meting 2026", LOWER)

    response = reader(people.viewer, "nl-be").get(report_url(later))

    change = response.context["report"].summary.change
    assert (change.direction, change.phase_changed) == ("down", True)
    text = summary_text(response)
    assert "Gedaald van fase 2 naar fase 1 sinds “Meting 2025”." in text
    assert f"Index −{abs(change.index_delta):.1f}".replace(".", ",") in text
    assert "▼" in text


def test_summary_says_the_phase_stayed_the_same(people, submitted):
    later = submitted_assessment(people, "Meting 2026", FIRST)

    response = reader(people.viewer).get(report_url(later))

    change = response.context["report"].summary.change
    assert (change.direction, change.phase_changed, change.index_delta) == ("same", False, 0)
    text = summary_text(response)
    assert "Still in phase 2, as at “Meting 2025”." in text
    assert "No dimension moved." in text


def test_summary_lists_the_three_highest_ranked_priorities(people, submitted):
    response = reader(people.viewer).get(report_url(submitted))

    report = response.context["report"]
    ranked = [item["criterion_key"] for item in submitted.result["advice"]][:3]
    assert [row.criterion.key for row in report.summary.priorities] == ranked
    priorities = summary_html(response)
    assert priorities.count("Why: your answer is") == 3
    assert priorities.count("What:") == 3


def test_full_advice_is_collapsed_after_two_items_per_dimension(people, submitted):
    content = main_content(reader(people.viewer).get(report_url(submitted)))

    for details in re.findall(r'<details class="advice-more">.*?</details>', content, re.S):
        assert re.search(r"<summary>\d+ more points? for ", details)
    visible = re.findall(
        r'<h3 class="h5 mt-3">[^<]+</h3>\s*<ol class="advice-list">(.*?)</ol>', content, re.S
    )
    assert visible and all(block.count("<li") <= 2 for block in visible)


# --- honest drafts ----------------------------------------------------------------------------


def test_draft_without_answers_claims_no_phase(people, draft):
    response = reader(people.viewer).get(report_url(draft))

    report = response.context["report"]
    content = main_content(response)
    assert report.insufficient_data
    assert "Phase: not yet known" in summary_text(response)
    assert "0% answered" in summary_text(response)
    assert "Answer these first" in content
    assert re.findall(r'<li class="growth-step growth-step--(\w+)"', content) == ["unknown"] * 4
    assert 'aria-current="step"' not in content
    assert "Next step" not in growth_path_html(response)
    assert "Not yet known" in growth_path_html(response)
    assert "100% —" not in content and "fulfilled" not in content
    assert "No open points" not in content
    assert all(row.index is None and row.delta is None for row in report.dimensions)


def test_draft_below_minimum_coverage_says_how_much_is_answered(people, draft):
    answered = answer_first_dimension(draft, people.respondent)
    total = len(model_version_structure(version=draft.model_version).criteria)

    response = reader(people.viewer, "nl-be").get(report_url(draft))

    report = response.context["report"]
    text = summary_text(response)
    assert report.insufficient_data
    assert "Fase: nog niet te bepalen" in text
    assert f"{round(100 * answered / total)}\u00a0% beantwoord" in text
    assert "nog niet te bepalen" in growth_path_html(response)
    assert "Volgende stap" not in growth_path_html(response)
    indexes = [row.index for row in report.dimensions]
    assert indexes[0] is not None and indexes[1:] == [None] * (len(indexes) - 1)
    assert report.chart_data["radar"]["values"][1:] == [None] * (len(indexes) - 1)
    assert report.chart_data["phases"]["fulfilment"] == [None] * 4
    assert report.summary.answer_first and report.summary.priorities == ()


def test_completely_answered_draft_shows_phase_and_priorities(people, draft):
    answer_all(draft, people.respondent, FIRST)

    response = reader(people.viewer).get(report_url(draft))

    report = response.context["report"]
    assert not report.insufficient_data
    assert "Phase 2: Experiment" in summary_text(response)
    assert len(report.summary.priorities) == 3
    steps = re.findall(r'<li class="growth-step growth-step--(\w+)"', main_content(response))
    assert steps == ["reached", "current", "focus", "ahead"]
    assert all(row.index is not None for row in report.dimensions)


def test_result_json_respects_insufficient_data(people, default_model):
    all_unknown = submitted_assessment(people, "Alles onbekend", dict.fromkeys(range(1, 5), "dk"))
    complete = submitted_assessment(people, "Volledig", FIRST)
    client = reader(people.viewer)

    unknown = client.get(reverse("reports:result_json", args=[all_unknown.pk])).json()
    known = client.get(reverse("reports:result_json", args=[complete.pk])).json()

    assert (unknown["insufficient_data"], unknown["coverage"]) == (True, 0)
    assert unknown["insufficient_dimensions"] == [d["key"] for d in unknown["dimensions"]]
    assert all(phase["insufficient_data"] for phase in unknown["phases"])
    assert (known["insufficient_data"], known["coverage"], known["insufficient_dimensions"]) == (
        False,
        1,
        [],
    )
    assert "Phase: not yet known" in summary_text(client.get(report_url(all_unknown)))


# --- charts that do not mislead ---------------------------------------------------------------


def test_growth_path_bar_is_the_fulfilment_with_a_threshold_mark(people, submitted):
    content = main_content(reader(people.viewer).get(report_url(submitted)))

    focus = re.search(r'growth-step--focus".*?</li>', content, re.S).group(0)
    assert re.search(r'<rect x="0" y="3" width="50" height="8" class="bar-fill"', focus)
    assert re.search(r'<rect x="69.4" y="0" width="1.2" [^>]*class="bar-threshold"', focus)
    assert "50% — threshold 70%" in focus


def test_phase_chart_data_is_fulfilment_not_a_share_of_the_threshold(people, submitted):
    report = report_build(assessment=submitted)

    assert report.chart_data["phases"]["fulfilment"] == [
        round(100 * step["fulfilment"]) for step in submitted.result["phases"]
    ]
    assert report.chart_data["phases"]["fulfilment"][2] == 50


def test_history_chart_uses_local_dates_like_the_table(people, submitted):
    # 23:30 UTC on 1 March is already 2 March in Brussels.
    Assessment.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )
    submitted.refresh_from_db()

    response = reader(people.viewer).get(report_url(submitted))

    assert response.context["report"].chart_data["history"]["labels"] == [
        "Meting 2025 (02-03-2026)"
    ]
    assert "2 March 2026" in section(main_content(response), "history-table")


def test_radar_overlays_the_previous_assessment(people, submitted):
    later = submitted_assessment(people, "Meting 2026", HIGHER)

    radar = report_build(assessment=later).chart_data["radar"]

    before = [d["index"] for d in submitted.result["dimensions"]]
    assert radar["previous"] == before
    assert radar["previousLabel"] == "Previous assessment"
