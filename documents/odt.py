"""A `Document` written as OpenDocument Text (ODT, the Flemish government's open standard).

odfpy builds the XML through ODF's own element classes (a misspelt element or attribute is an
error, not a silently broken file). The styles are the ones LibreOffice and Word know by name:
Heading 1–3 (`Heading_20_1`, with outline levels, so the table of contents and a tagged PDF
export find them), Text body, Table Contents, a list style per list kind; a header with the
document's header text (an organisation's or a trajectory's name) and a footer "Page n / m"
with fields.
"""

import io

from odf import dc
from odf.draw import Frame
from odf.draw import Image as DrawImage
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    Footer,
    Header,
    ListLevelProperties,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TextProperties,
)
from odf.svg import Desc, Title
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import (
    H,
    IndexBody,
    IndexEntryChapter,
    IndexEntryLinkEnd,
    IndexEntryLinkStart,
    IndexEntryPageNumber,
    IndexEntryTabStop,
    IndexEntryText,
    IndexTitle,
    IndexTitleTemplate,
    LineBreak,
    List,
    ListItem,
    ListLevelStyleBullet,
    ListLevelStyleNumber,
    ListStyle,
    P,
    PageCount,
    PageNumber,
    Span,
    TableOfContent,
    TableOfContentEntryTemplate,
    TableOfContentSource,
)

from documents import structure as s

FONT = "Liberation Sans"
HEADING_SIZES = {1: "18pt", 2: "14pt", 3: "12pt"}
ACCENT = "#1f4e8c"


def _language(code: str) -> tuple[str, str]:
    """nl-be → ("nl", "BE"); en → ("en", "GB")."""
    language, _sep, country = code.partition("-")
    return language, (country or ("GB" if language == "en" else language)).upper()


