"""The phase report and result.json: what a viewer reads, and that it stays as it was."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from assessments.services import assessment_create, assessment_submit
from maturity import caching
from maturity.models import Criterion, Phase
from maturity.selectors import model_version_structure
from maturity.services import model_version_new_draft, model_version_publish
from reports.report import report_build
from tests.conftest import answer_all, submitted_assessment

pytestmark = pytest.mark.django_db

RESULT_KEYS = {
    "phase",
    "focus_phase",
    "index",
    "phases",
    "dimensions",
    "advice",
    "inconsistencies",
    "model",
}


def reader(user, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def report_url(assessment: Assessment) -> str:
    return reverse("reports:report", args=[assessment.pk])


def section(content: str, element_id: str) -> str:
    """The HTML of the element with this id, up to its closing tag of the same kind."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>', content)
    assert match, element_id
    end = content.index(f"</{match.group(1)}>", match.end())
    return content[match.start() : end]


def main_content(response) -> str:
    content = response.content.decode()
    return content[content.index('<main id="main"') : content.index("</main>")]


@pytest.fixture
def viewer_report(people, submitted):
    return reader(people.viewer).get(report_url(submitted))


# --- the submitted report ---------------------------------------------------------------------


def test_report_shows_headline_phase(viewer_report, submitted):
    phase = Phase.objects.get(version=submitted.model_version, order=submitted.phase_order)

    headline = section(viewer_report.content.decode(), "headline")

    assert viewer_report.status_code == 200
    assert phase.name_en in headline
    assert phase.summary_en in viewer_report.content.decode()


@pytest.mark.parametrize(("language", "expected"), [("en", "2.7"), ("nl-be", "2,7")])
def test_report_shows_index_with_one_decimal(people, submitted, language, expected):
    response = reader(people.viewer, language).get(report_url(submitted))

    [index_text] = re.findall(
        r'<span class="maturity-index">(.*?)</span>', response.content.decode()
    )
    assert re.findall(r"\d+[.,]\d+", index_text) == [expected]
    assert float(submitted.maturity_index) == pytest.approx(2 + 0.5 / 0.7, abs=1e-4)


def test_report_shows_growth_path_with_four_steps(viewer_report):
    content = viewer_report.content.decode()

    steps = re.findall(r'<li class="growth-step growth-step--(\w+)"', content)
    assert steps == ["reached", "current", "focus", "ahead"]
    assert content.count('aria-current="step"') == 1


def test_report_lists_the_advice_items(viewer_report, submitted):
    content = viewer_report.content.decode()
    criteria = model_version_structure(version=submitted.model_version).criteria_by_key

    advice_html = "".join(re.findall(r'<ol class="advice-list">.*?</ol>', content, re.S))
    assert advice_html.count('<li class="mb-2">') == len(submitted.result["advice"]) > 0
    for item in submitted.result["advice"]:
        assert criteria[item["criterion_key"]].statement_en in advice_html
        assert criteria[item["criterion_key"]].phase.order == 3


def test_report_has_data_tables_for_the_charts(viewer_report, submitted):
    content = viewer_report.content.decode()
    structure = model_version_structure(version=submitted.model_version)

    radar = section(content, "radar-table")
    phases = section(content, "phase-table")
    assert radar.count('<th scope="row">') == len(structure.dimensions)
    assert phases.count('<th scope="row">') == 4
    assert 'id="chart-data"' in content


def test_submitted_report_has_no_provisional_marker(viewer_report):
    assert viewer_report.context["report"].provisional is False
    assert '<div class="alert alert-warning" role="note">' not in viewer_report.content.decode()


# --- the provisional report of a draft --------------------------------------------------------


def test_draft_report_is_marked_provisional(people, draft):
    answer_all(draft, people.respondent, {1: "4", 2: "2", 3: "1", 4: "0"})

    response = reader(people.viewer).get(report_url(draft))

    assert response.status_code == 200
    assert response.context["report"].provisional is True
    assert '<div class="alert alert-warning" role="note">' in response.content.decode()


def test_draft_report_without_answers_is_shown(people, draft):
    response = reader(people.respondent).get(report_url(draft))

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.provisional, report.phase.order) == (True, 1)
    assert report.unanswered_count == len(
        model_version_structure(version=draft.model_version).criteria
    )


def test_draft_report_offers_no_result_json(people, draft):
    response = reader(people.viewer).get(report_url(draft))

    assert reverse("reports:result_json", args=[draft.pk]) not in response.content.decode()


# --- result.json ------------------------------------------------------------------------------


def test_result_json_returns_stored_result(people, submitted):
    response = reader(people.viewer).get(reverse("reports:result_json", args=[submitted.pk]))

    data = response.json()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(data) >= RESULT_KEYS
    assert data["phase"] == submitted.result["phase"] | {"name": "Experiment"}
    assert data["focus_phase"]["key"] == "converseren"
    assert data["index"] == submitted.result["index"]
    assert data["model"] == {"slug": submitted.model_version.slug, "version": 1}
    assert {key: data[key] for key in RESULT_KEYS - {"phase", "focus_phase"}} == {
        key: submitted.result[key] for key in RESULT_KEYS - {"phase", "focus_phase"}
    }


