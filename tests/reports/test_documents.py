"""The editable report (ODT, DOCX): opened with their own libraries (odfpy, python-docx), as a
reader's word processor would, and checked for the proposal's headings, the three priorities,
the tables, the chart's alt text, the header and the page numbers; both languages; access."""

import io
import random

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from odf import draw, svg, teletype
from odf import style as odf_style
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import load
from PIL import Image as PILImage

from assessments.logo import organisation_logo_set
from assessments.models import Answer, Assessment, Membership, Perspective
from assessments.templatetags.report_format import index_format, percent, signed_delta
from bench.data import bench_model, bench_organisation
from documents.structure import Image
from maturity.selectors import model_version_structure
from reports.documents import CONTENT_TYPES, document_render
from reports.selectors import report_get
from tests.conftest import answer_all, submitted_assessment
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reports.test_report import reader

pytestmark = pytest.mark.django_db


def document_url(assessment: Assessment, fmt: str) -> str:
    return reverse("reports:report_document", args=[assessment.pk, fmt])


@pytest.fixture
def two_assessments(people, submitted) -> Assessment:
    """A second submitted assessment, one phase higher than the first."""
    return submitted_assessment(people, "Meting 2026", {1: "4", 2: "4", 3: "3", 4: "1"})


def priorities(people, assessment: Assessment, language: str = "en") -> list[str]:
    report = report_get(user=people.viewer, assessment_pk=assessment.pk, language=language)
    return [row.criterion.statement for row in report.summary.priorities]


# --- ODT ----------------------------------------------------------------------------------------


def odt_open(content: bytes):
    return load(io.BytesIO(content))


def odt_headings(document) -> list[tuple[int, str, str]]:
    """(outline level, text, style) of every heading, in order."""
    return [
        (int(h.getAttribute("outlinelevel")), teletype.extractText(h), h.getAttribute("stylename"))
        for h in document.text.getElementsByType(odf_text.H)
    ]


def odt_table_cells(table) -> list[list[str]]:
    return [
        [teletype.extractText(cell) for cell in row.getElementsByType(odf_table.TableCell)]
        for row in table.getElementsByType(odf_table.TableRow)
    ]


def test_odt_has_the_proposal_the_priorities_and_the_annex(people, two_assessments):
    response = reader(people.viewer).get(document_url(two_assessments, "odt"))

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES["odt"]
    assert response["Content-Disposition"] == 'attachment; filename="groeipad-meting-2026.odt"'
    document = odt_open(response.content)
    headings = odt_headings(document)
    assert headings[0] == (1, "Proposal to the college", "Heading_20_1")
    texts = [text for _level, text, _style in headings]
    for level, expected in (
        (2, "Situation"),
        (2, "Since last time"),
        (2, "Top 3 priorities"),
        (2, "What we ask of the college"),
        (1, "Annex: the detail"),
        (2, "Growth path"),
        (2, "Profile"),
        (2, "Next steps"),
        (2, "History"),
    ):
        assert (level, expected, f"Heading_20_{level}") in headings, expected
    assert texts.index("What we ask of the college") < texts.index("Annex: the detail")
    assert {level for level, _text, _style in headings} == {1, 2, 3}
    body = teletype.extractText(document.text)
    assert "Phase 3: Converse" in body
    assert "Risen from phase 2 to phase 3 since “Meting 2025”." in body
    items = [
        teletype.extractText(item) for item in document.text.getElementsByType(odf_text.ListItem)
    ]
    for statement in priorities(people, two_assessments):
        assert any(item.startswith(statement) for item in items), statement
    assert len(priorities(people, two_assessments)) == 3


