"""Compiled versions: what answering, importing and form building read.

`version_compile` turns a saved version into read-only plain data (four queries, whatever its
size, the first time; then at most one, see `_COMPILED`). Answer score (SCORING.md §2):
`(p - lo) / (hi - lo)` (`answer_score`).

A version compiled `language="cy"` shows its Welsh texts (question text and help, section
titles, option labels, the instrument's title) where the version offers Welsh and has them,
and English for any text it lacks. Only the words change: codes, option values and points are
the same, so answers and scores are identical in either language.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from scrutiny.instruments.definitions import BASE_LANGUAGE, parse_languages
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
    languages: tuple[str, ...] = (BASE_LANGUAGE,)  # the languages the version offers
    language: str = BASE_LANGUAGE  # the language its texts are shown in

    def offers(self, language: str) -> bool:
        return language in self.languages

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


def _offered(version: InstrumentVersion) -> tuple[str, ...]:
    try:
        return parse_languages(version.languages)
    except ValueError:
        return (BASE_LANGUAGE,)


def _in(language: str, translations: Any, name: str, english: str) -> str:
    """A text in `language` if there is one, else the English."""
    if language == BASE_LANGUAGE or not isinstance(translations, dict):
        return english
    texts = translations.get(language)
    text = texts.get(name) if isinstance(texts, dict) else None
    return text if isinstance(text, str) and text.strip() else english


# Compiled versions kept by this process, the most recently used last. A version never changes
# once saved: a changed definition replaces it by a new row or adds a new version, and nothing
# edits its sections, questions or options in place (scrutiny.instruments.versions). The key
# holds its fingerprint and creation time as well as its id, so that an id used again (SQLite
# reuses the ids of rolled-back rows) never finds another version's questions. The instrument's
# own fields (its title and kind may change with a later version) are read afresh every time.
_COMPILED: OrderedDict[tuple[Any, ...], CompiledVersion] = OrderedDict()
_COMPILED_MOST = 256
_COMPILED_LOCK = threading.Lock()
_LOADED: tuple[str, ...] = ("number", "instrument_id", "definition_sha256", "languages")
_LOADED += ("translations", "created_at")


def _loaded(version: InstrumentVersion) -> InstrumentVersion:
    """The version with its fields and its instrument: `version` itself when it has them (as
    `instrument_current_version` gives it), else read (one query)."""
    fields = version.__dict__
    if all(name in fields for name in _LOADED) and InstrumentVersion.instrument.is_cached(version):
        return version
    return InstrumentVersion.objects.select_related("instrument").get(pk=version.pk)


def version_compile(
    version: InstrumentVersion, *, language: str = BASE_LANGUAGE
) -> CompiledVersion:
    """Read a version into plain data, its texts in `language` where the version offers it
    (else in English): four queries the first time this process compiles it, then none, or
    one when `version` is given as an id only (to read its fingerprint)."""
    version = _loaded(version)
    languages = _offered(version)
    if language not in languages:
        language = BASE_LANGUAGE
    key = (version.pk, version.definition_sha256, version.created_at, language)
    with _COMPILED_LOCK:
        compiled = _COMPILED.get(key)
        if compiled is not None:
            _COMPILED.move_to_end(key)
    if compiled is None:
        compiled = _compile(version, languages, language)
        with _COMPILED_LOCK:
            _COMPILED[key] = compiled
            while len(_COMPILED) > _COMPILED_MOST:
                _COMPILED.popitem(last=False)
    instrument = version.instrument
    title = _in(language, version.translations, "title", instrument.title)
    fresh = (instrument.pk, instrument.code, title, instrument.scrutiny_id, instrument.kind)
    held = (compiled.instrument_id, compiled.instrument_code, compiled.title)
    if (*held, compiled.scrutiny_id, compiled.kind) != fresh:
        compiled = replace(
            compiled,
            instrument_id=instrument.pk,
            instrument_code=instrument.code,
            title=title,
            scrutiny_id=instrument.scrutiny_id,
            kind=instrument.kind,
        )
    return compiled


def _compile(
    version: InstrumentVersion, languages: tuple[str, ...], language: str
) -> CompiledVersion:
    """The version's sections, questions and options (three queries)."""
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
            text=_in(language, q.translations, "text", q.text),
            help=_in(language, q.translations, "help", q.help),
            required=q.required,
            section_id=q.section_id,
            options={
                o.value: CompiledOption(
                    o.pk,
                    o.value,
                    _in(language, o.translations, "label", o.label),
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
        CompiledSection(
            s.pk,
            _in(language, s.translations, "title", s.title),
            tuple(codes_by_section.get(s.pk, ())),
        )
        for s in Section.objects.filter(version=version).order_by("position")
    )
    instrument = version.instrument
    return CompiledVersion(
        version_id=version.pk,
        number=version.number,
        instrument_id=instrument.pk,
        instrument_code=instrument.code,
        title=_in(language, version.translations, "title", instrument.title),
        scrutiny_id=instrument.scrutiny_id,
        kind=instrument.kind,
        questions=questions,
        sections=sections,
        languages=languages,
        language=language,
    )
