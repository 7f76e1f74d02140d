"""The document blocks written as ODT and DOCX, without any app: the writers' own contract.

The report's documents (tests/reports/test_documents.py) and the session's agenda
(tests/trajectories/test_agenda_documents.py) test what each composes; here a plain `Document`.
"""

import ast
import io
from pathlib import Path

import docx
from django.conf import settings
from odf import dc, teletype
from odf import style as odf_style
from odf import text as odf_text
from odf.opendocument import load

from documents.docx import render_docx
from documents.odt import render_odt
from documents.structure import Document, Heading, ListBlock, ListItem, Paragraph, Table

DOCUMENT = Document(
    title="Titel · Kop",
    subject="Onderwerp",
    language="nl-be",
    header="Kop van de pagina",
    page_word="Pagina",
    author="Auteur",
    blocks=(
        Heading(1, "Eerste"),
        Paragraph("Tekst", lead="Vet: "),
        Heading(2, "Tweede"),
        ListBlock((ListItem("een"), ListItem("twee")), ordered=True),
        Table("", ("Naam", "Waarde"), (("a", "1"),)),
    ),
)


def test_the_odt_has_heading_styles_metadata_and_the_header():
    document = load(io.BytesIO(render_odt(DOCUMENT)))
    styles = {
        s.getAttribute("name"): s.getAttribute("displayname")
        for s in document.getElementsByType(odf_style.Style)
    }
    headings = [
        (styles[h.getAttribute("stylename")], teletype.extractText(h))
        for h in document.getElementsByType(odf_text.H)
    ]
    assert headings == [("Heading 1", "Eerste"), ("Heading 2", "Tweede")]
    assert teletype.extractText(document.meta.getElementsByType(dc.Title)[0]) == "Titel · Kop"
    assert teletype.extractText(document.meta.getElementsByType(dc.Language)[0]) == "nl-BE"
    header = document.getElementsByType(odf_style.Header)[0]
    assert teletype.extractText(header) == "Kop van de pagina"


def test_the_docx_has_heading_styles_author_and_the_header():
    document = docx.Document(io.BytesIO(render_docx(DOCUMENT)))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [("Heading 1", "Eerste"), ("Heading 2", "Tweede")]
    assert document.core_properties.author == "Auteur"
    assert document.core_properties.title == "Titel · Kop"
    assert "Kop van de pagina" in document.sections[0].header.paragraphs[0].text


def test_documents_imports_no_app():
    apps = {"maturity", "assessments", "actions", "benchmarks", "trajectories", "reports", "sso"}
    found = set()
    for path in (Path(settings.BASE_DIR) / "documents").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
    assert not apps & found