def test_odt_tables_hold_the_report_figures(people, two_assessments):
    document = odt_open(reader(people.viewer).get(document_url(two_assessments, "odt")).content)

    tables = [odt_table_cells(t) for t in document.text.getElementsByType(odf_table.Table)]
    growth, profile = tables[0], tables[1]
    assert growth[0] == ["Phase", "Fulfilment", "Threshold", "Answered", "Reached"]
    assert [row[0] for row in growth[1:]] == [
        "1. Discover",
        "2. Experiment",
        "3. Converse",
        "4. Collaborate",
    ]
    assert profile[0] == ["Dimension", "Phase", "Index", "Change"]
    history = tables[-1]
    assert history[0] == ["Assessment", "Date", "Phase", "Index"]
    assert [row[0] for row in history[1:]] == ["Meting 2025", "Meting 2026"]


def test_odt_chart_has_alt_text_and_pages_have_header_and_numbers(people, two_assessments):
    document = odt_open(reader(people.viewer).get(document_url(two_assessments, "odt")).content)

    [frame] = document.text.getElementsByType(draw.Frame)
    [description] = frame.getElementsByType(svg.Desc)
    assert teletype.extractText(description).startswith("Maturity index per dimension (0–4): ")
    [image] = frame.getElementsByType(draw.Image)
    assert image.getAttribute("href").endswith(".png")
    [header] = document.masterstyles.getElementsByType(odf_style.Header)
    assert teletype.extractText(header) == "Gemeente Voorbeeld"
    [footer] = document.masterstyles.getElementsByType(odf_style.Footer)
    assert footer.getElementsByType(odf_text.PageNumber)
    assert footer.getElementsByType(odf_text.PageCount)
    [contents] = document.text.getElementsByType(odf_text.TableOfContent)
    assert "Annex: the detail" in teletype.extractText(contents)


def test_odt_in_dutch(people, two_assessments):
    content = reader(people.viewer, "nl-be").get(document_url(two_assessments, "odt")).content

    document = odt_open(content)
    texts = [text for _level, text, _style in odt_headings(document)]
    assert texts[0] == "Voorstel aan het college"
    assert "Bijlage: de details" in texts
    assert b"<dc:language>nl-BE</dc:language>" in document.xml() or "nl-BE" in str(document.meta)
    assert "Gestegen van fase 2 naar fase 3" in teletype.extractText(document.text)


# --- DOCX ---------------------------------------------------------------------------------------


def docx_open(content: bytes):
    return docx.Document(io.BytesIO(content))


def docx_headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


def test_docx_has_the_proposal_the_priorities_and_the_annex(people, two_assessments):
    response = reader(people.viewer).get(document_url(two_assessments, "docx"))

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES["docx"]
    document = docx_open(response.content)
    headings = docx_headings(document)
    assert headings[0] == ("Heading 1", "Proposal to the college")
    for style, expected in (
        ("Heading 2", "Situation"),
        ("Heading 2", "Top 3 priorities"),
        ("Heading 2", "What we ask of the college"),
        ("Heading 1", "Annex: the detail"),
        ("Heading 2", "Growth path"),
        ("Heading 2", "Profile"),
        ("Heading 2", "History"),
    ):
        assert (style, expected) in headings, expected
    assert {style for style, _text in headings} == {"Heading 1", "Heading 2", "Heading 3"}
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    statements = priorities(people, two_assessments)
    assert [text.split("\n")[0] for text in numbered[:3]] == statements
    request = next(p for p in document.paragraphs if p.text.startswith("[Write here"))
    assert request.runs[0].italic


def test_docx_tables_chart_header_and_fields(people, two_assessments):
    document = docx_open(reader(people.viewer).get(document_url(two_assessments, "docx")).content)

    growth = document.tables[0]
    assert [cell.text for cell in growth.rows[0].cells] == [
        "Phase",
        "Fulfilment",
        "Threshold",
        "Answered",
        "Reached",
    ]
    assert [row.cells[0].text for row in document.tables[-1].rows[1:]] == [
        "Meting 2025",
        "Meting 2026",
    ]
    [chart] = document.inline_shapes
    assert chart._inline.docPr.get("descr").startswith("Maturity index per dimension (0–4): ")
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Gemeente Voorbeeld"
    footer = section.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert 'TOC \\o "1-3"' in document.element.body.xml
    assert document.core_properties.title == "Meting 2026 · Gemeente Voorbeeld"
    assert document.core_properties.language == "en-GB"


