"""One truth on every page: the same figures on the dashboard, the step, review and perspective
pages, the report, its PDF and result.json, for each state an assessment can be in (issue 27)."""

import html
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer, Assessment, Perspective
from assessments.progress import Progress, assessment_progress
from assessments.services import (
    AnswerInput,
    answers_confirm,
    answers_save,
    assessment_create,
    perspective_create,
    reassessment_start,
)
from assessments.templatetags.report_format import index_format
from maturity.selectors import model_version_structure
from reports.report import report_build
from tests.conftest import submitted_assessment
from tests.reports.test_pdf import pdf_pages

pytestmark = pytest.mark.django_db

STATES = ("empty", "half", "carried", "perspectives", "submitted")


@dataclass
class State:
    assessment: Assessment
    perspectives: list[Perspective]


def _answer(assessment, user, criteria, value="3", perspective_id=None) -> None:
    answers_save(
        assessment=assessment,
        user=user,
        answers=[AnswerInput(c, value, "", 0) for c in criteria],
        perspective_id=perspective_id,
    )


def _state(name: str, people) -> State:
    """An assessment of the people's organisation in one of the demo states."""
    if name == "submitted":
        assessment = submitted_assessment(people, "Meting 2026", {1: "4", 2: "3", 3: "2", 4: "1"})
    elif name == "carried":
        previous = submitted_assessment(people, "Meting 2026", {1: "4", 2: "3", 3: "2", 4: "1"})
        assessment = reassessment_start(
            organisation=people.organisation,
            user=people.respondent,
            title="Hermeting 2027",
            start_from=previous,
        )
        criteria = model_version_structure(version=assessment.model_version).criteria
        answers_confirm(
            assessment=assessment,
            user=people.respondent,
            criterion_keys=[c.key for c in criteria[:3]],
        )
    else:
        assessment = assessment_create(
            organisation=people.organisation, user=people.respondent, title="Nulmeting 2026"
        )
        criteria = model_version_structure(version=assessment.model_version).criteria
        if name == "half":
            _answer(assessment, people.respondent, criteria[: len(criteria) // 2])
        elif name == "perspectives":
            second = perspective_create(
                assessment=assessment, user=people.respondent, name="Jeugddienst"
            )
            first = Perspective.objects.filter(assessment=assessment).exclude(pk=second.pk).get()
            _answer(assessment, people.respondent, criteria[:20], "4", first.pk)
            _answer(assessment, people.respondent, criteria[10:15], "1", second.pk)
    assessment = Assessment.objects.get(pk=assessment.pk)
    return State(assessment, list(Perspective.objects.filter(assessment=assessment)))


def text(response) -> str:
    """The visible text of a page: tags dropped, entities resolved, white space collapsed."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content))).strip()


def reader(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def answered(progress: Progress) -> str:
    return f"{progress.answered} of {progress.total}"


def to_confirm(count: int) -> str:
    return f"{count} carried answer{'s' if count != 1 else ''} to confirm"


@pytest.mark.parametrize("name", STATES)
def test_every_page_shows_the_same_figures(name, default_model, people):
    state = _state(name, people)
    assessment = state.assessment
    client = reader(people.respondent)
    structure = model_version_structure(version=assessment.model_version)
    progress = assessment_progress(assessment=assessment, total=len(structure.criteria))
    overall = progress.overall
    with translation.override("en"):
        report = report_build(assessment=assessment)
    pk = assessment.pk

    # The dashboard's row of this assessment.
    dashboard = text(client.get(reverse("dashboard")))
    row = dashboard[dashboard.index(assessment.title) :]
    assert row.startswith(assessment.title)
    assert f"{answered(overall)} answered" in row[:200]
    if overall.to_confirm:
        assert to_confirm(overall.to_confirm) in row[:200]

    # The perspective cards, and each perspective's step page.
    cards = text(client.get(reverse("assessments:perspectives", args=[pk])))
    for perspective in state.perspectives:
        own = progress.of(perspective.pk)
        assert f"{perspective.name} {answered(own)} questions answered ({own.percent}%)" in cards
        if assessment.is_draft:
            step = reverse("assessments:perspective_step", args=[pk, perspective.pk, 1])
            if len(state.perspectives) == 1:
                step = reverse("assessments:step", args=[pk, 1])
            page = text(client.get(step))
            assert f"{answered(own)} questions answered ({own.percent}%)" in page
            if own.to_confirm:
                assert to_confirm(own.to_confirm) in page

    # The review page: the assessment's progress (what is scored).
    if assessment.is_draft:
        review = text(client.get(reverse("assessments:review", args=[pk])))
        assert f"{answered(overall)} questions answered ({overall.percent}%)" in review
        if overall.to_confirm:
            assert to_confirm(overall.to_confirm) in review

    # The report and its PDF: the same progress, headline and index.
    page = text(client.get(reverse("reports:report", args=[pk])))
    pdf = " ".join(pdf_pages(client.get(reverse("reports:report_pdf", args=[pk])).content))
    assert report.progress == overall
    for document in (page, pdf):
        assert report.headline.title in document
        if report.headline.next_step:
            assert report.headline.next_step in document
        if assessment.is_draft:
            assert f"{answered(overall)} questions are answered" in document
        if overall.to_confirm:
            assert f"{overall.to_confirm} answers carried over from “Meting 2026”" in document
        if not report.insufficient_data:
            assert f"Maturity index {index_format(report.index)} of 4" in document

    if assessment.is_draft:
        assert reverse("reports:result_json", args=[pk]) not in page
        return
    # Submitted: dashboard, report and result.json give the same phase and index.
    assert f"Phase {report.phase.order}" in row[:300]
    assert index_format(report.index) in row[:300]
    data = client.get(reverse("reports:result_json", args=[pk])).json()
    assert index_format(data["index"]) == index_format(report.index)
    assert data["phase"]["name"] == report.phase.name
    assert report.headline.title == f"Phase {report.phase.order}: {report.phase.name}"


def test_carried_answers_count_only_once_confirmed(default_model, people):
    state = _state("carried", people)
    total = Answer.objects.filter(assessment=state.assessment).count()

    report = report_build(assessment=state.assessment)

    assert report.progress.answered == 3
    assert report.progress.to_confirm == total - 3
    # Three confirmed answers are too few to claim a phase: nothing rests on last year's.
    assert report.insufficient_data and not report.headline.phase_claimed
