"""The report PDF is PDF/UA-1: tagged, with its language, a title and an alt text on every figure.

Read back with pikepdf (the structure tree, the catalogue, the XMP metadata) and with poppler's
`pdfinfo`, as a checker or a screen reader finds them. What these tests do not verify (the
whole Matterhorn protocol, a real screen reader) is listed in docs/accessibility.md.
"""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.conftest import answer_all, submitted_assessment
from tests.reports.test_report import reader

pytestmark = pytest.mark.django_db

PDF_UA = "{http://www.aiim.org/pdfua/ns/id/}part"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def pdf_url(assessment: Assessment) -> str:
    return reverse("reports:report_pdf", args=[assessment.pk])


@pytest.fixture
def two_assessments(people, submitted) -> Assessment:
    return submitted_assessment(people, "Meting 2026", {1: "4", 2: "4", 3: "3", 4: "1"})


def structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element of the tag tree, in reading order (depth first)."""
    found = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def opened(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


@pytest.mark.parametrize(("language", "lang"), [("en", "en"), ("nl-be", "nl-be")])
def test_pdf_is_tagged_with_language_and_title(people, two_assessments, language, lang):
    pdf = opened(reader(people.viewer, language).get(pdf_url(two_assessments)).content)

    assert pdf.Root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == lang
    assert str(pdf.docinfo.Title) == "Meting 2026 · Gemeente Voorbeeld"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    metadata = pdf.open_metadata()
    assert metadata[DC_TITLE] == "Meting 2026 · Gemeente Voorbeeld"
    assert metadata[PDF_UA] == "1"


def test_every_figure_has_an_alt_text(people, two_assessments):
    pdf = opened(reader(people.viewer).get(pdf_url(two_assessments)).content)

    figures = [e for e in structure_elements(pdf) if e.S == "/Figure"]
    alts = [str(e.get("/Alt", "")) for e in figures]
    # The four growth-path bars and the profile chart.
    assert len(figures) == 5
    assert all(alts), alts
    assert alts[0].startswith("Discover: ")
    profile = alts[-1]
    assert profile.startswith("Maturity index per dimension (0–4): ")
    assert profile.count(";") == 5  # six dimensions, each with its index


def test_headings_tables_and_lists_are_tagged_in_reading_order(people, two_assessments):
    pdf = opened(reader(people.viewer).get(pdf_url(two_assessments)).content)

    kinds = [str(e.S) for e in structure_elements(pdf)]
    headings = [kind for kind in kinds if kind in {"/H1", "/H2", "/H3", "/H4"}]
    # The title, the phase claim, page 1's sections, then the annex (as on screen).
    assert headings[:2] == ["/H1", "/H2"]
    assert headings.count("/H1") == 1
    assert headings.count("/H2") == 2
    assert kinds.index("/H1") < kinds.index("/L") < kinds.index("/Table")
    for kind in ("/Table", "/TH", "/TD", "/L", "/LI", "/Caption"):
        assert kind in kinds, kind
    table = next(e for e in structure_elements(pdf) if e.S == "/TH")
    assert table.A.O == "/Table"


def test_pdf_of_a_draft_is_tagged_too(people, draft):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})

    pdf = opened(reader(people.viewer).get(pdf_url(draft)).content)

    figures = [e for e in structure_elements(pdf) if e.S == "/Figure"]
    assert figures and all(str(e.get("/Alt", "")) for e in figures)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils missing")
def test_pdfinfo_says_tagged(people, two_assessments):
    content = reader(people.viewer).get(pdf_url(two_assessments)).content
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)

    assert "Tagged:          yes" in info.stdout
    assert "PDF version:     1.7" in info.stdout
