"""Reading a delivery plan as partnerships publish it (WORKBOOKS.md §7), before anything is saved.

The layout: title rows, then a header row with Priority, Outcome, Action, Timescale, a
responsible column (a header starting "Group" or "Responsible"), Update and RAG; under it a row
for each action. A blank Priority or Outcome cell continues the one above; a row with only its
Priority cell is a priority's heading (as `scrutiny.packs.plan` writes it); a row whose first
cell begins "Measuring impact:" or "Related work:" belongs to the priority above it; key lines
("RAG key: …", "Key: …") and the header repeated on a later page are ignored.

Each cell is read into plain values here, every problem noted with its sheet, row and column
(`Problems`): an action's number ("12. Recruit …"), its RAG (B, R, A, G, the words, "Blue:
complete" as the export writes it, or the partnership's own words for a status), and its
timescale (`timescale_from`).

A plan the platform exported in Welsh, or in both languages, is read as well (issue 18): its
headings, RAG words, key line and priority lines are recognised in every language of
settings.LANGUAGES, from the very translated strings the export writes (`scrutiny.packs.plan`,
`scrutiny.plan.brag`), never from a list typed twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from scrutiny.packs import plan as export
from scrutiny.packs.words import brag_key_word
from scrutiny.plan.brag import STATUSES, brag_word
from scrutiny.plan.importing_dates import timescale_from
from scrutiny.plan.selectors import OTHER_WORK
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import FormulaCell, cell_text, normal_name

# How far down a sheet the header row is looked for, below its title rows.
HEADER_WITHIN = 30
COLUMNS = ("priority", "outcome", "action", "timescale", "responsible", "update", "rag")
_HEADINGS = {
    "priority": ("Priority",),
    "outcome": ("Outcome",),
    "action": ("Action",),
    "timescale": ("Timescale",),
    "responsible": ("Group", "Responsible"),
    "update": ("Update",),
    "rag": ("RAG",),
}
_RAG_HEADERS = {"rag", "brag", "rag_status", "brag_status"}
_LETTERS = {"b": "blue", "g": "green", "a": "amber", "r": "red"}
_NUMBERED = re.compile(r"^(\d{1,5})[.)]\s+(\S.*)$", re.DOTALL)
_KEY_LINE = re.compile(r"^(rag\s+key|brag\s+key|key)\b\s*:?", re.IGNORECASE)


@dataclass(frozen=True)
class ExportWords:
    """The words the plan's export writes, in every language it is written in."""

    headings: dict[str, str]  # a heading's normal name: its column's kind
    colours: dict[str, str]  # a colour's word, lower case: its status
    key_lines: tuple[str, ...]  # how a key line begins, lower case ("rag key:")
    measuring: tuple[str, ...]  # "Measuring impact:", "Mesur effaith:"
    related: tuple[str, ...]


@cache
def export_words() -> ExportWords:
    headings: dict[str, str] = {}
    colours: dict[str, str] = {}
    key_lines, measuring, related = set(), set(), set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for kind, heading in zip(COLUMNS, export.plan_columns(), strict=True):
                headings.setdefault(normal_name(heading), kind)
            for status in STATUSES:
                colours.setdefault(brag_word(status).lower(), status)
            key_lines.add(gettext("RAG key: %(key)s").split("%(key)s")[0].strip().lower())
            measuring.add(str(export.MEASURING_IMPACT))
            related.add(str(export.RELATED_WORK))
    return ExportWords(
        headings,
        colours,
        tuple(sorted(key_lines)),
        tuple(sorted(measuring, key=len, reverse=True)),
        tuple(sorted(related, key=len, reverse=True)),
    )


def _key_meanings(meaning: str) -> set[str]:
    """The partnership's words for a status as the export may write them: as they are, and
    (the defaults) in each language."""
    said = {meaning}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            said.add(brag_key_word(meaning))
    return {" ".join(words.lower().split()) for words in said if words.strip()}


@dataclass(frozen=True)
class ActionRead:
    """One action's row as the file gives it."""

    row: int
    priority: str
    outcome: str  # "" when the priority has none (other work)
    number: int | None
    text: str
    timescale: dt.date | None
    responsible: str
    update: str
    status: str  # blue, green, amber or red