def test_docx_in_dutch(people, two_assessments):
    content = reader(people.viewer, "nl-be").get(document_url(two_assessments, "docx")).content

    document = docx_open(content)
    assert docx_headings(document)[0] == ("Heading 1", "Voorstel aan het college")
    assert document.core_properties.language == "nl-BE"
    assert 'w:val="nl-BE"' in document.styles.element.xml


def test_document_of_an_unanswered_draft_claims_no_priorities(people, draft):
    document = docx_open(reader(people.viewer).get(document_url(draft, "docx")).content)

    headings = [text for _style, text in docx_headings(document)]
    assert "Answer these first" in headings
    assert "Top 3 priorities" not in headings
    assert any(p.text == "Provisional" for p in document.paragraphs)


def test_document_of_a_draft_is_rendered_again_when_its_answers_change(people, draft):
    client = reader(people.viewer)
    before = odt_open(client.get(document_url(draft, "odt")).content)

    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    after = odt_open(client.get(document_url(draft, "odt")).content)

    assert "Phase: not yet known" in teletype.extractText(before.text)
    assert "Phase: not yet known" not in teletype.extractText(after.text)


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_anonymous_visitor_is_sent_to_login(client, submitted, fmt):
    response = client.get(document_url(submitted, fmt))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_document_of_another_organisation_is_404(client, submitted, fmt):
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)

    assert client.get(document_url(submitted, fmt)).status_code == 404


def test_unknown_format_is_404(people, submitted):
    url = reverse("reports:report", args=[submitted.pk]).replace("report/", "report.rtf")

    assert reader(people.viewer).get(url).status_code == 404


def test_report_page_links_the_documents(people, submitted):
    content = reader(people.viewer).get(reverse("reports:report", args=[submitted.pk])).content

    assert document_url(submitted, "odt").encode() in content
    assert document_url(submitted, "docx").encode() in content


# --- a large report ---------------------------------------------------------------------------


@pytest.fixture
def large_report(db):
    """200 criteria over 6 dimensions, 10 submitted years and a draft with 6 perspectives.

    (Answers of a submitted assessment cannot be added: the perspectives answer the draft.)
    """
    structure = model_version_structure(version=bench_model(slug="groot", criteria_count=200))
    organisation = bench_organisation(
        number=7, structure=structure, assessments=10, password="-", rng=random.Random(7)
    )
    latest = organisation.assessments.get(status="draft")
    first = dict(Answer.objects.filter(assessment=latest).values_list("criterion_id", "value"))
    user = Membership.objects.filter(organisation=organisation, role="admin").first().user
    rng = random.Random(8)
    for number in range(5):
        perspective = Perspective.objects.create(
            assessment=latest, name=f"Dienst {number + 1}", created_by=user
        )
        Answer.objects.bulk_create(
            Answer(
                assessment=latest,
                perspective=perspective,
                criterion_id=criterion_id,
                value=str(max(0, min(4, int(value) + rng.randint(-2, 2)))),
                updated_by=user,
            )
            for criterion_id, value in first.items()
        )
    return report_get(user=user, assessment_pk=latest.pk, language="en")


def test_a_report_of_200_criteria_6_perspectives_and_10_years_renders_in_every_format(
    large_report,
):
    assert len(large_report.structure.criteria) == 200
    assert len(large_report.perspectives.perspectives) == 6
    assert len(large_report.history) == 10

    with translation.override("en"):
        pdf = document_render(large_report, "pdf")
        odt = odt_open(document_render(large_report, "odt"))
        word = docx_open(document_render(large_report, "docx"))

    assert pdf.startswith(b"%PDF-")
    assert "Perspectives" in [text for _level, text, _style in odt_headings(odt)]
    history = odt_table_cells(odt.text.getElementsByType(odf_table.Table)[-1])
    assert len(history) == 11
    assert len(word.tables[-1].rows) == 11
    advice = sum(len(rows) for _dimension, rows in large_report.advice)
    bullets = [p for p in word.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) >= advice


