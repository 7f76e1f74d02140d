"""The PDF report: page 1 for the board, the detail as an annex; both languages; cached when final.

Read back with poppler-utils (`pdfinfo`, `pdftotext`), as a reader's PDF viewer would show it.
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from assessments.models import Assessment
from reports import pdf as report_pdf
from tests.conftest import answer_all, submitted_assessment
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reports.test_report import reader

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing"),
]


def pdf_url(assessment: Assessment) -> str:
    return reverse("reports:report_pdf", args=[assessment.pk])


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, and checks that pdfinfo counts as many pages."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
        text = subprocess.run(
            ["pdftotext", "-raw", path, "-"], capture_output=True, text=True, check=True
        )
    pages = text.stdout.split("\f")[:-1]
    assert int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1)) == len(pages)
    return [re.sub(r"\s+", " ", page) for page in pages]


@pytest.fixture
def two_assessments(people, submitted) -> Assessment:
    """A second submitted assessment, one phase higher than the first."""
    return submitted_assessment(people, "Meting 2026", {1: "4", 2: "4", 3: "3", 4: "1"})


def test_pdf_has_a_summary_page_and_an_annex_in_english(people, two_assessments):
    response = reader(people.viewer, "en").get(pdf_url(two_assessments))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="groeipad-meting-2026.pdf"'
    pages = pdf_pages(response.content)
    first, annex = pages[0], " ".join(pages[1:])
    assert len(pages) >= 2
    for expected in (
        "Gemeente Voorbeeld",
        "Meting 2026",
        "Model: ",
        "Phase 3: Converse",
        "Maturity index 3.3 of 4",  # 3 + 0.25 / 0.7, shown with one decimal, not rounded up
        "Risen from phase 2 to phase 3 since “Meting 2025”.",
        "Top 3 priorities",
        "Maturity index per dimension (0–4)",
        f"Page 1 / {len(pages)}",
    ):
        assert expected in first, expected
    assert "Annex" not in first
    assert pages[1].split("Page")[0].find("Annex: the detail") >= 0
    for expected in ("Next steps", "Strengths", "Maturity per dimension", "History", "Meting 2025"):
        assert expected in annex, expected
    assert "Provisional" not in " ".join(pages)


def test_pdf_in_dutch(people, two_assessments):
    response = reader(people.viewer, "nl-be").get(pdf_url(two_assessments))

    pages = pdf_pages(response.content)
    assert "Fase 3: Converseren" in pages[0]
    assert "Gestegen van fase 2 naar fase 3" in pages[0]
    assert f"Pagina 1 / {len(pages)}" in pages[0]
    assert "Bijlage: de details" in pages[1]


def test_pdf_of_a_draft_is_marked_provisional(people, draft):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})

    response = reader(people.viewer).get(pdf_url(draft))

    assert response.status_code == 200
    assert "Provisional" in pdf_pages(response.content)[0]


def test_pdf_of_an_unanswered_draft_claims_no_phase(people, draft):
    pages = pdf_pages(reader(people.viewer).get(pdf_url(draft)).content)

    assert "Phase: not yet known" in pages[0]
    assert "0% answered" in pages[0]
    assert "Answer these first" in pages[0]
    assert "Next step" not in pages[0]


def test_pdf_of_another_organisation_is_404(client, submitted):
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)

    assert client.get(pdf_url(submitted)).status_code == 404


def test_pdf_of_a_submitted_assessment_is_cached(people, submitted, monkeypatch):
    rendered = []
    original = report_pdf.render_pdf
    monkeypatch.setattr(
        report_pdf, "render_pdf", lambda *args: rendered.append(1) or original(*args)
    )
    client = reader(people.viewer)

    first = client.get(pdf_url(submitted)).content
    again = client.get(pdf_url(submitted)).content

    assert first == again
    assert len(rendered) == 1


def test_pdf_of_a_draft_is_rendered_again_only_when_its_answers_change(people, draft, monkeypatch):
    rendered = []
    original = report_pdf.render_pdf
    monkeypatch.setattr(
        report_pdf, "render_pdf", lambda *args: rendered.append(1) or original(*args)
    )
    client = reader(people.viewer)

    client.get(pdf_url(draft))
    client.get(pdf_url(draft))
    assert len(rendered) == 1

    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    client.get(pdf_url(draft))
    assert len(rendered) == 2
