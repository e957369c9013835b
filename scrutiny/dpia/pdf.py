"""The DPIA document as a PDF (reportlab): A4 landscape, the title, then each section under a
heading with its paragraphs and tables (header rows repeated on every page). Headings are also
the PDF's outline (bookmarks), the nearest reportlab comes to tagged headings; the document's
title, author, subject and language (en-GB) are set, and page numbers are on every page.

Takes a `DpiaDocument` and never queries. Every text is escaped before it goes into a
Paragraph: a partnership's words are text, never markup.
"""

from __future__ import annotations

from typing import IO, Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from scrutiny.dpia.document import DpiaDocument, Section
from scrutiny.dpia.document import Table as DocumentTable
from scrutiny.packs.pdf import GRID, STYLES
from scrutiny.packs.words import long_date

PAGE = landscape(A4)
MARGIN = 15 * mm
HEADER_FILL = colors.HexColor("#f3f2f1")
TO_COMPLETE_FILL = colors.HexColor("#fff7bf")
CELL = ParagraphStyle("DpiaCell", parent=STYLES["small"], fontSize=8.5, leading=10.5)
HEAD = ParagraphStyle("DpiaHead", parent=CELL, fontName="Helvetica-Bold")
HEADINGS = {"PackH1": 0, "PackH2": 1}


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _DpiaDocument(BaseDocTemplate):
    def __init__(self, out: IO[bytes], document: DpiaDocument) -> None:
        super().__init__(
            out,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 5 * mm,
            title=document.title,
            author=document.partnership,
            subject=gettext("Record of processing and data protection impact assessment (draft)"),
            creator="Safeguarding scrutiny",
            lang="cy" if document.language == "cy" else "en-GB",
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])
        self._footer_text = gettext("%(partnership)s · DPIA draft") % {
            "partnership": document.partnership
        }
        self._page_word = gettext("Page %(number)s")

    def _footer(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(MARGIN, 10 * mm, self._footer_text)
        canvas.drawRightString(PAGE[0] - MARGIN, 10 * mm, self._page_word % {"number": doc.page})
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        """Each heading becomes an entry of the outline, sections at the top level."""
        if isinstance(flowable, Paragraph) and flowable.style.name in HEADINGS:
            key = f"h-{self.seq.nextf('heading')}"
            self.canv.bookmarkPage(key)
            level = HEADINGS[flowable.style.name]
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)


def _table(table: DocumentTable, width: float) -> Table:
    total = sum(table.widths) or len(table.header)
    shares = table.widths or tuple(1 for _ in table.header)
    data: list[list[Any]] = [[_p(name, HEAD) for name in table.header]]
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ]
    for number, row in enumerate(table.rows, start=1):
        data.append([_p(value, CELL) for value in row])
        style += [
            ("BACKGROUND", (column, number), (column, number), TO_COMPLETE_FILL)
            for column, value in enumerate(row)
            if not value
        ]
    result = Table(
        data,
        colWidths=[width * share / total for share in shares],
        repeatRows=1,
        splitInRow=1,
    )
    result.setStyle(TableStyle(style))
    return result


def _section(section: Section, width: float) -> list[Any]:
    story: list[Any] = [_p(section.title, STYLES["h1"])]
    story += [_p(paragraph, STYLES["body"]) for paragraph in section.paragraphs]
    for table in section.tables:
        story += [Spacer(0, 3 * mm), _p(table.caption, STYLES["h2"])]
        story.append(_table(table, width) if table.rows else _p(gettext("None."), STYLES["body"]))
    story.append(Spacer(0, 6 * mm))
    return story


def render_dpia_pdf(document: DpiaDocument, *, out: IO[bytes]) -> None:
    with translation.override(document.language):
        _render(document, out)


def _render(document: DpiaDocument, out: IO[bytes]) -> None:
    pdf = _DpiaDocument(out, document)
    story: list[Any] = [
        _p(document.title, STYLES["title"]),
        _p(
            gettext(
                "Written %(date)s. A draft for the data protection officer to check and "
                "complete: shaded cells are theirs to fill in (in the workbook, which they can "
                "edit)."
            )
            % {"date": long_date(document.written_on)},
            STYLES["body"],
        ),
        Spacer(0, 6 * mm),
    ]
    for section in document.sections:
        story += _section(section, pdf.width)
    pdf.build(story)
