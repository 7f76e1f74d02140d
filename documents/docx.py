"""A `Document` written as Word (DOCX) with python-docx.

python-docx starts from its own template, whose styles are Word's built-in ones (Heading 1–3,
Title, List Bullet, List Number, Table Grid, Caption), so Word's navigation pane, its table of
contents and a tagged PDF export find the headings. What python-docx has no API for is written
as WordprocessingML: the fields (TOC, PAGE, NUMPAGES), alt text on the picture, the document
language and a numbered list that restarts at 1.
"""

import copy
import io

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from documents import structure as s

ACCENT = RGBColor(0x1F, 0x4E, 0x8C)
HEADING_SIZES = {1: 18, 2: 14, 3: 12}


def _language(code: str) -> str:
    """nl-be → nl-BE; en → en-GB (Word's language tags)."""
    language, _sep, country = code.partition("-")
    return f"{language}-{(country or ('GB' if language == 'en' else language)).upper()}"


def _field(paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (`instruction`, e.g. PAGE or TOC) with `shown` as its current result."""

    def run_with(element):
        run = OxmlElement("w:r")
        run.append(element)
        paragraph._p.append(run)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    if shown:
        result = OxmlElement("w:t")
        result.set(qn("xml:space"), "preserve")
        result.text = shown
        run_with(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


class _Writer:
    def __init__(self, document: s.Document) -> None:
        self.document = document
        self.docx = new_docx()
        self.style_ids: dict[str, str] = {}
        self._setup()

    def _add(self, style: str | None = None, text: str = ""):
        """A new paragraph in a style given by name.

        The style's id is looked up once: python-docx looks a name up among all styles on every
        `add_paragraph(style=...)`, which was most of a long report's time.
        """
        paragraph = self.docx.add_paragraph(text)
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.docx.styles[style].style_id
            paragraph._p.style = self.style_ids[style]
        return paragraph

    def _setup(self) -> None:
        docx, document = self.docx, self.document
        properties = docx.core_properties
        properties.title = document.title
        properties.subject = document.subject
        properties.author = document.author or document.header
        properties.language = _language(document.language)
        styles = docx.styles
        normal = styles["Normal"]
        normal.font.name = "Liberation Sans"
        normal.font.size = Pt(10.5)
        # The document's language, for spelling and for screen readers of a PDF export.
        defaults = styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = run_defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        lang.set(qn("w:val"), _language(document.language))
        for level, size in HEADING_SIZES.items():
            style = styles[f"Heading {level}"]
            style.font.size = Pt(size)
            style.font.color.rgb = ACCENT
        section = docx.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
        header = section.header.paragraphs[0]
        header.style = styles["Header"]
        if document.logo is not None:
            self._picture(header.add_run(), document.logo)
            header.add_run(" ")
        header.add_run(document.header)
        footer = section.footer.paragraphs[0]
        footer.style = styles["Footer"]
        footer.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        footer.add_run(f"{document.page_word} ")
        _field(footer, "PAGE", "1")
        footer.add_run(" / ")
        _field(footer, "NUMPAGES", "1")
        # Word brings the fields (the table of contents) up to date when it opens the file.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        docx.settings.element.append(update)

    def _text(self, paragraph, text: str, lead: str = "") -> None:
        if lead:
            paragraph.add_run(lead).bold = True
        if text:
            paragraph.add_run(text)

    def heading(self, block: s.Heading) -> None:
        self._add(f"Heading {block.level}", block.text)

    def paragraph(self, block: s.Paragraph) -> None:
        styles = {"caption": "Caption", "subtitle": "Subtitle"}
        paragraph = self._add(styles.get(block.style))
        self._text(paragraph, block.text, block.lead)
        if block.style == "note":
            for run in paragraph.runs:
                run.font.size = Pt(9)
        elif block.style == "request":
            self._request(paragraph)

    def _request(self, paragraph) -> None:
        """The placeholder for what is asked of the college: shaded, boxed, in italics."""
        for run in paragraph.runs:
            run.italic = True
        properties = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            border = OxmlElement(f"w:{side}")
            for name, value in (
                ("val", "single"),
                ("sz", "4"),
                ("space", "4"),
                ("color", "B58900"),
            ):
                border.set(qn(f"w:{name}"), value)
            borders.append(border)
        properties.append(borders)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "FFF3CD")
        properties.append(shading)

    def _restarted_numbering(self) -> int:
        """A new numbering instance of List Number that starts at 1 (each ordered list)."""
        numbering = self.docx.part.numbering_part.element
        num_id = self.docx.styles["List Number"].element.pPr.numPr.numId.val
        existing = numbering.num_having_numId(num_id)
        new = copy.deepcopy(existing)
        new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
        new.set(qn("w:numId"), str(new_id))
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        new.append(override)
        numbering.append(new)
        return new_id

    def list(self, block: s.ListBlock) -> None:
        style = "List Number" if block.ordered else "List Bullet"
        num_id = self._restarted_numbering() if block.ordered else None
        for item in block.items:
            paragraph = self._add(style)
            self._text(paragraph, item.text, item.lead)
            for line in item.details:
                run = paragraph.add_run()
                run.add_break()
                run.add_text(line)
            if num_id is not None:
                number = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                number.get_or_add_ilvl().val = 0
                number.get_or_add_numId().val = num_id

    def table(self, block: s.Table) -> None:
        if block.caption:
            self._add("Caption", block.caption)
        table = self.docx.add_table(rows=1, cols=len(block.header))
        table.style = self.docx.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = [Cm(width) for width in block.widths_cm]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        head = table.rows[0]
        # The header row repeats on every page and is read as the columns' header.
        header_properties = head._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_properties.append(repeat)
        for cell, text, width in zip(head.cells, block.header, widths, strict=True):
            cell.width = width
            cell.paragraphs[0].add_run(text).bold = True
        for cells in block.rows:
            row = table.add_row()
            # A row stays on one page (a name is not cut in two).
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for place, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
                cell.width = widths[place]
                run = cell.paragraphs[0].add_run(text)
                run.bold = place == 0
        self.docx.add_paragraph()

    def _picture(self, run, block: s.Image) -> None:
        shape = run.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        # Alt text: Word reads wp:docPr's descr (and title).
        properties = shape._inline.docPr
        properties.set("descr", block.alt)
        properties.set("title", block.caption)

    def image(self, block: s.Image) -> None:
        self._picture(self.docx.add_paragraph().add_run(), block)
        self._add("Caption", block.caption)

    def contents(self, block: s.Contents) -> None:
        """The TOC field over headings 1–3; its shown result lists the headings until updated."""
        self._add("TOC Heading", block.title)
        after = self.document.blocks[self.document.blocks.index(block) + 1 :]
        headings = [b for b in after if isinstance(b, s.Heading)]
        paragraph = self.docx.add_paragraph()
        _field(paragraph, 'TOC \\o "1-3" \\h \\z \\u', "")
        # The field's result: one line per heading (Word and LibreOffice replace it on update).
        end = paragraph._p[-1]
        paragraph._p.remove(end)
        for place, heading in enumerate(headings):
            style = self._contents_style(heading.level)
            if place == 0:
                paragraph._p.style = self.style_ids[style]
                line = paragraph
            else:
                line = self._add(style)
            line.add_run(heading.text)
        last = self.docx.paragraphs[-1]
        last._p.append(end)

    def _contents_style(self, level: int) -> str:
        """Word's built-in "TOC n" style, made once (python-docx's template lacks them)."""
        name = f"TOC {level}"
        if name not in self.style_ids:
            style = self.docx.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.docx.styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.5 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
            self.style_ids[name] = style.style_id
        return name

    def page_break(self, _block: s.PageBreak) -> None:
        self.docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def write(self) -> bytes:
        handlers = {
            s.Heading: self.heading,
            s.Paragraph: self.paragraph,
            s.ListBlock: self.list,
            s.Table: self.table,
            s.Image: self.image,
            s.Contents: self.contents,
            s.PageBreak: self.page_break,
        }
        for block in self.document.blocks:
            handlers[type(block)](block)
        out = io.BytesIO()
        self.docx.save(out)
        return out.getvalue()


def render_docx(document: s.Document) -> bytes:
    """The document as DOCX bytes."""
    return _Writer(document).write()
