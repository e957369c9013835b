"""Which column of a responses file holds what (WORKBOOKS.md §3 and §5), and option cells read
by value or label.

A column is, in this order: named in the map (a question code, or "-" to ignore it); a
reserved column (`ref`, `agency`, `area`, `role`, `case_ref`, `submitted`); a question, by its
code or by its text (case, surrounding spaces and a trailing `?` or `*` ignored); a survey
tool's metadata column, read for `ref` or `submitted` when the file has no such column and
otherwise ignored; a column of personal data, dropped (never read, so never stored or shown
beyond its header); or else an error. A SurveyMonkey option column (an option's text under a
question's) adds that option to the question's answer when the cell is not empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scrutiny.instruments import CompiledQuestion, CompiledVersion
from scrutiny.models import Question
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import cell_text, normal_name
from scrutiny.workbooks.response_sheet import RESERVED
from scrutiny.workbooks.returns_files import Source

IGNORE = "-"
# Metadata columns, folded (see `fold`): those read for ref and for submitted, in preference.
REF_FROM = ("id", "respondent id")
SUBMITTED_FROM = ("completion time", "end date", "timestamp")
METADATA = (
    *REF_FROM,
    *SUBMITTED_FROM,
    "start time",
    "start date",
    "last modified time",
    "collector id",
)
PERSONAL = (
    "name",
    "email",
    "email address",
    "ip address",
    "first name",
    "last name",
    "custom data 1",
)


def fold(text: str) -> str:
    """A header or label as compared: case, runs of spaces and a trailing ? or * ignored."""
    return " ".join(text.split()).casefold().rstrip("?* ").rstrip()


class ChoiceMatcher:
    """A question's option cells read by value or label: `value_of` gives the option's value
    (or the text itself, for answers_clean to refuse); `values_in` reads a multiple-choice
    cell, items joined by ; or , (a label that holds a comma matched whole first)."""

    SEEN_MOST = 1000  # different cells remembered (a column of choices has few)

    def __init__(self, question: CompiledQuestion) -> None:
        self.question = question
        self.seen: dict[tuple[type, Any], str] = {}  # cell (by kind and value) → its answer
        self.order = {value: n for n, value in enumerate(question.options)}
        self.by_fold: dict[str, str] = {}
        for option in question.options.values():
            self.by_fold.setdefault(fold(option.label), option.value)
        for option in question.options.values():
            self.by_fold.setdefault(fold(option.value), option.value)
        joined = [
            (label, value) for label, value in self.by_fold.items() if "," in label or ";" in label
        ]
        joined.sort(key=lambda item: -len(item[0]))
        self.joined = [
            (re.compile(r"(?:^|(?<=[;,]))\s*" + re.escape(label) + r"\s*(?=[;,]|$)", re.I), value)
            for label, value in joined
        ]

    def value_of(self, text: str) -> str:
        text = text.strip()
        if text in self.question.options:
            return text
        return self.by_fold.get(fold(text), text)

    def values_in(self, text: str) -> list[str]:
        found: list[str] = []
        for pattern, value in self.joined:
            if pattern.search(text):
                found.append(value)
                text = pattern.sub("", text)
        found += [self.value_of(item) for item in re.split(r"[;,]", text) if item.strip()]
        unique = dict.fromkeys(found)
        return sorted(unique, key=lambda v: self.order.get(v, len(self.order)))

    def answer(self, value: Any) -> str:
        """A cell as the raw answer evidence.answers_clean reads. A column repeats a few
        cells many times: each is read once (by its kind too: 1 and True are different
        cells)."""
        key = (value.__class__, value)
        found = self.seen.get(key)
        if found is None:
            text = cell_text(value)
            if self.question.type == Question.Type.MULTIPLE:
                found = "; ".join(self.values_in(text))
            else:
                found = self.value_of(text)
            if len(self.seen) < self.SEEN_MOST:
                self.seen[key] = found
        return found


@dataclass
class Columns:
    """Which column holds what, by position."""

    reserved: dict[str, int]
    questions: dict[int, CompiledQuestion]  # position → question
    position_of: dict[str, int]  # question code → (first) position
    options: dict[int, tuple[CompiledQuestion, str]] = field(default_factory=dict)
    choices: dict[str, ChoiceMatcher] = field(default_factory=dict)  # by question code
    dropped: list[str] = field(default_factory=list)  # personal data: headers only
    unmatched: list[str] = field(default_factory=list)  # headers as written, for a map


class _Plan:
    def __init__(
        self,
        source: Source,
        compiled: CompiledVersion,
        problems: Problems,
        mapping: dict[str, str],
    ) -> None:
        self.source, self.compiled, self.problems = source, compiled, problems
        self.mapping = {fold(k): v.strip() for k, v in mapping.items()}
        self.mapped: set[str] = set()
        self.columns = Columns({}, {}, {})
        self.by_fold: dict[str, list[CompiledQuestion]] = {}
        for known in compiled.questions.values():
            self.by_fold.setdefault(known.code.casefold(), []).append(known)
        self.by_text: dict[str, list[CompiledQuestion]] = {}
        for known in compiled.questions.values():
            self.by_text.setdefault(fold(known.text), []).append(known)
        self.metadata: dict[str, int] = {}

    def error(self, index: int | None, message: str) -> None:
        column = self.source.column_at(index) if index is not None else ""
        self.problems.add(self.source.name, 1, column, message)

    def question_for(self, header: str) -> CompiledQuestion | None:
        question = self.compiled.questions.get(header)
        if question is None and len(self.by_fold.get(header.casefold(), [])) == 1:
            question = self.by_fold[header.casefold()][0]
        if question is None and len(self.by_text.get(fold(header), [])) == 1:
            question = self.by_text[fold(header)][0]
        return question

    def mapped_question(self, index: int, header: str) -> CompiledQuestion | str | None:
        """The map's word on the column: a question, IGNORE, or None when it says nothing."""
        target = self.mapping.get(fold(header))
        if target is None:
            return None
        self.mapped.add(fold(header))
        if target == IGNORE:
            return IGNORE
        question = self.compiled.questions.get(target)
        if question is None:
            self.error(
                index,
                f"the map gives {target!r} for this column, which is not a question code of "
                f"{self.compiled.instrument_code}; give one of {listing(self.compiled.questions)}"
                ", or - to ignore the column",
            )
            return IGNORE
        return question

    def place(self, index: int, header: str) -> None:
        mapped = self.mapped_question(index, header)
        if mapped == IGNORE:
            return
        name = normal_name(header)
        if mapped is None and name in RESERVED and name not in self.columns.reserved:
            self.columns.reserved[name] = index
            return
        question = mapped if isinstance(mapped, CompiledQuestion) else self.question_for(header)
        if question is not None:
            self.add_question(index, question)
        elif fold(header) in METADATA:
            self.metadata.setdefault(fold(header), index)
        elif fold(header) in PERSONAL:
            if header not in self.columns.dropped:
                self.columns.dropped.append(header)
        else:
            if header not in self.columns.unmatched:
                self.columns.unmatched.append(header)
            # Worded as before §5, which tests hold to; the page and --map offer the map.
            self.error(
                index,
                f"{header!r} is not a question code of {self.compiled.instrument_code}, nor one "
                f"of the columns {', '.join(RESERVED)}. Name the column by a question code ("
                f"{listing(self.compiled.questions)}), or delete it",
            )

    def add_question(self, index: int, question: CompiledQuestion) -> None:
        columns = self.columns
        sub = self.source.subs[index] if index < len(self.source.subs) else ""
        if question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
            columns.choices.setdefault(question.code, ChoiceMatcher(question))
        if sub:
            self.add_option(index, question, sub)
            return
        if question.code in columns.position_of:
            first = self.source.column_at(columns.position_of[question.code])
            self.error(
                index,
                f"this column and column {first} both answer {question.code}: delete one, or "
                "ignore one in the map",
            )
            return
        columns.questions[index] = question
        columns.position_of[question.code] = index

    def add_option(self, index: int, question: CompiledQuestion, sub: str) -> None:
        value = self.columns.choices[question.code].value_of(sub) if sub else ""
        if question.type != Question.Type.MULTIPLE or value not in question.options:
            labels = "; ".join(o.label for o in question.options.values()) or "none"
            self.error(
                index,
                f"{sub!r} is not an option of {question.code} (“{question.text}”), which "
                f"takes: {labels}. Ignore the column in the map, or correct the option's text",
            )
            return
        self.columns.options[index] = (question, value)
        self.columns.position_of.setdefault(question.code, index)

    def finish(self) -> Columns:
        reserved = self.columns.reserved
        for name, candidates in (("ref", REF_FROM), ("submitted", SUBMITTED_FROM)):
            found = [self.metadata[c] for c in candidates if c in self.metadata]
            if name not in reserved and found:
                reserved[name] = found[0]
        for header in self.mapping:
            if header not in self.mapped:
                self.error(None, f"the map names a column {header!r} that the file does not have")
        for q in self.compiled.questions.values():
            if q.required and q.show_if is None and q.code not in self.columns.position_of:
                self.error(
                    None,
                    f"there is no column for {q.code}, which must be answered (“{q.text}”): "
                    f"add a column headed {q.code}",
                )
        return self.columns


def columns_plan(
    source: Source,
    compiled: CompiledVersion,
    problems: Problems,
    mapping: dict[str, str] | None = None,
) -> Columns:
    plan = _Plan(source, compiled, problems, mapping or {})
    for index, header in enumerate(source.tops or source.headers):
        header = header.strip()
        if header:
            plan.place(index, header)
    return plan.finish()


def listing(items: Any, limit: int = 20) -> str:
    names = list(items)
    text = ", ".join(str(n) for n in names[:limit])
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")
