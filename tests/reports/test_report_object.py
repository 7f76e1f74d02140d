"""The Report is one built object: templates only format it, the apps below never import it."""

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actions.models import Action
from assessments.models import Membership
from benchmarks.models import Participation
from reports.page import report_sections_render
from reports.pdf import render_pdf
from reports.report import Report, report_build
from reports.selectors import report_get
from tests.conftest import submitted_assessment
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reports.test_pdf import pdf_pages

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_no_app_below_reports_imports_it():
    offenders = []
    for app in ("actions", "benchmarks", "assessments", "maturity"):
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(name == "reports" or name.startswith("reports.") for name in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_template_below_reports_loads_or_includes_a_report_template():
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("actions", "benchmarks", "assessments")
        for path in (ROOT / "templates" / app).rglob("*.html")
        if "reports/" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.fixture
def full_report(people, default_model) -> Report:
    """A second submitted assessment with an action plan, a benchmark group, perspectives."""
    submitted_assessment(people, "Meting 2025", {1: "4", 2: "3", 3: "1", 4: "0"})
    latest = submitted_assessment(people, "Meting 2026", {1: "4", 2: "3", 3: "2", 4: "1"})
    for number in range(6):
        other = OrganisationFactory(kind=people.organisation.kind)
        user = MembershipFactory(organisation=other, role=Membership.Role.RESPONDENT).user
        Participation.objects.create(organisation=other, opted_in=True)
        submitted_assessment(
            type("People", (), {"organisation": other, "respondent": user}),
            f"Meting {number}",
            {1: "4", 2: str(number % 5), 3: "1", 4: "0"},
        )
    Participation.objects.create(organisation=people.organisation, opted_in=True)
    advised = report_build(assessment=latest).advice[0][1][0].criterion
    Action.objects.create(
        organisation=people.organisation,
        title="Reactieschema afspreken",
        criterion_key=advised.key,
        owner_name="communicatie",
        due_date="2027-03-01",
    )
    with translation.override("en"):
        return report_get(user=people.viewer, assessment_pk=latest.pk, language="en")


def test_report_is_immutable(full_report):
    with pytest.raises(dataclasses.FrozenInstanceError):
        full_report.index = 4.0  # type: ignore[misc]
    assert isinstance(full_report.advice, tuple) and isinstance(full_report.steps, tuple)


def test_advice_carries_the_actions_on_its_criterion(full_report):
    rows = [row for _dimension, rows in full_report.advice for row in rows]
    linked = [row for row in rows if row.actions]

    assert [a.title for row in linked for a in row.actions] == ["Reactieschema afspreken"]
    assert linked[0].actions[0].criterion_key == linked[0].criterion.key


def test_rendering_a_built_report_runs_no_query(full_report, django_assert_num_queries):
    assert full_report.benchmark is not None and full_report.benchmark.group is not None
    with translation.override("en"), django_assert_num_queries(0):
        sections = report_sections_render(full_report)
        pdf_html = render_to_string(
            "reports/pdf/report.html", {"report": full_report, "assessment": full_report.assessment}
        )
    assert "Reactieschema afspreken" in sections["body"]
    assert 'id="comparison"' in sections["comparison"]
    assert "Comparison" in pdf_html


def test_rendering_the_pdf_runs_no_query(full_report, django_assert_num_queries):
    with translation.override("en"), django_assert_num_queries(0):
        content = render_pdf(full_report)
    assert content.startswith(b"%PDF")


def test_report_get_is_none_for_another_organisation(full_report, stranger):
    assert report_get(user=stranger, assessment_pk=full_report.assessment.pk, language="en") is None


def test_report_get_is_none_for_a_contributor(full_report, people):
    contributor = MembershipFactory(
        organisation=people.organisation, role=Membership.Role.CONTRIBUTOR
    ).user
    found = report_get(user=contributor, assessment_pk=full_report.assessment.pk, language="en")

    assert found is None


def test_the_benchmark_level_is_an_argument(full_report, people):
    report = report_get(
        user=people.viewer, assessment_pk=full_report.assessment.pk, language="en", level="kind"
    )

    assert report.benchmark_level == "kind"
    assert report.benchmark.group.level == "kind"


def headings(content: str) -> list[str]:
    """The section headings (h2) of a page's main content, without the print-hidden ones."""
    main = content[content.index('<main id="main"') : content.index("</main>")]
    main = re.sub(r'<section class="report-section no-print".*?</section>', "", main, flags=re.S)
    return [
        re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", main)
    ]


def test_the_pdf_has_the_sections_of_the_web_report(full_report, people):
    client = Client()
    client.force_login(people.viewer)
    client.cookies["django_language"] = "en"
    url = reverse("reports:report", args=[full_report.assessment.pk])
    web = headings(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    pdf = " ".join(
        pdf_pages(
            client.get(
                reverse("reports:report_pdf", args=[full_report.assessment.pk]),
                HTTP_ACCEPT_LANGUAGE="en",
            ).content
        )
    )
    # Page 1 draws the growth path as the web page's first section does, without its heading.
    expected = [h for h in web if h not in {full_report.headline.title, "The growth path"}]

    assert {
        "Next steps",
        "Profile",
        "History",
        "What changed since the previous assessment",
        "Comparison",
    } <= set(expected)
    assert [h for h in expected if h not in pdf] == []
    assert full_report.headline.title in pdf


def test_old_assessment_pdf_has_no_open_actions_of_today(people, default_model):
    older = submitted_assessment(people, "Meting 2025", {1: "4", 2: "3", 3: "1", 4: "0"})
    submitted_assessment(people, "Meting 2026", {1: "4", 2: "3", 3: "2", 4: "1"})
    Action.objects.create(
        organisation=people.organisation,
        title="Contentkalender opzetten",
        owner_name="communicatie",
        due_date="2027-03-01",
    )
    client = Client()
    client.force_login(people.viewer)

    first = pdf_pages(
        client.get(
            reverse("reports:report_pdf", args=[older.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content
    )[0]

    assert "Contentkalender opzetten" not in first


def test_latest_assessment_pdf_says_as_of_which_date(people, default_model):
    latest = submitted_assessment(people, "Meting 2026", {1: "4", 2: "3", 3: "2", 4: "1"})
    Action.objects.create(
        organisation=people.organisation,
        title="Contentkalender opzetten",
        owner_name="communicatie",
        due_date="2027-03-01",
    )
    client = Client()
    client.force_login(people.viewer)

    first = pdf_pages(client.get(reverse("reports:report_pdf", args=[latest.pk])).content)[0]

    assert "Open acties, stand op " in first
    assert "Contentkalender opzetten" in first
    assert "geen deel van de ingediende meting" in first
