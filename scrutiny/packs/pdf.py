"""The event pack as a PDF (reportlab): A4, a cover, contents, the summary scorecard, the method,
a page per success factor with its chart, findings and quotes, the breakdowns, the draft action
plan, questions for the event and an appendix of question distributions. Page numbers on every
page; the document's title, author, subject and language (en-GB, or cy-GB) are set.

Built in the active language (`render_pdf`), or in Welsh then English one after the other
(`render_pdf_parts`: each a whole pack with its own cover and contents, so that each reads on
its own and a screen reader meets one language at a time; side by side, every table would be
twice as wide and the charts would not fit A4).

Takes `PackData` (plain, already suppressed and redacted) and never queries. Every text is
escaped before it goes into a Paragraph: a comment is text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from scrutiny.packs.data import FactorPack, PackData
from scrutiny.packs.pdf_base import (
    BRAND,
    GRID,
    RATING_COLOURS,
    STYLES,
    PartContents,
    PartStart,
    _p,
    _PackDocument,
    _rating,
    _score,
    _table,
    part_language,
)
from scrutiny.packs.words import fewer_than, rating_word, source_word
from scrutiny.scorecard import BreakdownCell, ScorecardRow

__all__ = ["BRAND", "GRID", "RATING_COLOURS", "STYLES", "render_pdf", "render_pdf_parts"]

Progress = Callable[[int, str], None]


def _source_chart(row: ScorecardRow, width: float) -> Drawing:
    """A bar per source, 0 to 100, labelled with its score; the table beside it says the same."""
    bars = list(row.sources)
    height = 30 + 22 * max(1, len(bars))
    drawing = Drawing(width, height)
    if not bars:
        drawing.add(String(0, height / 2, gettext("No source has evidence yet."), fontSize=10))
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 20
    chart.width, chart.height = width - 200, height - 30
    chart.data = [[bar.score for bar in reversed(bars)]]
    chart.categoryAxis.categoryNames = [
        f"{source_word(bar.label)} (n {bar.n})" for bar in reversed(bars)
    ]
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
            fewer_than(threshold) if cell.suppressed else _score(cell.score),
            "" if cell.suppressed else str(cell.n),
        ]
        for cell in cells
    ]


def _factor_page(factor: FactorPack, data: PackData, width: float) -> list[Any]:
    row = factor.row
    story: list[Any] = [_p(f"{row.code} {row.statement}", "h1")]
    summary = [
        [_("Score"), _("Rating"), _("Responses"), _("Sources' spread")],
        [
            _score(row.score),
            _rating(row),
            str(row.n),
            "—" if row.spread is None else _spread(row.spread, row.divergent),
        ],
    ]
    if row.change is not None:
        summary[0].append(_("Since the earlier scrutiny"))
        summary[1].append(
            _("%(change)s (was %(previous)s)")
            % {"change": f"{row.change:+.1f}", "previous": f"{row.previous:.1f}"}
        )
    story += [_table(summary, [width / len(summary[0])] * len(summary[0])), Spacer(0, 8)]
    story.append(_p(_("Scores by source (0 to 100)"), "h2"))
    story.append(_source_chart(row, width))
    story.append(
        _table(
            [[_("Source"), _("Score"), _("Responses")]]
            + [[source_word(bar.label), f"{bar.score:.1f}", str(bar.n)] for bar in row.sources],
            [width * 0.6, width * 0.2, width * 0.2],
        )
    )
    story.append(
        _p(_("Findings") if factor.signed_off else _("Findings (draft, not signed off)"), "h2")
    )
    if factor.strengths:
        story.append(_p(_("Strengths"), "h2"))
        story += [_p(f"• {line}") for line in factor.strengths]
    if factor.improvements:
        story.append(_p(_("Areas for improvement"), "h2"))
        story += [_p(f"• {line}") for line in factor.improvements]
    if not (factor.strengths or factor.improvements):
        story.append(_p(factor.drafted, "small"))
    if factor.quotes:
        story.append(_p(_("In their words"), "h2"))
        for text, source, label in factor.quotes:
            who = ", ".join(part for part in (source, label) if part)
            story.append(_p(f"“{text}” ({who})", "quote"))
    if factor.notes:
        story.append(_p(_("Notes from forums and the event"), "h2"))
        story += [_p(f"{kind}: {text}") for kind, text in factor.notes]
    return story


def _cover(data: PackData) -> list[Any]:
    """The cover and the contents, built from the headings when the document is."""
    return [
        Spacer(0, 60 * mm),
        Paragraph(escape(data.partnership), STYLES["subtitle"]),
        Spacer(0, 10 * mm),
        Paragraph(
            escape(_("Scrutiny event pack: %(title)s") % {"title": data.title}), STYLES["title"]
        ),
        Spacer(0, 10 * mm),
        Paragraph(escape(data.event_line), STYLES["subtitle"]),
        Paragraph(
            escape(_("Chaired by %(chair)s, Independent Scrutineer") % {"chair": data.chair}),
            STYLES["subtitle"],
        ),
        Spacer(0, 20 * mm),
        Paragraph(escape(_("Built %(when)s") % {"when": data.built_at}), STYLES["subtitle"]),
        PageBreak(),
        _p(_("Contents"), "h2"),
        PartContents(part_language(translation.get_language())),
        PageBreak(),
    ]


def _summary(data: PackData, width: float) -> list[Any]:
    """The summary scorecard: a row per success factor."""
    story: list[Any] = [_p(_("Summary scorecard"), "h1")]
    story.append(
        _p(
            _(
                "Each success factor's score (0 to 100) triangulates the sources, each with its "
                "own weight. A factor whose sources differ by more than the scrutiny's margin is "
                "marked divergent: the sharpest questions for the event are there."
            ),
        )
    )
    rows: list[list[Any]] = [[_("Factor"), _("Score"), _("Rating"), "n", _("Sources")]]
    for row in data.scorecard:
        rows.append(
            [
                _p(f"{row.code} {row.statement}", "small"),
                _score(row.score),
                _rating(row),
                str(row.n),
                _p(
                    "; ".join(f"{source_word(bar.label)} {bar.score:.1f}" for bar in row.sources)
                    + (_(" (divergent)") if row.divergent else ""),
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
        _p(_("Method: what was gathered"), "h1"),
        _table(
            [[_("Evidence"), _("What")]]
            + [[_p(k, "small"), _p(v, "small")] for k, v in data.method],
            [width * 0.35, width * 0.65],
        ),
        _p(
            _(
                "Breakdowns by agency or area with fewer than %(threshold)s responses are not "
                "shown (nor the next smallest, where only one would be), and every comment has "
                "had names, case references and contact details removed."
            )
            % {"threshold": data.threshold}
        ),
    ]


def _breakdowns(data: PackData, width: float) -> list[Any]:
    """Each factor's published agency and area breakdowns."""
    story: list[Any] = [PageBreak(), _p(_("Breakdowns by agency and area"), "h1")]
    for factor in data.factors:
        block: list[Any] = [_p(f"{factor.row.code} {factor.row.statement}", "h2")]
        for title, cells in ((_("Agency"), factor.agencies), (_("Area"), factor.areas)):
            if cells:
                block.append(
                    _table(
                        [[title, _("Score"), "n"], *_breakdown_rows(cells, data.threshold)],
                        [width * 0.6, width * 0.25, width * 0.15],
                    )
                )
                block.append(Spacer(0, 6))
        story.append(KeepTogether(block))
    return story


