"""The event pack as a workbook (`scrutiny.packs.sheets`: XlsxWriter in constant-memory mode,
so that memory stays flat however many responses there are): Summary, Factors, Sources,
Breakdowns, Distributions, Comments, Quotes, and for each instrument every counting response
one row each (pseudonymised, redacted): a sheet in words (agencies by name, answers by their
labels), and beside it the same rows in codes for analysts.

Written in the active language (sheet names, headers and the words of the cells: ratings,
sources, "yes", "fewer than 5"); a pack in Welsh and English is written in Welsh with each
sheet's header repeated in English in a second row (`also`), as docs/workspace.md says.

Takes plain data and iterators of plain rows; never queries. Every text is a string cell
(`scrutiny.packs.sheets`): nothing a practitioner typed can become a live formula.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from scrutiny.packs.data import PackData
from scrutiny.packs.responses import WORDS_COLUMNS, ResponseSheet
from scrutiny.packs.sheets import PackWorkbook, Rows
from scrutiny.packs.words import fewer_than, rating_word, source_word, yes_no

Progress = Callable[[int, str], None]
Header = Sequence[Any]  # words (lazy, put in the language the sheet is written in)

_ = gettext_lazy
SUMMARY = (_("Item"), _("Value"))
FACTORS = (
    _("Factor"),
    _("Statement"),
    _("Score"),
    _("Rating"),
    "n",
    _("Spread"),
    _("Divergent"),
    _("Earlier score"),
    _("Change"),
    _("Strengths"),
    _("Areas for improvement"),
    _("Signed off"),
)
SOURCES = (_("Factor"), _("Source"), _("Score"), "n")
BREAKDOWNS = (_("Factor"), _("By"), _("Code"), _("Name"), _("Score"), "n")
DISTRIBUTIONS = (
    _("Source"),
    _("Instrument code"),
    _("Version"),
    _("Question code"),
    _("Question"),
    _("Answer code"),
    _("Answer"),
    _("Points"),
    _("Responses"),
    _("Answered"),
)
QUOTES = (_("Factor"), _("Quote"), _("Source"), _("Agency or area"))
ACTIONS = (
    _("Factor"),
    _("Success factor"),
    _("Rating"),
    _("What the evidence showed"),
    _("Drafted action"),
)
COMMENTS = (_("Source"), _("Question"), _("Comment (redacted)"), _("Question code"))


class _Sheets:
    """Writes the sheets in the active language; with `also` (the other language of a pack in
    both), each sheet's header is followed by a second row of the same words in `also`."""

    def __init__(self, workbook: PackWorkbook, also: str | None) -> None:
        self.workbook = workbook
        self.also = also

    def start(
        self, title: Any, header: Header, widths: Sequence[int] = (), texts: Sequence[str] = ()
    ) -> Rows:
        """A new sheet with its header written (bold, then again in `also`), for its rows."""
        sheet = self.workbook.sheet(str(title), widths)
        sheet.write([*(str(word) for word in header), *texts], bold=True)
        if self.also:
            with translation.override(self.also):
                sheet.write([*(str(word) for word in header), *texts])
        return sheet

    def write(
        self,
        title: Any,
        header: Header,
        rows: Iterable[Sequence[Any]],
        widths: Sequence[int] = (),
    ) -> None:
        sheet = self.start(title, header, widths)
        for row in rows:
            sheet.write(row)


def _summary(data: PackData) -> Iterator[list[Any]]:
    yield [gettext("Partnership"), data.partnership]
    yield [gettext("Scrutiny"), data.title]
    yield [gettext("Scrutiny event"), data.event_date]  # its date, or "Date to be agreed"
    yield [gettext("Chaired by"), data.chair]
    yield [gettext("Built"), data.built_at]
    yield [gettext("Suppression threshold"), data.threshold]
    for key, value in data.method:
        yield [key, value]


def _sheet_title(code: str, used: set[str], prefix: str | None = None) -> str:
    title = f"{prefix or gettext('Responses')} {code}"[:31]
    for char in "[]:*?/\\":
        title = title.replace(char, "-")
    while title in used:
        title = title[:28] + f"~{len(used)}"
    used.add(title)
    return title


def _factors(sheets: _Sheets, data: PackData) -> None:
    """A row per success factor: its score, rating, spread and findings."""
    sheets.write(
        _("Factors"),
        FACTORS,
        (
            [
                f.row.code,
                f.row.statement,
                f.row.score,
                rating_word(f.row.rating, f.row.rating_label),
                f.row.n,
                f.row.spread,
                yes_no(f.row.divergent),
                f.row.previous,
                f.row.change,
                "\n".join(f.strengths),
                "\n".join(f.improvements),
                yes_no(f.signed_off),
            ]
            for f in data.factors
        ),
        [8, 50, 8, 22, 6, 8, 10, 12, 8, 50, 50, 10],
    )


