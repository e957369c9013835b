"""The event pack as a PDF (reportlab): A4, a cover, contents, the summary scorecard, the method,
a page per success factor with its chart, findings and quotes, the breakdowns, the draft action
plan, questions for the event and an appendix of question distributions. Page numbers on every
page; the document's title, author, subject and language (en-GB) are set.

Takes `PackData` (plain, already suppressed and redacted) and never queries. Every text is
escaped before it goes into a Paragraph: a comment is text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from scrutiny.packs.data import FactorPack, PackData
from scrutiny.scorecard import BreakdownCell, ScorecardRow

Progress = Callable[[int, str], None]

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


class _PackDocument(BaseDocTemplate):
    """A4 with a page number at the foot of every page and contents built from the headings."""

    def __init__(self, buffer: BytesIO, data: PackData) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=f"Scrutiny event pack: {data.title}",
            author=data.partnership,
            subject=f"Evidence, findings and draft actions for {data.title}",
            creator="Safeguarding scrutiny",
            lang="en-GB",
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])
        self._footer_text = f"{data.partnership} · {data.title}"

    def _footer(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(20 * mm, 10 * mm, self._footer_text)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "PackH1":
            text = flowable.getPlainText()
            key = f"h-{self.seq.nextf('heading')}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0, closed=False)
            self.notify("TOCEntry", (0, text, self.page, key))


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
    return "no evidence" if value is None else f"{value:.1f}"


def _rating(row: ScorecardRow) -> Paragraph:
    colour = RATING_COLOURS[row.rating].hexval()[2:]
    return Paragraph(
        f'<font color="#{colour}"><b>{escape(row.rating_label)}</b></font>', STYLES["small"]
    )


def _source_chart(row: ScorecardRow, width: float) -> Drawing:
    """A bar per source, 0 to 100, labelled with its score; the table beside it says the same."""
    bars = list(row.sources)
    height = 30 + 22 * max(1, len(bars))
    drawing = Drawing(width, height)
    if not bars:
        drawing.add(String(0, height / 2, "No source has evidence yet.", fontSize=10))
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 20
    chart.width, chart.height = width - 200, height - 30
    chart.data = [[bar.score for bar in reversed(bars)]]
    chart.categoryAxis.categoryNames = [f"{bar.label} (n {bar.n})" for bar in reversed(bars)]
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = BRAND
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontSize = 9
    chart.barLabels.nudge = 14
    drawing.add(chart)
    return drawing


def _breakdown_rows(cells: tuple[BreakdownCell, ...], threshold: int) -> list[list[Any]]:
    return [
        [
            _p(cell.name, "small"),
            f"fewer than {threshold}" if cell.suppressed else _score(cell.score),
            "" if cell.suppressed else str(cell.n),
        ]
        for cell in cells
    ]


def _factor_page(factor: FactorPack, data: PackData, width: float) -> list[Any]:
    row = factor.row
    story: list[Any] = [_p(f"{row.code} {row.statement}", "h1")]
    summary = [
        ["Score", "Rating", "Responses", "Sources' spread"],
        [
            _score(row.score),
            _rating(row),
            str(row.n),
            "—"
            if row.spread is None
            else f"{row.spread:.1f} points{' (divergent)' if row.divergent else ''}",
        ],
    ]
    if row.change is not None:
        summary[0].append("Since the earlier scrutiny")
        summary[1].append(f"{row.change:+.1f} (was {row.previous:.1f})")
    story += [_table(summary, [width / len(summary[0])] * len(summary[0])), Spacer(0, 8)]
    story.append(_p("Scores by source (0 to 100)", "h2"))
    story.append(_source_chart(row, width))
    story.append(
        _table(
            [["Source", "Score", "Responses"]]
            + [[bar.label, f"{bar.score:.1f}", str(bar.n)] for bar in row.sources],
            [width * 0.6, width * 0.2, width * 0.2],
        )
    )
    story.append(_p("Findings" + ("" if factor.signed_off else " (draft, not signed off)"), "h2"))
    if factor.strengths:
        story.append(_p("Strengths", "h2"))
        story += [_p(f"• {line}") for line in factor.strengths]
    if factor.improvements:
        story.append(_p("Areas for improvement", "h2"))
        story += [_p(f"• {line}") for line in factor.improvements]
    if not (factor.strengths or factor.improvements):
        story.append(_p(factor.drafted, "small"))
    if factor.quotes:
        story.append(_p("In their words", "h2"))
        for text, source, label in factor.quotes:
            who = ", ".join(part for part in (source, label) if part)
            story.append(_p(f"“{text}” ({who})", "quote"))
    if factor.notes:
        story.append(_p("Notes from forums and the event", "h2"))
        story += [_p(f"{kind}: {text}") for kind, text in factor.notes]
    return story


def _cover(data: PackData) -> list[Any]:
    """The cover and the contents, built from the headings when the document is."""
    contents = TableOfContents()
    contents.levelStyles = [STYLES["toc1"]]
    return [
        Spacer(0, 60 * mm),
        Paragraph(escape(data.partnership), STYLES["subtitle"]),
        Spacer(0, 10 * mm),
        Paragraph(escape(f"Scrutiny event pack: {data.title}"), STYLES["title"]),
        Spacer(0, 10 * mm),
        Paragraph(escape(data.event_line), STYLES["subtitle"]),
        Paragraph(escape(f"Chaired by {data.chair}, Independent Scrutineer"), STYLES["subtitle"]),
        Spacer(0, 20 * mm),
        Paragraph(escape(f"Built {data.built_at}"), STYLES["subtitle"]),
        PageBreak(),
        _p("Contents", "h2"),
        contents,
        PageBreak(),
    ]


def _summary(data: PackData, width: float) -> list[Any]:
    """The summary scorecard: a row per success factor."""
    story: list[Any] = [_p("Summary scorecard", "h1")]
    story.append(
        _p(
            "Each success factor's score (0 to 100) triangulates the sources, each with its own "
            "weight. A factor whose sources differ by more than the scrutiny's margin is marked "
            "divergent: the sharpest questions for the event are there.",
        )
    )
    rows: list[list[Any]] = [["Factor", "Score", "Rating", "n", "Sources"]]
    for row in data.scorecard:
        rows.append(
            [
                _p(f"{row.code} {row.statement}", "small"),
                _score(row.score),
                _rating(row),
                str(row.n),
                _p(
                    "; ".join(f"{bar.label} {bar.score:.1f}" for bar in row.sources)
                    + (" (divergent)" if row.divergent else ""),
                    "small",
                ),
            ]
        )
    story.append(_table(rows, [width * 0.34, width * 0.1, width * 0.18, width * 0.08, width * 0.3]))
    return story


def _method(data: PackData, width: float) -> list[Any]:
    """What was gathered, and what was kept back (suppression and redaction)."""
    return [
        PageBreak(),
        _p("Method: what was gathered", "h1"),
        _table(
            [["Evidence", "What"]] + [[_p(k, "small"), _p(v, "small")] for k, v in data.method],
            [width * 0.35, width * 0.65],
        ),
        _p(
            f"Breakdowns by agency or area with fewer than {data.threshold} responses are not "
            "shown (nor the next smallest, where only one would be), and every comment has had "
            "names, case references and contact details removed."
        ),
    ]


def _breakdowns(data: PackData, width: float) -> list[Any]:
    """Each factor's published agency and area breakdowns."""
    story: list[Any] = [PageBreak(), _p("Breakdowns by agency and area", "h1")]
    for factor in data.factors:
        block: list[Any] = [_p(f"{factor.row.code} {factor.row.statement}", "h2")]
        for title, cells in (("Agency", factor.agencies), ("Area", factor.areas)):
            if cells:
                block.append(
                    _table(
                        [[title, "Score", "n"], *_breakdown_rows(cells, data.threshold)],
                        [width * 0.6, width * 0.25, width * 0.15],
                    )
                )
                block.append(Spacer(0, 6))
        story.append(KeepTogether(block))
    return story