def test_result_json_documents_phase_and_dimension_shape(people, submitted):
    data = reader(people.viewer).get(reverse("reports:result_json", args=[submitted.pk])).json()

    assert {"key", "fulfilment", "coverage", "reached", "insufficient_data"} <= set(
        data["phases"][0]
    )
    assert {"key", "phase", "index"} <= set(data["dimensions"][0])
    assert {"criterion_key", "gap"} <= set(data["advice"][0])


def test_result_json_of_draft_is_404(people, draft):
    response = reader(people.viewer).get(reverse("reports:result_json", args=[draft.pk]))

    assert response.status_code == 404


# --- the report stays as it was ---------------------------------------------------------------


def test_report_unchanged_after_new_model_version_is_published(people, submitted):
    client = reader(people.viewer)
    caching.clear_all()
    before_page = main_content(client.get(report_url(submitted)))
    before_result = report_build(assessment=submitted).result

    draft_version = model_version_new_draft(source=submitted.model_version)
    Phase.objects.filter(version=draft_version).update(threshold="0.50", name_en="Renamed")
    criterion = Criterion.objects.filter(version=draft_version).first()
    criterion.statement_en = "A rewritten statement"
    criterion.advice_en = "Rewritten advice"
    criterion.save()
    model_version_publish(version=draft_version)
    caching.clear_all()

    after_page = main_content(client.get(report_url(submitted)))
    assert report_build(assessment=Assessment.objects.get(pk=submitted.pk)).result == before_result
    assert after_page == before_page
    assert "Renamed" not in after_page and "A rewritten statement" not in after_page


def test_new_assessment_after_publishing_uses_the_new_version(people, submitted):
    draft_version = model_version_new_draft(source=submitted.model_version)
    newer = model_version_publish(version=draft_version)

    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Op versie 2"
    )

    assert assessment.model_version == newer
    submitted.refresh_from_db()
    assert submitted.model_version.version == 1


# --- history and comparison -------------------------------------------------------------------


@pytest.fixture
def second(people, submitted) -> Assessment:
    """A later submitted assessment of the same organisation, stronger on phase 3."""
    return submitted_assessment(people, "Meting 2026", {1: "4", 2: "4", 3: "3", 4: "1"})


def test_history_lists_submitted_assessments_oldest_first(people, submitted, second):
    response = reader(people.viewer).get(report_url(second))

    report = response.context["report"]
    assert [row.assessment.pk for row in report.history] == [submitted.pk, second.pk]
    assert [row.is_current for row in report.history] == [False, True]
    history_table = section(response.content.decode(), "history-table")
    assert history_table.index(submitted.title) < history_table.index(second.title)


def test_history_leaves_out_drafts(people, submitted, draft):
    response = reader(people.viewer).get(report_url(submitted))

    assert [row.assessment.pk for row in response.context["report"].history] == [submitted.pk]


def test_history_shows_delta_per_dimension(people, submitted, second):
    response = reader(people.viewer).get(report_url(second))

    report = response.context["report"]
    previous = {d["key"]: d["index"] for d in submitted.result["dimensions"]}
    assert report.previous == submitted
    assert [row.delta for row in report.dimensions] == [
        round(d["index"] - previous[d["key"]], 1) for d in second.result["dimensions"]
    ]
    assert any(row.delta > 0 for row in report.dimensions)
    radar = section(response.content.decode(), "radar-table")
    assert radar.count("▲ +") == sum(1 for row in report.dimensions if row.delta > 0)


def test_first_assessment_has_no_delta(viewer_report):
    report = viewer_report.context["report"]

    assert report.previous is None
    assert {row.delta for row in report.dimensions} == {None}


def test_comparison_across_versions_names_criteria_in_only_one(people, submitted):
    draft_version = model_version_new_draft(source=submitted.model_version)
    dropped = Criterion.objects.filter(version=draft_version).order_by("key").first()
    kept = Criterion.objects.filter(version=draft_version).exclude(pk=dropped.pk).first()
    dropped_key, dropped_statement = dropped.key, dropped.statement_en
    dropped.delete()
    Criterion.objects.create(
        version=draft_version,
        key="nieuw-criterium",
        phase=kept.phase,
        dimension=kept.dimension,
        statement_nl="Nieuwe stelling",
        statement_en="New statement",
    )
    model_version_publish(version=draft_version)
    later = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting nieuw model"
    )
    answer_all(later, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    later = assessment_submit(assessment=later, user=people.respondent)

    response = reader(people.viewer).get(report_url(later))

    report = response.context["report"]
    assert [c.key for c in report.only_in_current] == ["nieuw-criterium"]
    assert [c.key for c in report.only_in_previous] == [dropped_key]
    content = response.content.decode()
    assert "1 question new, not compared: “New statement”" in content
    assert f"1 question no longer in the model: “{dropped_statement}”" in content


def test_same_version_comparison_names_no_criteria(people, submitted, second):
    report = reader(people.viewer).get(report_url(second)).context["report"]

    assert (report.only_in_current, report.only_in_previous) == ((), ())
