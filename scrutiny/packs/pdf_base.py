"""The event pack PDF's parts every section uses: its styles, its document (A4, a page number
at the foot of every page in the language of the part it is in, contents built from the
headings of each language's part) and small helpers. Split from `scrutiny.packs.pdf`, which
writes the sections."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from scrutiny.packs.data import PackData
from scrutiny.packs.words import rating_word
from scrutiny.scorecard import ScorecardRow

# Each rating's colour, always printed with its words (colour never carries meaning alone).
RATING_COLOURS = {
    "strong": colors.HexColor("#00703c"),
    "some": colors.HexColor("#b35900"),
    "limited": colors.HexColor("#d4351c"),
    "insufficient": colors.HexColor("#505a5f"),
}
BRAND = colors.HexColor("#1d4f91")
GRID = colors.HexColor("#b1b4b6")

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("PackTitle", parent=_base["Title"], fontSize=26, leading=32),
    "subtitle": ParagraphStyle(
        "PackSubtitle", parent=_base["Normal"], fontSize=14, leading=20, alignment=TA_CENTER
    ),
    "h1": ParagraphStyle("PackH1", parent=_base["Heading1"], fontSize=18, leading=22),
    "h2": ParagraphStyle("PackH2", parent=_base["Heading2"], fontSize=14, leading=18),
    "body": ParagraphStyle("PackBody", parent=_base["Normal"], fontSize=11, leading=15),
    "small": ParagraphStyle("PackSmall", parent=_base["Normal"], fontSize=9.5, leading=12.5),
    "quote": ParagraphStyle(
        "PackQuote",
        parent=_base["Normal"],
        fontSize=11,
        leading=15,
        leftIndent=12,
        textColor=colors.HexColor("#0b0c0c"),
        fontName="Helvetica-Oblique",
    ),
    "toc1": ParagraphStyle("TOC1", parent=_base["Normal"], fontSize=11, leading=16),
}


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


# The document's language as PDF readers want it (the first part's, where there are two).
PDF_LANGUAGES = {"en": "en-GB", "cy": "cy-GB"}


def part_language(language: str | None) -> str:
    """ "cy" for Welsh (as "cy-gb" too), else "en": the languages a pack is built in."""
    return "cy" if (language or "").lower().startswith("cy") else "en"


class _PackDocument(BaseDocTemplate):
    """A4 with a page number at the foot of every page and contents built from the headings.

    A pack in Welsh and English is one document of two parts, one after the other: `PartStart`
    says where the next part begins, so each page's foot and each part's contents are in the
    part's own language."""

    def __init__(self, buffer: BytesIO, data: PackData, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self.part = languages[0]
        with translation.override(self.part):
            title = gettext("Scrutiny event pack: %(title)s") % {"title": data.title}
            subject = gettext("Evidence, findings and draft actions for %(title)s") % {
                "title": data.title
            }
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=title,
            author=data.partnership,
            subject=subject,
            creator="Safeguarding scrutiny",
            lang=PDF_LANGUAGES[self.part],
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])
        self._footer_text = f"{data.partnership} · {data.title}"

    def beforeDocument(self) -> None:
        self.part = self.languages[0]  # each pass of a multiBuild starts from the first part

    def _footer(self, canvas: Any, doc: Any) -> None:
        with translation.override(self.part):
            number = gettext("Page %(number)s") % {"number": doc.page}
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(20 * mm, 10 * mm, self._footer_text)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, number)
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, PartStart):
            self.part = flowable.language
        if isinstance(flowable, Paragraph) and flowable.style.name == "PackH1":
            text = flowable.getPlainText()
            key = f"{self.part}-h-{self.seq.nextf('heading')}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0, closed=False)
            self.notify("TOCEntry", (0, text, self.page, key))


class PartStart(Flowable):
    """Nothing on the page: the next part of the document (after the page break that follows)
    is in `language`."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        return None


class PartContents(TableOfContents):
    """The contents of one language's part: only its own headings."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.levelStyles = [STYLES["toc1"]]

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == "TOCEntry" and not str(stuff[3]).startswith(f"{self.language}-"):
            return
        super().notify(kind, stuff)


def _table(rows: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ]
    table.setStyle(TableStyle(style))
    return table


def _score(value: float | None) -> str:
    return gettext("no evidence") if value is None else f"{value:.1f}"


def _rating(row: ScorecardRow) -> Paragraph:
    colour = RATING_COLOURS[row.rating].hexval()[2:]
    words = escape(rating_word(row.rating, row.rating_label))
    return Paragraph(f'<font color="#{colour}"><b>{words}</b></font>', STYLES["small"])