def test_a_logo_goes_in_the_page_header_with_its_alt_text(people, two_assessments):
    """The hook for the organisation's logo (issue 33, item 4): a PNG in both headers."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 40), "navy").save(buffer, format="PNG")
    logo = Image(buffer.getvalue(), "Logo of Gemeente Voorbeeld", 3.0, 1.0, "Logo")
    report = report_get(user=people.viewer, assessment_pk=two_assessments.pk, language="en")

    with translation.override("en"):
        odt = odt_open(document_render(report, "odt", logo=logo))
        word = docx_open(document_render(report, "docx", logo=logo))

    [header] = odt.masterstyles.getElementsByType(odf_style.Header)
    [frame] = header.getElementsByType(draw.Frame)
    assert teletype.extractText(frame.getElementsByType(svg.Desc)[0]) == logo.alt
    assert teletype.extractText(header).endswith("Gemeente Voorbeeld")
    paragraph = word.sections[0].header.paragraphs[0]
    assert 'descr="Logo of Gemeente Voorbeeld"' in paragraph._p.xml
    assert paragraph.text.endswith("Gemeente Voorbeeld")


def test_the_organisations_uploaded_logo_is_in_the_downloaded_documents(people, submitted):
    """The logo an admin uploads (PNG/JPEG) reaches both documents' headers, sized to fit."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 100), "navy").save(buffer, format="JPEG")
    organisation_logo_set(organisation=people.organisation, content=buffer.getvalue())
    client = reader(people.viewer)

    odt = odt_open(client.get(document_url(submitted, "odt")).content)
    word = docx_open(client.get(document_url(submitted, "docx")).content)

    [header] = odt.masterstyles.getElementsByType(odf_style.Header)
    [frame] = header.getElementsByType(draw.Frame)
    alt = f"Logo of {people.organisation.name}"
    assert teletype.extractText(frame.getElementsByType(svg.Desc)[0]) == alt
    assert frame.getAttribute("width") == "4.0cm"  # 9:1 is capped at the widest box
    assert f'descr="{alt}"' in word.sections[0].header.paragraphs[0]._p.xml


def test_an_svg_logo_stays_out_of_the_documents(people, submitted):
    """Neither writer embeds SVG: the header has the organisation's name only."""
    organisation_logo_set(
        organisation=people.organisation,
        content=b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        b'<rect width="40" height="20" fill="navy"/></svg>',
    )

    word = docx_open(reader(people.viewer).get(document_url(submitted, "docx")).content)

    paragraph = word.sections[0].header.paragraphs[0]
    assert "descr=" not in paragraph._p.xml
    assert paragraph.text.endswith(people.organisation.name)


def test_document_figures_are_the_reports_as_the_page_writes_them(people, two_assessments):
    """One home per number: the tables carry the Report's figures through its formatters."""
    report = report_get(user=people.viewer, assessment_pk=two_assessments.pk, language="en")
    with translation.override("en"):
        odt = odt_open(document_render(report, "odt"))
        expected_profile = [
            [row.dimension.name, index_format(row.index), signed_delta(row.delta)]
            for row in report.dimensions
        ]
        expected_growth = [
            [percent(step.fulfilment), percent(step.threshold), percent(step.coverage)]
            for step in report.steps
        ]

    tables = [odt_table_cells(t) for t in odt.text.getElementsByType(odf_table.Table)]
    growth, profile = tables[0][1:], tables[1][1:]
    assert [[row[0], row[2], row[3]] for row in profile] == expected_profile
    assert [row[1:4] for row in growth] == expected_growth
    assert "Maturity index 3.3 of 4" in teletype.extractText(odt.text)