@dataclass
class PriorityRead:
    title: str
    row: int
    measuring_impact: list[str] = field(default_factory=list)
    related_work: list[str] = field(default_factory=list)
    actions: list[ActionRead] = field(default_factory=list)


@dataclass
class PlanRead:
    sheet: str
    priorities: list[PriorityRead]
    places: dict[str, str]  # each column as messages name it, e.g. "B (Outcome)"

    @property
    def actions(self) -> list[ActionRead]:
        return [action for priority in self.priorities for action in priority.actions]


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def text_of(value: Any) -> str:
    return " ".join(cell_text(value).split()) if not isinstance(value, FormulaCell) else ""


def split_number(text: str) -> tuple[int | None, str]:
    """ "12. Recruit …" → (12, "Recruit …"); words with no number before them are kept whole."""
    found = _NUMBERED.match(text.strip())
    if found is None:
        return None, text.strip()
    return int(found.group(1)), found.group(2).strip()


def status_from(text: str, key: Mapping[str, str]) -> str | None:
    """A RAG cell's status: a letter, a colour's word (also "Blue: complete"), or the
    partnership's own words for a status ("Complete"); None when it is none of those."""
    words = " ".join(text.lower().split())
    if words in _LETTERS:
        return _LETTERS[words]
    colour = re.split("[\\s:\\-\u2013\u2014(/,]", words, maxsplit=1)[0]
    if colour in _LETTERS.values():
        return colour
    colours = export_words().colours
    if colour in colours:
        return colours[colour]
    for status, meaning in key.items():
        if words in _key_meanings(meaning):
            return status
    return None


def _column_kind(header: str) -> str | None:
    name = normal_name(header)
    if not name:
        return None
    if name in _RAG_HEADERS:
        return "rag"
    if name in export_words().headings:
        return export_words().headings[name]
    if name.startswith(("group", "responsib")):
        return "responsible"
    for kind in ("priority", "outcome", "action", "timescale", "update"):
        if name == kind or name == f"{kind}s" or name.startswith(f"{kind}_"):
            return kind
    return None


def header_columns(values: list[Any]) -> dict[str, int]:
    """The plan's columns found in a row ({kind: 0-based position}), the first of each kind."""
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        kind = _column_kind(text_of(value))
        if kind is not None and kind not in columns:
            columns[kind] = index
    return columns


def missing_columns(columns: Mapping[str, int]) -> list[str]:
    return [" or ".join(_HEADINGS[kind]) for kind in COLUMNS if kind not in columns]


def _ignored(first: str, values: list[Any]) -> bool:
    """A key line ("RAG key: …", "Allwedd RAG: …"), or the header again (a plan in both
    languages repeats it in the other; a plan printed over pages repeats it on each)."""
    if _KEY_LINE.match(first) or first.lower().startswith(export_words().key_lines):
        return True
    return set(header_columns(values)) == set(COLUMNS)


