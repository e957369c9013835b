"""The delivery plan as a PDF (reportlab), in the layout partnerships publish in their annual
report: A4 landscape, a title, the RAG key in words, then one table with columns Priority,
Outcome, Action, Timescale, Responsible, Update, RAG, grouped by priority (a bold full-width row
for each, as the workbook does), its header repeated on every page. Each RAG cell is filled with
its BRAG colour and always says its word (colour never carries meaning alone). Page numbers on
every page; the document's title, author, subject and language (en-GB, or cy-GB) are set.

Written in the active language; in Welsh and English (`render_plan_pdf(..., languages=("cy",
"en"))`), the Welsh plan then the English, each whole, one after the other.

Takes `PlanRow`s (plain, already grouped and sorted by priority) and never queries. Every text is
escaped before it goes into a Paragraph: an update is text, never markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from scrutiny.packs.pdf import GRID, STYLES
from scrutiny.packs.pdf_base import PDF_LANGUAGES, PartStart, part_language
from scrutiny.packs.plan import plan_columns
from scrutiny.packs.words import long_date
from scrutiny.plan.brag import brag_word, key_line
from scrutiny.plan.selectors import PlanRow

# Shares of the frame's width, near the workbook's column widths (28, 36, 50, 14, 30, 50, 10).
WIDTHS = (0.12, 0.16, 0.22, 0.1, 0.13, 0.2, 0.07)
# The BRAG colours of the workbook; white text on all but amber.
FILLS = {
    "blue": colors.HexColor("#1d70b8"),
    "green": colors.HexColor("#00703c"),
    "amber": colors.HexColor("#ffbf47"),
    "red": colors.HexColor("#d4351c"),
}
LIGHT_TEXT = {"blue", "green", "red"}
NEAR_BLACK = colors.HexColor("#0b0c0c")
HEADER_FILL = colors.HexColor("#f3f2f1")
PRIORITY_FILL = colors.HexColor("#e8f1f8")
PAGE = landscape(A4)
MARGIN = 15 * mm

CELL = ParagraphStyle("PlanCell", parent=STYLES["small"], fontSize=9, leading=11.5)
STYLES_HERE = {
    "cell": CELL,
    "head": ParagraphStyle("PlanHead", parent=CELL, fontName="Helvetica-Bold"),
    "priority": ParagraphStyle("PlanPriority", parent=CELL, fontName="Helvetica-Bold", fontSize=10),
    "rag-light": ParagraphStyle(
        "PlanRagLight", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white
    ),
    "rag-dark": ParagraphStyle(
        "PlanRagDark", parent=CELL, fontName="Helvetica-Bold", textColor=NEAR_BLACK
    ),
}


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _cell(text: str, style: str = "cell") -> Paragraph:
    return _p(text, STYLES_HERE[style])


def _date(value: dt.date | None) -> str:
    return "" if value is None else long_date(value)


class _PlanDocument(BaseDocTemplate):
    """A4 landscape with the plan's name and a page number at the foot of every page."""

    def __init__(self, out: IO[bytes], title: str, language: str) -> None:
        self.first = self.part = language
        with translation.override(language):
            heading = gettext("Delivery plan: %(title)s") % {"title": title}
            subject = gettext(
                "Priorities, outcomes and actions, with their progress, for %(title)s"
            ) % {"title": title}
        super().__init__(
            out,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 5 * mm,
            title=heading,
            author="Safeguarding scrutiny",
            subject=subject,
            creator="Safeguarding scrutiny",
            lang=PDF_LANGUAGES[language],
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])
        self._title = title

    def _footer(self, canvas: Any, doc: Any) -> None:
        with translation.override(self.part):
            footer = gettext("Delivery plan: %(title)s") % {"title": self._title}
            number = gettext("Page %(number)s") % {"number": doc.page}
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.drawRightString(PAGE[0] - MARGIN, 10 * mm, number)
        canvas.restoreState()

    def beforeDocument(self) -> None:
        self.part = self.first

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, PartStart):
            self.part = flowable.language


CHUNK = 40  # rows of a table: reportlab re-lays the rest of a table at every page it splits


def _chunks(rows: list[PlanRow]) -> list[tuple[list[PlanRow], bool]]:
    """The rows a priority at a time, in pieces of at most CHUNK, each piece with whether it
    continues its priority."""
    pieces: list[tuple[list[PlanRow], bool]] = []
    for index, row in enumerate(rows):
        fresh = index == 0 or rows[index - 1].priority != row.priority
        if fresh or len(pieces[-1][0]) == CHUNK:
            pieces.append(([], not fresh))
        pieces[-1][0].append(row)
    return pieces


def _plan_table(rows: list[PlanRow], width: float, *, continued: bool = False) -> Table:
    data: list[list[Any]] = [[_cell(name, "head") for name in plan_columns()]]
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ]
    current = None
    for row in rows:
        if row.priority != current:
            current = row.priority
            heading = (
                gettext("%(priority)s (continued)") % {"priority": row.priority}
                if continued
                else row.priority
            )
            data.append([_cell(heading, "priority"), "", "", "", "", "", ""])
            number = len(data) - 1
            style += [
                ("SPAN", (0, number), (-1, number)),
                ("BACKGROUND", (0, number), (-1, number), PRIORITY_FILL),
            ]
        light = row.status in LIGHT_TEXT
        data.append(
            [
                _cell(row.priority),
                _cell(row.outcome),
                _cell(row.action),
                _cell(_date(row.timescale)),
                _cell(row.responsible),
                _cell(row.update),
                _cell(brag_word(row.status), "rag-light" if light else "rag-dark"),
            ]
        )
        number = len(data) - 1
        style.append(("BACKGROUND", (6, number), (6, number), FILLS[row.status]))
    # Rows split between pages (splitByRow) and, when one row is taller than a page (a very long
    # update), within the row (splitInRow), so a plan of any length lays out.
    table = Table(data, colWidths=[width * share for share in WIDTHS], repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle(style))
    return table


def render_plan_pdf(
    rows: list[PlanRow],
    *,
    title: str,
    key: Mapping[str, str],
    out: IO[bytes],
    languages: Sequence[str] = (),
) -> None:
    """The plan in the active language, or in each of `languages` one after the other."""
    parts = [part_language(language) for language in languages or [translation.get_language()]]
    document = _PlanDocument(out, title, parts[0])
    story: list[Any] = []
    for index, language in enumerate(parts):
        if index:
            story += [PartStart(language), PageBreak()]
        with translation.override(language):
            story += _plan_story(rows, title, key, document.width)
    document.build(story)


def _plan_story(rows: list[PlanRow], title: str, key: Mapping[str, str], width: float) -> list[Any]:
    story: list[Any] = [
        _p(gettext("Delivery plan: %(title)s") % {"title": title}, STYLES["h1"]),
        _p(key_line(key), STYLES["body"]),
        Spacer(0, 4 * mm),
    ]
    if rows:
        # A table for each priority, long ones in pieces, so that laying out the plan takes
        # time in proportion to its length (one table of every row grows with its square).
        story += [
            _plan_table(piece, width, continued=continued) for piece, continued in _chunks(rows)
        ]
    else:
        story.append(_p(gettext("No actions in this plan yet."), STYLES["body"]))
    return story
