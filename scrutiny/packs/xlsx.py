"""The event pack as a workbook (openpyxl, write-only so that memory stays flat however many
responses there are): Summary, Factors, Sources, Breakdowns, Distributions, Comments, Quotes,
and for each instrument every counting response one row each (pseudonymised, redacted): a
sheet in words (agencies by name, answers by their labels), and beside it the same rows in
codes for analysts.

Takes plain data and iterators of plain rows; never queries. Every text is a string cell
(`scrutiny.workbooks.writing`): nothing a practitioner typed can become a live formula.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook

from scrutiny.packs.data import PackData
from scrutiny.packs.responses import ResponseSheet
from scrutiny.workbooks.writing import sheet_write

Progress = Callable[[int, str], None]


def _summary(data: PackData) -> Iterator[list[Any]]:
    yield ["Partnership", data.partnership]
    yield ["Scrutiny", data.title]
    yield ["Scrutiny event", data.event_date]  # its date, or "Date to be agreed"
    yield ["Chaired by", data.chair]
    yield ["Built", data.built_at]
    yield ["Suppression threshold", data.threshold]
    for key, value in data.method:
        yield [key, value]


def _sheet_title(code: str, used: set[str], prefix: str = "Responses") -> str:
    title = f"{prefix} {code}"[:31]
    for char in "[]:*?/\\":
        title = title.replace(char, "-")
    while title in used:
        title = title[:28] + f"~{len(used)}"
    used.add(title)
    return title


def _factors(workbook: Workbook, data: PackData) -> None:
    """A row per success factor: its score, rating, spread and findings."""
    sheet_write(
        workbook,
        title="Factors",
        header=[
            "Factor",
            "Statement",
            "Score",
            "Rating",
            "n",
            "Spread",
            "Divergent",
            "Earlier score",
            "Change",
            "Strengths",
            "Areas for improvement",
            "Signed off",
        ],
        rows=(
            [
                f.row.code,
                f.row.statement,
                f.row.score,
                f.row.rating_label,
                f.row.n,
                f.row.spread,
                "yes" if f.row.divergent else "no",
                f.row.previous,
                f.row.change,
                "\n".join(f.strengths),
                "\n".join(f.improvements),
                "yes" if f.signed_off else "no",
            ]
            for f in data.factors
        ),
        widths=[8, 50, 8, 22, 6, 8, 10, 12, 8, 50, 50, 10],
    )


def _sources_and_breakdowns(workbook: Workbook, data: PackData) -> None:
    """Each factor's score by source, then its published agency and area breakdowns."""
    sheet_write(
        workbook,
        title="Sources",
        header=["Factor", "Source", "Score", "n"],
        rows=(
            [row.code, bar.label, bar.score, bar.n] for row in data.scorecard for bar in row.sources
        ),
        widths=[8, 32, 8, 8],
    )
    sheet_write(
        workbook,
        title="Breakdowns",
        header=["Factor", "By", "Code", "Name", "Score", "n"],
        rows=(
            [
                f.row.code,
                by,
                cell.code,
                cell.name,
                f"fewer than {data.threshold}" if cell.suppressed else cell.score,
                "" if cell.suppressed else cell.n,
            ]
            for f in data.factors
            for by, cells in (("agency", f.agencies), ("area", f.areas))
            for cell in cells
        ),
        widths=[8, 8, 10, 40, 12, 8],
    )


def _distributions(workbook: Workbook, data: PackData) -> None:
    """How each choice question was answered, a row per option, small counts suppressed."""
    sheet_write(
        workbook,
        title="Distributions",
        header=[
            "Source",
            "Instrument code",
            "Version",
            "Question code",
            "Question",
            "Answer code",
            "Answer",
            "Points",
            "Responses",
            "Answered",
        ],
        rows=(
            [
                source,
                d.instrument_code,
                d.version,
                d.code,
                d.text,
                o.value,
                o.label,
                o.points,
                f"fewer than {data.threshold}" if o.suppressed else o.count,
                d.answered,
            ]
            for source, d in data.distributions
            for o in d.options
        ),
        widths=[24, 10, 8, 12, 50, 12, 30, 8, 10, 10],
    )


def _quotes_and_actions(workbook: Workbook, data: PackData) -> None:
    """The quotes kept for each factor, then the draft actions."""
    sheet_write(
        workbook,
        title="Quotes",
        header=["Factor", "Quote", "Source", "Agency or area"],
        rows=(
            [f.row.code, text, source, label]
            for f in data.factors
            for text, source, label in f.quotes
        ),
        widths=[8, 80, 24, 30],
    )
    sheet_write(
        workbook,
        title="Actions (draft)",
        header=["Factor", "Success factor", "Rating", "What the evidence showed", "Drafted action"],
        rows=([a.code, a.statement, a.rating, a.evidence, a.text] for a in data.actions),
        widths=[8, 50, 22, 60, 60],
    )


def render_xlsx(
    data: PackData,
    *,
    out: IO[bytes],
    comments: Iterable[tuple[str, str, str, str]],
    responses: Iterable[ResponseSheet],
    progress: Progress | None = None,
) -> None:
    """Write the workbook into `out` (a file: the workbook is never held in memory whole)."""
    progress = progress or (lambda percent, message: None)
    workbook = Workbook(write_only=True)
    sheet_write(
        workbook, title="Summary", header=["Item", "Value"], rows=_summary(data), widths=[28, 80]
    )
    _factors(workbook, data)
    _sources_and_breakdowns(workbook, data)
    _distributions(workbook, data)
    _quotes_and_actions(workbook, data)
    progress(75, "Writing the comments.")
    sheet_write(
        workbook,
        title="Comments",
        header=["Source", "Question", "Comment (redacted)", "Question code"],
        rows=(list(row) for row in comments),
        widths=[24, 50, 100, 14],
    )
    progress(85, "Writing every counting response.")
    used: set[str] = set()
    for sheet in responses:
        _response_sheets(workbook, sheet, used)
    workbook.save(out)


def _response_sheets(workbook: Workbook, sheet: ResponseSheet, used: set[str]) -> None:
    """An instrument's responses twice, row for row: in words for people to read, then in
    codes for analysts. The rows are read once: each row's codes wait in a temporary file while
    its words are written, so memory stays flat however many responses there are."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as spool:

        def words() -> Iterator[list[Any]]:
            for row in sheet.rows:
                spool.write(json.dumps(row, default=_spooled) + "\n")
                yield sheet.words(row)

        sheet_write(
            workbook,
            title=_sheet_title(sheet.instrument, used),
            header=list(sheet.words_header),
            rows=words(),
            widths=[10, 8, 24, 20, 20, 12],
        )
        spool.seek(0)
        sheet_write(
            workbook,
            title=_sheet_title(sheet.instrument, used, prefix="Codes"),
            header=list(sheet.header),
            rows=(json.loads(line, object_hook=_unspooled) for line in spool),
        )


def _spooled(value: Any) -> dict[str, str]:
    """A cell the JSON spool cannot hold as itself: a date or a decimal, tagged."""
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    raise TypeError(f"A response sheet holds no {type(value).__name__}.")


def _unspooled(tagged: dict[str, str]) -> Any:
    if "date" in tagged:
        return dt.date.fromisoformat(tagged["date"])
    return Decimal(tagged["decimal"])