def _actions_and_discussion(data: PackData, width: float) -> list[Any]:
    """The draft action plan, then the questions for the event's discussion."""
    story: list[Any] = [PageBreak(), _p(_("Draft action plan"), "h1")]
    if data.actions:
        story.append(
            _p(
                _(
                    "An action is drafted for each success factor rated below strong or with "
                    "areas for improvement, to be agreed at the event."
                )
            )
        )
        story.append(
            _table(
                [[_("Success factor"), _("What the evidence showed"), _("Drafted action")]]
                + [
                    [
                        _p(f"{action.factor} ({rating_word('', action.rating)})", "small"),
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
            _p(
                _(
                    "Every factor is rated strong with no area for improvement: no action is "
                    "drafted."
                )
            )
        )
    story += [PageBreak(), _p(_("Questions for the event's discussion"), "h1")]
    story += [_p(f"{i}. {q}") for i, q in enumerate(data.discussion, start=1)] or [
        _p(_("No questions were drafted: the sources agree and no factor is weak."))
    ]
    return story


def _appendix(data: PackData, width: float) -> list[Any]:
    """How each question was answered, its small counts suppressed (SCORING.md §9)."""
    story: list[Any] = [PageBreak(), _p(_("Appendix: how each question was answered"), "h1")]
    for source, item in data.distributions:
        header = _("%(source)s, version %(version)s: %(question)s") % {
            "source": source,
            "version": item.version,
            "question": item.text,
        }
        rows: list[list[Any]] = [[_("Answer"), _("Responses"), "%"]]
        for option in item.options:
            if option.count is None:  # suppressed (SCORING.md §9)
                rows.append([_p(option.label, "small"), fewer_than(data.threshold), "—"])
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


def _story(data: PackData, width: float, progress: Progress) -> list[Any]:
    """The whole pack in the active language, part by part in the module docstring's order."""
    story = [*_cover(data), *_summary(data, width), *_method(data, width)]
    progress(45, gettext("Writing a page for each success factor."))
    for factor in data.factors:
        story += [PageBreak(), *_factor_page(factor, data, width)]
    story += _breakdowns(data, width)
    story += _actions_and_discussion(data, width)
    progress(60, gettext("Writing the appendix of question distributions."))
    story += _appendix(data, width)
    return story


def render_pdf(data: PackData, *, progress: Progress | None = None) -> bytes:
    """The pack's PDF in the active language."""
    return render_pdf_parts([(translation.get_language(), data)], progress=progress)


def render_pdf_parts(
    parts: Sequence[tuple[str, PackData]], *, progress: Progress | None = None
) -> bytes:
    """The pack's PDF in each (language, data) of `parts`, one after the other: each part built
    inside `translation.override(language)`, the data gathered in that language."""
    progress = progress or (lambda percent, message: None)
    buffer = BytesIO()
    languages = tuple(part_language(language) for language, _data in parts)
    document = _PackDocument(buffer, parts[0][1], languages)
    story: list[Any] = []
    for index, (language, data) in enumerate(parts):
        if index:
            story += [PartStart(languages[index]), PageBreak()]
        with translation.override(language):
            story += _story(data, document.width, progress)
    document.multiBuild(story)
    return buffer.getvalue()


def _spread(spread: float, divergent: bool) -> str:
    if divergent:
        return _("%(spread)s points (divergent)") % {"spread": f"{spread:.1f}"}
    return _("%(spread)s points") % {"spread": f"{spread:.1f}"}
