"""Compiled versions: what answering, importing and form building read.

`version_compile` turns a saved version into read-only plain data (four queries, whatever its
size). Answer score (SCORING.md §2): `(p - lo) / (hi - lo)` (`answer_score`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrutiny.instruments.show_if import Condition, parse_show_if
from scrutiny.models import InstrumentVersion, Option, Question, Section


@dataclass(frozen=True)
class CompiledOption:
    id: int
    value: str
    label: str
    points: float | None
    score: float | None


@dataclass(frozen=True)
class CompiledQuestion:
    id: int
    code: str
    type: str
    text: str
    help: str
    required: bool
    section_id: int
    options: dict[str, CompiledOption]
    show_if: Condition | None
    is_scored: bool


@dataclass(frozen=True)
class CompiledSection:
    id: int
    title: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class CompiledVersion:
    version_id: int
    number: int
    instrument_id: int
    instrument_code: str
    title: str
    scrutiny_id: int
    kind: str
    questions: dict[str, CompiledQuestion]
    sections: tuple[CompiledSection, ...]

    def visible(self, code: str, answers: dict[str, Any]) -> bool:
        """Is question `code` shown, given the answers so far (codes to values)?

        A question whose condition names a hidden question is hidden too.
        """
        seen: set[str] = set()
        while True:
            condition = self.questions[code].show_if
            if condition is None:
                return True
            if not condition.holds(answers.get(condition.code)):
                return False
            if condition.code in seen:
                return False
            seen.add(condition.code)
            code = condition.code


def answer_score(points: float | None, lo: float, hi: float) -> float | None:
    """SCORING.md §2: `(p - lo) / (hi - lo)`; None for an unscored option or question."""
    if points is None or hi <= lo:
        return None
    return (points - lo) / (hi - lo)


def version_compile(version: InstrumentVersion) -> CompiledVersion:
    """Read a version once (four queries, whatever its size) into plain data."""
    version = InstrumentVersion.objects.select_related("instrument").get(pk=version.pk)
    options_by_list: dict[int, list[Option]] = {}
    for option in Option.objects.filter(option_list__version=version).order_by("position"):
        options_by_list.setdefault(option.option_list_id, []).append(option)
    questions: dict[str, CompiledQuestion] = {}
    codes_by_section: dict[int, list[str]] = {}
    for q in Question.objects.filter(version=version).order_by("position"):
        opts = options_by_list.get(q.option_list_id or 0, [])
        points = [o.points for o in opts if o.points is not None]
        lo, hi = (min(points), max(points)) if points else (0.0, 0.0)
        questions[q.code] = CompiledQuestion(
            id=q.pk,
            code=q.code,
            type=q.type,
            text=q.text,
            help=q.help,
            required=q.required,
            section_id=q.section_id,
            options={
                o.value: CompiledOption(
                    o.pk,
                    o.value,
                    o.label,
                    o.points,
                    answer_score(o.points, lo, hi) if q.is_scored else None,
                )
                for o in opts
            },
            show_if=parse_show_if(q.show_if),
            is_scored=q.is_scored,
        )
        codes_by_section.setdefault(q.section_id, []).append(q.code)
    sections = tuple(
        CompiledSection(s.pk, s.title, tuple(codes_by_section.get(s.pk, ())))
        for s in Section.objects.filter(version=version).order_by("position")
    )
    instrument = version.instrument
    return CompiledVersion(
        version_id=version.pk,
        number=version.number,
        instrument_id=instrument.pk,
        instrument_code=instrument.code,
        title=instrument.title,
        scrutiny_id=instrument.scrutiny_id,
        kind=instrument.kind,
        questions=questions,
        sections=sections,
    )