def _sources_and_breakdowns(sheets: _Sheets, data: PackData) -> None:
    """Each factor's score by source, then its published agency and area breakdowns."""
    sheets.write(
        _("Sources"),
        SOURCES,
        (
            [row.code, source_word(bar.label), bar.score, bar.n]
            for row in data.scorecard
            for bar in row.sources
        ),
        [8, 32, 8, 8],
    )
    by = (
        (str(pgettext_lazy("breakdown by", "agency")), "agencies"),
        (str(pgettext_lazy("breakdown by", "area")), "areas"),
    )
    sheets.write(
        _("Breakdowns"),
        BREAKDOWNS,
        (
            [
                f.row.code,
                word,
                cell.code,
                cell.name,
                fewer_than(data.threshold) if cell.suppressed else cell.score,
                "" if cell.suppressed else cell.n,
            ]
            for f in data.factors
            for word, cells in ((word, getattr(f, field)) for word, field in by)
            for cell in cells
        ),
        [8, 8, 10, 40, 12, 8],
    )


def _distributions(sheets: _Sheets, data: PackData) -> None:
    """How each choice question was answered, a row per option, small counts suppressed."""
    sheets.write(
        _("Distributions"),
        DISTRIBUTIONS,
        (
            [
                source,
                d.instrument_code,
                d.version,
                d.code,
                d.text,
                o.value,
                o.label,
                o.points,
                fewer_than(data.threshold) if o.suppressed else o.count,
                d.answered,
            ]
            for source, d in data.distributions
            for o in d.options
        ),
        [24, 10, 8, 12, 50, 12, 30, 8, 10, 10],
    )


def _quotes_and_actions(sheets: _Sheets, data: PackData) -> None:
    """The quotes kept for each factor, then the draft actions."""
    sheets.write(
        _("Quotes"),
        QUOTES,
        (
            [f.row.code, text, source, label]
            for f in data.factors
            for text, source, label in f.quotes
        ),
        [8, 80, 24, 30],
    )
    sheets.write(
        _("Actions (draft)"),
        ACTIONS,
        (
            [a.code, a.statement, rating_word("", a.rating), a.evidence, a.text]
            for a in data.actions
        ),
        [8, 50, 22, 60, 60],
    )


def render_xlsx(
    data: PackData,
    *,
    out: IO[bytes],
    comments: Iterable[tuple[str, str, str, str]],
    responses: Iterable[ResponseSheet],
    progress: Progress | None = None,
    also: str | None = None,
) -> None:
    """Write the workbook into `out` (a file: the workbook is never held in memory whole), in
    the active language; `also`: a second header row on every sheet in that language."""
    progress = progress or (lambda percent, message: None)
    workbook = PackWorkbook(out)
    sheets = _Sheets(workbook, also)
    sheets.write(_("Summary"), SUMMARY, _summary(data), [28, 80])
    _factors(sheets, data)
    _sources_and_breakdowns(sheets, data)
    _distributions(sheets, data)
    _quotes_and_actions(sheets, data)
    progress(75, gettext("Writing the comments."))
    sheets.write(
        _("Comments"),
        COMMENTS,
        ([source_word(row[0]), *row[1:]] for row in comments),
        [24, 50, 100, 14],
    )
    progress(85, gettext("Writing every counting response."))
    used: set[str] = set()
    for sheet in responses:
        _response_sheets(sheets, sheet, used)
    workbook.close()


def _response_sheets(sheets: _Sheets, sheet: ResponseSheet, used: set[str]) -> None:
    """An instrument's responses twice, row for row: in words for people to read, then in
    codes for analysts. Both sheets are written at once as the rows stream by (each sheet
    keeps its rows in a file of its own), so memory stays flat however many responses there
    are."""
    words = sheets.start(
        _sheet_title(sheet.instrument, used),
        WORDS_COLUMNS,
        [10, 8, 24, 20, 20, 12],
        texts=sheet.words_header[len(WORDS_COLUMNS) :],
    )
    codes = sheets.workbook.sheet(_sheet_title(sheet.instrument, used, prefix=gettext("Codes")))
    codes.write(sheet.header, bold=True)
    to_words = sheet.words
    for row in sheet.rows:
        words.write(to_words(row))
        codes.write(row)