class _Writer:
    def __init__(self, document: s.Document) -> None:
        self.document = document
        self.odt = OpenDocumentText()
        self.tables = 0
        self.images = 0
        self._styles()

    def _style(self, name: str, family: str, *properties, **attributes) -> Style:
        style = Style(name=name, family=family, **attributes)
        for item in properties:
            style.addElement(item)
        return style

    def _styles(self) -> None:
        odt, (language, country) = self.odt, _language(self.document.language)
        default = DefaultStyle(family="paragraph")
        default.addElement(
            TextProperties(
                fontname=FONT,
                fontfamily=FONT,
                fontsize="10.5pt",
                language=language,
                country=country,
            )
        )
        odt.styles.addElement(default)
        odt.styles.addElement(self._style("Standard", "paragraph", TextProperties(fontfamily=FONT)))
        body = ParagraphProperties(margintop="0cm", marginbottom="0.2cm")
        odt.styles.addElement(
            self._style(
                "Text_20_body",
                "paragraph",
                body,
                displayname="Text body",
                parentstylename="Standard",
            )
        )
        odt.styles.addElement(
            self._style(
                "Heading",
                "paragraph",
                ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm", keepwithnext="always"),
                TextProperties(fontfamily=FONT, fontweight="bold", color=ACCENT),
                parentstylename="Standard",
                nextstylename="Text_20_body",
            )
        )
        for level, size in HEADING_SIZES.items():
            odt.styles.addElement(
                self._style(
                    f"Heading_20_{level}",
                    "paragraph",
                    TextProperties(fontsize=size),
                    displayname=f"Heading {level}",
                    parentstylename="Heading",
                    nextstylename="Text_20_body",
                    defaultoutlinelevel=str(level),
                )
            )
        odt.styles.addElement(
            self._style(
                "Contents_20_Heading",
                "paragraph",
                TextProperties(fontsize="14pt", fontweight="bold", color=ACCENT),
                displayname="Contents Heading",
                parentstylename="Heading",
            )
        )
        for level in (1, 2, 3):
            odt.styles.addElement(
                self._style(
                    f"Contents_20_{level}",
                    "paragraph",
                    ParagraphProperties(marginleft=f"{(level - 1) * 0.5}cm"),
                    displayname=f"Contents {level}",
                    parentstylename="Standard",
                )
            )
        odt.styles.addElement(
            self._style(
                "Table_20_Contents",
                "paragraph",
                displayname="Table Contents",
                parentstylename="Standard",
            )
        )
        odt.styles.addElement(
            self._style(
                "Table_20_Heading",
                "paragraph",
                TextProperties(fontweight="bold"),
                displayname="Table Heading",
                parentstylename="Table_20_Contents",
            )
        )
        odt.styles.addElement(
            self._style(
                "Caption",
                "paragraph",
                TextProperties(fontstyle="italic", fontsize="9.5pt"),
                ParagraphProperties(margintop="0.1cm", marginbottom="0.3cm"),
                parentstylename="Standard",
            )
        )
        odt.styles.addElement(
            self._style(
                "Subtitle",
                "paragraph",
                TextProperties(fontsize="11pt", color="#444444"),
                ParagraphProperties(marginbottom="0.4cm"),
                parentstylename="Standard",
            )
        )
        odt.styles.addElement(
            self._style(
                "Note",
                "paragraph",
                TextProperties(fontsize="9pt", color="#555555"),
                parentstylename="Text_20_body",
            )
        )
        odt.styles.addElement(
            self._style(
                "Request",
                "paragraph",
                ParagraphProperties(
                    backgroundcolor="#fff3cd", padding="0.2cm", border="0.5pt solid #b58900"
                ),
                TextProperties(fontstyle="italic"),
                displayname="Request to the college",
                parentstylename="Text_20_body",
            )
        )
        odt.styles.addElement(
            self._style(
                "Header",
                "paragraph",
                TextProperties(fontsize="9pt", color="#444444"),
                parentstylename="Standard",
            )
        )
        footer = self._style(
            "Footer",
            "paragraph",
            TextProperties(fontsize="9pt"),
            ParagraphProperties(textalign="end"),
            parentstylename="Standard",
        )
        odt.styles.addElement(footer)
        odt.automaticstyles.addElement(
            self._style(
                "Break",
                "paragraph",
                ParagraphProperties(breakafter="page"),
                parentstylename="Standard",
            )
        )
        odt.automaticstyles.addElement(
            self._style("Strong", "text", TextProperties(fontweight="bold"))
        )
        odt.automaticstyles.addElement(
            self._style("ReportTable", "table", TableProperties(width="17cm", align="left"))
        )
        # A row stays on one page (a name is not cut in two).
        odt.automaticstyles.addElement(
            self._style("Row", "table-row", TableRowProperties(keeptogether="always"))
        )
        border = "0.5pt solid #999999"
        odt.automaticstyles.addElement(
            self._style("Cell", "table-cell", TableCellProperties(border=border, padding="0.08cm"))
        )
        odt.automaticstyles.addElement(
            self._style(
                "HeadCell",
                "table-cell",
                TableCellProperties(border=border, padding="0.08cm", backgroundcolor="#e9ecef"),
            )
        )
        self.bullets = ListStyle(name="Bullets")
        self.numbers = ListStyle(name="Numbers")
        for level in range(1, 4):
            bullet = ListLevelStyleBullet(level=level, bulletchar="•")
            bullet.addElement(
                ListLevelProperties(spacebefore=f"{0.4 * level}cm", minlabelwidth="0.4cm")
            )
            self.bullets.addElement(bullet)
            number = ListLevelStyleNumber(level=level, numformat="1", numsuffix=".")
            number.addElement(
                ListLevelProperties(spacebefore=f"{0.4 * level}cm", minlabelwidth="0.5cm")
            )
            self.numbers.addElement(number)
        odt.automaticstyles.addElement(self.bullets)
        odt.automaticstyles.addElement(self.numbers)
        layout = PageLayout(name="A4")
        layout.addElement(
            PageLayoutProperties(
                pagewidth="21cm",
                pageheight="29.7cm",
                margintop="1.6cm",
                marginbottom="1.6cm",
                marginleft="2cm",
                marginright="2cm",
                printorientation="portrait",
            )
        )
        odt.automaticstyles.addElement(layout)
        master = MasterPage(name="Standard", pagelayoutname=layout)
        header = Header()
        line = P(stylename="Header")
        if self.document.logo is not None:
            line.addElement(self._frame(self.document.logo, "Logo"))
            line.addText(" ")
        line.addText(self.document.header)
        header.addElement(line)
        master.addElement(header)
        footer_element = Footer()
        line = P(stylename="Footer", text=f"{self.document.page_word} ")
        line.addElement(PageNumber(selectpage="current", numformat="1"))
        line.addText(" / ")
        line.addElement(PageCount())
        footer_element.addElement(line)
        master.addElement(footer_element)
        odt.masterstyles.addElement(master)

    def _text(self, paragraph, text: str, lead: str = "") -> None:
        if lead:
            paragraph.addElement(Span(stylename="Strong", text=lead))
        if text:
            paragraph.addText(text)

    def heading(self, block: s.Heading) -> None:
        self.odt.text.addElement(
            H(outlinelevel=block.level, stylename=f"Heading_20_{block.level}", text=block.text)
        )

    def paragraph(self, block: s.Paragraph) -> None:
        names = {
            "body": "Text_20_body",
            "request": "Request",
            "caption": "Caption",
            "note": "Note",
            "subtitle": "Subtitle",
        }
        paragraph = P(stylename=names[block.style])
        self._text(paragraph, block.text, block.lead)
        self.odt.text.addElement(paragraph)

    def list(self, block: s.ListBlock) -> None:
        element = List(stylename=self.numbers if block.ordered else self.bullets)
        for item in block.items:
            paragraph = P(stylename="Text_20_body")
            self._text(paragraph, item.text, item.lead)
            for line in item.details:
                paragraph.addElement(LineBreak())
                paragraph.addText(line)
            entry = ListItem()
            entry.addElement(paragraph)
            element.addElement(entry)
        self.odt.text.addElement(element)

    def table(self, block: s.Table) -> None:
        self.tables += 1
        if block.caption:
            self.odt.text.addElement(P(stylename="Caption", text=block.caption))
        table = Table(name=f"Table{self.tables}", stylename="ReportTable")
        for place, width in enumerate(block.widths_cm):
            column_style = self._style(
                f"Col{self.tables}.{place}",
                "table-column",
                TableColumnProperties(columnwidth=f"{width}cm"),
            )
            self.odt.automaticstyles.addElement(column_style)
            table.addElement(TableColumn(stylename=column_style))
        head = TableHeaderRows()
        row = TableRow()
        for text in block.header:
            cell = TableCell(stylename="HeadCell", valuetype="string")
            cell.addElement(P(stylename="Table_20_Heading", text=text))
            row.addElement(cell)
        head.addElement(row)
        table.addElement(head)
        for cells in block.rows:
            row = TableRow(stylename="Row")
            for place, text in enumerate(cells):
                cell = TableCell(stylename="Cell", valuetype="string")
                style = "Table_20_Heading" if place == 0 else "Table_20_Contents"
                cell.addElement(P(stylename=style, text=text))
                row.addElement(cell)
            table.addElement(row)
        self.odt.text.addElement(table)

    def _frame(self, block: s.Image, name: str) -> Frame:
        """An image in a frame of its own, with its caption as title and its alt text."""
        self.images += 1
        href = self.odt.addPicture(f"Pictures/image{self.images}.png", "image/png", block.png)
        frame = Frame(
            name=f"{name}{self.images}",
            anchortype="as-char",
            width=f"{block.width_cm}cm",
            height=f"{block.height_cm}cm",
        )
        frame.addElement(DrawImage(href=href))
        frame.addElement(Title(text=block.caption))
        frame.addElement(Desc(text=block.alt))
        return frame

    def image(self, block: s.Image) -> None:
        paragraph = P(stylename="Text_20_body")
        paragraph.addElement(self._frame(block, "Chart"))
        self.odt.text.addElement(paragraph)
        self.odt.text.addElement(P(stylename="Caption", text=block.caption))

    def contents(self, block: s.Contents) -> None:
        """A table of contents over headings 1–3, filled with them (page numbers on update)."""
        toc = TableOfContent(name="Contents", protected="true")
        source = TableOfContentSource(outlinelevel=3)
        source.addElement(IndexTitleTemplate(stylename="Contents_20_Heading", text=block.title))
        for level in (1, 2, 3):
            template = TableOfContentEntryTemplate(
                outlinelevel=level, stylename=f"Contents_20_{level}"
            )
            template.addElement(IndexEntryLinkStart(stylename="Strong"))
            template.addElement(IndexEntryChapter())
            template.addElement(IndexEntryText())
            template.addElement(IndexEntryTabStop(type="right", leaderchar="."))
            template.addElement(IndexEntryPageNumber())
            template.addElement(IndexEntryLinkEnd())
            source.addElement(template)
        toc.addElement(source)
        body = IndexBody()
        title = IndexTitle(name="Contents_Head")
        title.addElement(P(stylename="Contents_20_Heading", text=block.title))
        body.addElement(title)
        after = self.document.blocks[self.document.blocks.index(block) + 1 :]
        for heading in (b for b in after if isinstance(b, s.Heading)):
            body.addElement(P(stylename=f"Contents_20_{heading.level}", text=heading.text))
        toc.addElement(body)
        self.odt.text.addElement(toc)

    def page_break(self, _block: s.PageBreak) -> None:
        self.odt.text.addElement(P(stylename="Break"))

    def write(self) -> bytes:
        document = self.document
        self.odt.meta.addElement(dc.Title(text=document.title))
        self.odt.meta.addElement(dc.Subject(text=document.subject))
        language, country = _language(document.language)
        self.odt.meta.addElement(dc.Language(text=f"{language}-{country}"))
        handlers = {
            s.Heading: self.heading,
            s.Paragraph: self.paragraph,
            s.ListBlock: self.list,
            s.Table: self.table,
            s.Image: self.image,
            s.Contents: self.contents,
            s.PageBreak: self.page_break,
        }
        for block in document.blocks:
            handlers[type(block)](block)
        out = io.BytesIO()
        self.odt.write(out)
        return out.getvalue()


def render_odt(document: s.Document) -> bytes:
    """The document as ODT bytes."""
    return _Writer(document).write()