class PlanReader:
    """Reads the rows under the header into priorities and their actions, noting problems."""

    def __init__(
        self,
        *,
        sheet: str,
        headers: list[str],
        columns: dict[str, int],
        key: Mapping[str, str],
        problems: Problems,
    ) -> None:
        self.sheet, self.headers, self.columns = sheet, headers, columns
        self.key, self.problems = key, problems
        self.priorities: list[PriorityRead] = []
        self.outcome = ""
        self.numbers: dict[tuple[str, int], int] = {}

    def place(self, kind: str) -> str:
        index = self.columns[kind]
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{get_column_letter(index + 1)} ({header})"

    def cell(self, number: int, values: list[Any], kind: str) -> str:
        index = self.columns[kind]
        value = values[index] if index < len(values) else None
        if isinstance(value, FormulaCell):
            self.problems.add(self.sheet, number, self.place(kind), value.message())
            return ""
        return cell_text(value).strip()

    def read(self, rows: Iterable[tuple[int, list[Any]]]) -> PlanRead:
        for number, values in rows:
            self.row(number, values)
        places = {kind: self.place(kind) for kind in COLUMNS}
        return PlanRead(self.sheet, self.priorities, places)

    def row(self, number: int, values: list[Any]) -> None:
        texts = [text_of(v) for v in values]
        filled = [i for i, text in enumerate(texts) if text]
        if not filled and not any(isinstance(v, FormulaCell) for v in values):
            return
        first = texts[filled[0]] if filled else ""
        words = export_words()
        if _ignored(first, values):
            return
        for labels, kind in ((words.measuring, "measuring"), (words.related, "related")):
            label = next((la for la in labels if first.lower().startswith(la.lower())), None)
            if label is not None:
                self.priority_line(number, kind, cell_text(values[filled[0]]).strip()[len(label) :])
                return
        if filled == [self.columns["priority"]]:
            self.heading(number, texts[filled[0]])
            return
        if filled == [self.columns["outcome"]] and self.priorities:
            self.outcome = texts[filled[0]]  # an outcome's heading, its actions below it
            return
        self.action(number, values)

    def heading(self, number: int, title: str) -> None:
        if not self.priorities or self.priorities[-1].title.lower() != title.lower():
            self.priorities.append(PriorityRead(title, number))
            self.outcome = ""

    def priority_line(self, number: int, kind: str, text: str) -> None:
        if not self.priorities:
            self.problems.add(
                self.sheet,
                number,
                "",
                "this line comes before any priority: move it under the priority it is about",
            )
            return
        lines = self.priorities[-1]
        (lines.measuring_impact if kind == "measuring" else lines.related_work).append(text.strip())

    def action(self, number: int, values: list[Any]) -> None:
        cells = {kind: self.cell(number, values, kind) for kind in COLUMNS}
        if cells["priority"]:
            self.heading(number, " ".join(cells["priority"].split()))
        if cells["outcome"]:
            self.outcome = " ".join(cells["outcome"].split())
        if not self.priorities:
            self.add(number, "priority", "the first action has no priority: write its priority")
            return
        priority = self.priorities[-1]
        if not cells["action"]:
            self.add(number, "action", "the row has no action: write what will be done")
            return
        if not self.outcome and _words(priority.title) != _words(OTHER_WORK):
            self.add(
                number,
                "outcome",
                f"the action has no outcome: write the outcome of “{priority.title}” it serves "
                "(a blank cell continues the one above, but no outcome is above it)",
            )
            return
        action_number, text = split_number(cells["action"])
        self.number_checked(number, priority.title, action_number)
        status = self.status(number, cells["rag"])
        readable, timescale = self.timescale(number, values)
        if status is None or not readable:
            return
        priority.actions.append(
            ActionRead(
                row=number,
                priority=priority.title,
                outcome=self.outcome,
                number=action_number,
                text=text,
                timescale=timescale,
                responsible=" ".join(cells["responsible"].split()),
                update=cells["update"],
                status=status,
            )
        )

    def add(self, number: int, kind: str, message: str) -> None:
        self.problems.add(self.sheet, number, self.place(kind), message)

    def number_checked(self, number: int, priority: str, action_number: int | None) -> None:
        if action_number is None:
            return
        first = self.numbers.setdefault((priority.lower(), action_number), number)
        if first != number:
            self.add(
                number,
                "action",
                f"action {action_number} of “{priority}” is also in row {first}: give each "
                "action of a priority its own number",
            )

    def status(self, number: int, text: str) -> str | None:
        status = status_from(text, self.key) if text else None
        if status is None:
            said = f"“{text}” is not a RAG status" if text else "the RAG status is blank"
            self.add(number, "rag", f"{said}: write B, R, A or G (or Blue, Red, Amber or Green)")
        return status

    def timescale(self, number: int, values: list[Any]) -> tuple[bool, dt.date | None]:
        """Whether the timescale reads, and its date (None for none, or ongoing work)."""
        index = self.columns["timescale"]
        value = values[index] if index < len(values) else None
        if isinstance(value, FormulaCell):
            self.add(number, "timescale", value.message())
            return False, None
        try:
            return True, timescale_from(value)
        except ValueError as exc:
            self.add(number, "timescale", str(exc))
            return False, None
