"""The blocks of an editable document, written out as ODT (`odt.py`) and DOCX (`docx.py`).

A `Document` is plain data: headings of level 1–3, paragraphs, lists, tables, images with their
alt text, a table of contents and page breaks, with its metadata and the text of its page
header. Whoever composes one (the report in `reports.documents.structure`, a session's agenda in
`trajectories.agenda`) knows nothing of ODF or OOXML; the writers know nothing of Django's models.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int  # 1–3: the styles Heading 1–3
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `lead` is written bold before the text; `style` one of STYLES."""

    text: str
    lead: str = ""
    style: str = "body"


# body: the text; request: the placeholder the author replaces; caption: under a figure or
# above a table; note: smaller, grey; subtitle: under the title.
STYLES = ("body", "request", "caption", "note", "subtitle")


@dataclass(frozen=True)
class ListItem:
    text: str
    lead: str = ""  # bold, before the text
    details: tuple[str, ...] = ()  # further lines of the same item


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool = False


TABLE_WIDTH_CM = 17.0
ROW_HEADER_CM = 5.0  # the first column (a dimension's or phase's name) of a wider table


@dataclass(frozen=True)
class Table:
    """A table with a header row; the first cell of every row is its row header.

    `caption`: above the table, when it says more than the heading before it ("" for none).
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def widths_cm(self) -> tuple[float, ...]:
        """The columns' widths: names in the first column get room, the figures share the rest."""
        count = len(self.header)
        if count < 4:
            return (round(TABLE_WIDTH_CM / count, 2),) * count
        rest = round((TABLE_WIDTH_CM - ROW_HEADER_CM) / (count - 1), 2)
        return (ROW_HEADER_CM, *(rest,) * (count - 1))


@dataclass(frozen=True)
class Image:
    png: bytes
    alt: str
    width_cm: float
    height_cm: float
    caption: str


@dataclass(frozen=True)
class Contents:
    """The table of contents field (headings 1–3), filled with the headings when written."""

    title: str


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | ListBlock | Table | Image | Contents | PageBreak


@dataclass(frozen=True)
class Document:
    """A whole document: its metadata, the header and footer texts and its blocks."""

    title: str
    subject: str
    language: str  # e.g. "nl-be", "en"
    header: str  # the page header's text: the organisation's name, a trajectory's name
    page_word: str  # "Page" in the footer: "Page 2 / 7"
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    # A logo as PNG, in the page header before its text (None: the text only).
    logo: Image | None = None
    author: str = ""  # the metadata's author; "" for the header's text

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Heading))