def _actions_and_discussion(data: PackData, width: float) -> list[Any]:
    """The draft action plan, then the questions for the event's discussion."""
    story: list[Any] = [PageBreak(), _p("Draft action plan", "h1")]
    if data.actions:
        story.append(
            _p(
                "An action is drafted for each success factor rated below strong or with areas "
                "for improvement, to be agreed at the event."
            )
        )
        story.append(
            _table(
                [["Success factor", "What the evidence showed", "Drafted action"]]
                + [
                    [
                        _p(f"{action.factor} ({action.rating})", "small"),
                        _p(action.evidence, "small"),
                        _p(action.text, "small"),
                    ]
                    for action in data.actions
                ],
                [width * 0.3, width * 0.38, width * 0.32],
            )
        )
    else:
        story.append(
            _p("Every factor is rated strong with no area for improvement: no action is drafted.")
        )
    story += [PageBreak(), _p("Questions for the event's discussion", "h1")]
    story += [_p(f"{i}. {q}") for i, q in enumerate(data.discussion, start=1)] or [
        _p("No questions were drafted: the sources agree and no factor is weak.")
    ]
    return story


def _appendix(data: PackData, width: float) -> list[Any]:
    """How each question was answered, its small counts suppressed (SCORING.md §9)."""
    story: list[Any] = [PageBreak(), _p("Appendix: how each question was answered", "h1")]
    for source, item in data.distributions:
        header = f"{source}, version {item.version}: {item.text}"
        rows: list[list[Any]] = [["Answer", "Responses", "%"]]
        for option in item.options:
            if option.count is None:  # suppressed (SCORING.md §9)
                rows.append([_p(option.label, "small"), f"fewer than {data.threshold}", "—"])
                continue
            share = f"{100 * option.count / item.answered:.1f}" if item.answered else "—"
            rows.append([_p(option.label, "small"), str(option.count), share])
        story.append(
            KeepTogether(
                [
                    _p(header, "small"),
                    _table(rows, [width * 0.6, width * 0.2, width * 0.2]),
                    Spacer(0, 6),
                ]
            )
        )
    return story


def render_pdf(data: PackData, *, progress: Progress | None = None) -> bytes:
    """The pack's PDF, part by part in the order of the module's docstring."""
    progress = progress or (lambda percent, message: None)
    buffer = BytesIO()
    document = _PackDocument(buffer, data)
    width = document.width
    story = [*_cover(data), *_summary(data, width), *_method(data, width)]
    progress(45, "Writing a page for each success factor.")
    for factor in data.factors:
        story += [PageBreak(), *_factor_page(factor, data, width)]
    story += _breakdowns(data, width)
    story += _actions_and_discussion(data, width)
    progress(60, "Writing the appendix of question distributions.")
    story += _appendix(data, width)
    document.multiBuild(story)
    return buffer.getvalue()
