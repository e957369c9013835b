"""Building an instrument on the page: add, change, move and remove questions and option lists.

Every change is published at once through `instrument_save`, the same path a workbook import
takes; there is no working copy. We chose that over a draft kept in the session because:

- nothing the scrutineer does lives only in a browser session that can expire, which is the
  platform's rule for everything typed (ARCHITECTURE.md);
- each change is checked by the same `definition_errors` as a workbook, and versioned by the same
  rule: a version with no responses is replaced in place, so a round of edits before evidence
  arrives stays version 1, and a version with responses is never changed: the first change makes
  the next version (and later changes replace that one until it has responses of its own);
- two people editing at once cannot silently undo each other: a change names the version it was
  made on (`based_on`, its fingerprint) and is refused when the instrument has changed since.

The cost: while evidence is being gathered, a respondent who starts after a change answers the
new version. The builder page says so before the first change.

The edits are pure functions of an `InstrumentDefinition` (`question_put`, `option_list_put` …);
the services (`instrument_question_save` …) lock the instrument, apply one, and save.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from scrutiny.errors import ApplicationError
from scrutiny.instruments import (
    ConfigError,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    SaveResult,
    definition_errors,
    definition_from_version,
    instrument_current_version,
    instrument_save,
    parse_show_if,
)
from scrutiny.models import Instrument, InstrumentVersion, Response, Scrutiny

Change = Callable[[InstrumentDefinition], InstrumentDefinition]


class DefinitionErrors(ApplicationError):
    """A change would leave the instrument with configuration errors; nothing was saved."""

    def __init__(self, errors: list[ConfigError]) -> None:
        super().__init__(
            "The instrument would have configuration errors:\n"
            + "\n".join(f"- {e}" for e in errors),
            extra={"errors": [str(e) for e in errors]},
        )
        self.errors = errors


def question_where(code: str) -> str:
    return f"Question {code}"


def option_list_where(name: str) -> str:
    return f"Option list {name}"


# ---------------------------------------------------------------------------------------------
# Option lines: "value | label | points", one option a line.


def parse_option_lines(text: str) -> tuple[OptionDef, ...]:
    """Options written one a line as `value | label | points`. Raises ValueError naming the line.

    The label defaults to the value; empty points make an unscored option (Not applicable).
    """
    options: list[OptionDef] = []
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3:
            raise ValueError(f"line {number} has {len(parts)} parts; write value | label | points")
        value = parts[0]
        label = parts[1] if len(parts) > 1 and parts[1] else value
        points_text = parts[2] if len(parts) > 2 else ""
        if not value:
            raise ValueError(f"line {number} has no value before the first |")
        if value in seen:
            raise ValueError(f"line {number}: value {value!r} is already in the list")
        points: float | None = None
        if points_text:
            try:
                points = float(points_text)
            except ValueError:
                raise ValueError(f"line {number}: points {points_text!r} is not a number") from None
        seen.add(value)
        options.append(OptionDef(value, label, points))
    if not options:
        raise ValueError("write at least one option")
    return tuple(options)


def format_option_lines(options: tuple[OptionDef, ...] | list[OptionDef]) -> str:
    lines = []
    for option in options:
        points = "" if option.points is None else f"{option.points:g}"
        lines.append(f"{option.value} | {option.label} | {points}".rstrip(" |"))
    return "\n".join(lines)


def format_factors(question: QuestionDef) -> str:
    return "; ".join(
        ref.code if ref.weight == 1 else f"{ref.code}:{ref.weight:g}" for ref in question.factors
    )


# ---------------------------------------------------------------------------------------------
# Edits: pure functions of a definition.


def _with(
    definition: InstrumentDefinition,
    *,
    questions: list[QuestionDef] | None = None,
    option_lists: dict[str, tuple[OptionDef, ...]] | None = None,
) -> InstrumentDefinition:
    return replace(
        definition,
        questions=tuple(definition.questions if questions is None else questions),
        option_lists=dict(definition.option_lists if option_lists is None else option_lists),
    )


def _index(definition: InstrumentDefinition, code: str) -> int:
    for i, question in enumerate(definition.questions):
        if question.code == code:
            return i
    raise ApplicationError(f"The instrument has no question {code}: it may have just been removed.")


def _insert_in_section(questions: list[QuestionDef], question: QuestionDef) -> None:
    """After the last question of its section, or at the end for a new section."""
    last = max((i for i, q in enumerate(questions) if q.section == question.section), default=None)
    if last is None:
        questions.append(question)
    else:
        questions.insert(last + 1, question)


def _show_if_renamed(show_if: str, old: str, new: str) -> str:
    try:
        condition = parse_show_if(show_if)
    except ValueError:
        return show_if
    if condition is None or condition.code != old:
        return show_if
    return re.sub(rf"^\s*{re.escape(old)}", new, show_if, count=1)


def question_put(
    definition: InstrumentDefinition, question: QuestionDef, *, replacing: str | None = None
) -> InstrumentDefinition:
    """Add a question (at the end of its section), or replace question `replacing`.

    A replaced question keeps its place unless its section changes (it then goes to the end of
    that section). A new code is carried into the show_if of the questions that depend on it.
    """
    questions = list(definition.questions)
    question = replace(question, where=question_where(question.code))
    if replacing is None:
        if any(q.code == question.code for q in questions):
            raise DefinitionErrors(
                [ConfigError(question.where, f"question code {question.code!r} is used twice")]
            )
        _insert_in_section(questions, question)
        return _with(definition, questions=questions)
    i = _index(definition, replacing)
    old = questions[i]
    if question.section == old.section:
        questions[i] = question
    else:
        del questions[i]
        _insert_in_section(questions, question)
    if question.code != replacing:
        questions = [
            replace(q, show_if=_show_if_renamed(q.show_if, replacing, question.code))
            for q in questions
        ]
    return _with(definition, questions=questions)


def question_remove(definition: InstrumentDefinition, code: str) -> InstrumentDefinition:
    questions = list(definition.questions)
    del questions[_index(definition, code)]
    dependants = []
    for q in questions:
        try:
            condition = parse_show_if(q.show_if)
        except ValueError:
            continue
        if condition is not None and condition.code == code:
            dependants.append(q.code)
    if dependants:
        raise ApplicationError(
            f"{', '.join(dependants)} {'is' if len(dependants) == 1 else 'are'} shown only "
            f"depending on the answer to {code} (show_if): change or remove "
            f"{'it' if len(dependants) == 1 else 'them'} first."
        )
    return _with(definition, questions=questions)


def question_move(
    definition: InstrumentDefinition, code: str, *, offset: int
) -> InstrumentDefinition:
    """Move a question up (-1) or down (+1) within its section."""
    questions = list(definition.questions)
    i = _index(definition, code)
    j = i + offset
    if offset not in (-1, 1):
        raise ApplicationError("A question moves one place at a time.")
    if not 0 <= j < len(questions) or questions[j].section != questions[i].section:
        where = "first" if offset < 0 else "last"
        raise ApplicationError(
            f"{code} is already the {where} question of section “{questions[i].section}”. "
            "To move it to another section, change its section."
        )
    questions[i], questions[j] = questions[j], questions[i]
    return _with(definition, questions=questions)


def option_list_put(
    definition: InstrumentDefinition,
    name: str,
    options: tuple[OptionDef, ...],
    *,
    replacing: str | None = None,
) -> InstrumentDefinition:
    """Add an option list, or replace list `replacing` (renaming it in every question using it)."""
    name = name.strip()
    if not name:
        raise ApplicationError("An option list needs a name.")
    lists = dict(definition.option_lists)
    where = option_list_where(name)
    options = tuple(replace(o, where=where) for o in options)
    if replacing != name and name in lists:
        raise DefinitionErrors([ConfigError(where, f"there is already a list named {name!r}")])
    questions = list(definition.questions)
    if replacing is not None:
        if replacing not in lists:
            raise ApplicationError(f"The instrument has no option list {replacing!r}.")
        # Keep the lists in their order, with the new name in the old one's place.
        lists = {(name if key == replacing else key): value for key, value in lists.items()}
        questions = [replace(q, options=name) if q.options == replacing else q for q in questions]
    lists[name] = options
    return _with(definition, questions=questions, option_lists=lists)


def option_list_remove(definition: InstrumentDefinition, name: str) -> InstrumentDefinition:
    if name not in definition.option_lists:
        raise ApplicationError(f"The instrument has no option list {name!r}.")
    users = [q.code for q in definition.questions if q.options == name]
    if users:
        raise ApplicationError(
            f"Option list {name} is used by {', '.join(users)}: give "
            f"{'that question' if len(users) == 1 else 'those questions'} another list first."
        )
    lists = {key: value for key, value in definition.option_lists.items() if key != name}
    return _with(definition, option_lists=lists)


def settings_put(
    definition: InstrumentDefinition, *, title: str, kind: str
) -> InstrumentDefinition:
    return replace(definition, title=title.strip(), kind=kind)


# ---------------------------------------------------------------------------------------------
# Services: lock, apply one edit, check, save.


def _labelled(definition: InstrumentDefinition) -> InstrumentDefinition:
    """Name where each question and option is, so errors point at them."""
    return replace(
        definition,
        questions=tuple(replace(q, where=question_where(q.code)) for q in definition.questions),
        option_lists={
            name: tuple(replace(o, where=option_list_where(name)) for o in options)
            for name, options in definition.option_lists.items()
        },
    )


def _check_and_save(*, scrutiny: Scrutiny, definition: InstrumentDefinition) -> SaveResult:
    factor_codes = set(scrutiny.factors.values_list("code", flat=True))
    errors = definition_errors(definition, factor_codes=factor_codes)
    if errors:
        raise DefinitionErrors(errors)
    return instrument_save(scrutiny=scrutiny, definition=definition)


@transaction.atomic
def instrument_change(*, instrument: Instrument, change: Change, based_on: str = "") -> SaveResult:
    """Apply one edit to an instrument's current version and publish it.

    `based_on` is the fingerprint of the version the person was looking at; when the instrument
    has changed since, nothing is saved and they are asked to look again.
    """
    instrument = (
        Instrument.objects.select_for_update().select_related("scrutiny").get(pk=instrument.pk)
    )
    current = instrument_current_version(instrument)
    if based_on and based_on != current.definition_sha256:
        raise ApplicationError(
            f"{instrument.code} has changed since you opened this page (it is now version "
            f"{current.number}). Nothing was saved: look at it again, then make your change."
        )
    definition = change(_labelled(definition_from_version(current)))
    return _check_and_save(scrutiny=instrument.scrutiny, definition=definition)


def instrument_question_save(
    *,
    instrument: Instrument,
    question: QuestionDef,
    replacing: str | None = None,
    option_list: tuple[str, tuple[OptionDef, ...]] | None = None,
    based_on: str = "",
) -> SaveResult:
    """Add or change a question; `option_list` (name, options) also creates or changes the list
    it uses, for every question that uses it."""

    def change(definition: InstrumentDefinition) -> InstrumentDefinition:
        if option_list is not None:
            name, options = option_list
            existing = name if name in definition.option_lists else None
            definition = option_list_put(definition, name, options, replacing=existing)
        return question_put(definition, question, replacing=replacing)

    return instrument_change(instrument=instrument, change=change, based_on=based_on)


def instrument_question_delete(
    *, instrument: Instrument, code: str, based_on: str = ""
) -> SaveResult:
    return instrument_change(
        instrument=instrument, change=lambda d: question_remove(d, code), based_on=based_on
    )


def instrument_question_move(
    *, instrument: Instrument, code: str, offset: int, based_on: str = ""
) -> SaveResult:
    return instrument_change(
        instrument=instrument,
        change=lambda d: question_move(d, code, offset=offset),
        based_on=based_on,
    )


def instrument_option_list_save(
    *,
    instrument: Instrument,
    name: str,
    options: tuple[OptionDef, ...],
    replacing: str | None = None,
    based_on: str = "",
) -> SaveResult:
    return instrument_change(
        instrument=instrument,
        change=lambda d: option_list_put(d, name, options, replacing=replacing),
        based_on=based_on,
    )


def instrument_option_list_delete(
    *, instrument: Instrument, name: str, based_on: str = ""
) -> SaveResult:
    return instrument_change(
        instrument=instrument, change=lambda d: option_list_remove(d, name), based_on=based_on
    )


def instrument_settings_save(
    *, instrument: Instrument, title: str, kind: str, based_on: str = ""
) -> SaveResult:
    return instrument_change(
        instrument=instrument,
        change=lambda d: settings_put(d, title=title, kind=kind),
        based_on=based_on,
    )


@transaction.atomic
def instrument_create(
    *,
    scrutiny: Scrutiny,
    code: str,
    title: str,
    kind: str,
    question: QuestionDef,
    option_list: tuple[str, tuple[OptionDef, ...]] | None = None,
) -> SaveResult:
    """A new instrument with its first question (an instrument cannot be saved empty)."""
    code = code.strip()
    if Instrument.objects.filter(scrutiny=scrutiny, code=code).exists():
        raise DefinitionErrors(
            [ConfigError("settings", f"there is already an instrument {code} in this scrutiny")]
        )
    definition = InstrumentDefinition(
        code=code, title=title.strip(), kind=kind, questions=(), option_lists={}
    )
    if option_list is not None:
        definition = option_list_put(definition, option_list[0], option_list[1])
    definition = question_put(definition, question)
    return _check_and_save(scrutiny=scrutiny, definition=definition)


# ---------------------------------------------------------------------------------------------
# Words and reads for the pages.


def save_message(result: SaveResult, *, done: str = "Saved") -> str:
    """What happened to the instrument, in the words the pages and imports use."""
    code, number = result.instrument.code, result.version.number
    if result.outcome == "created":
        return f"{done}: instrument {code} created (version 1)."
    if result.outcome == "unchanged":
        return f"Nothing changed: {code} version {number} already asks exactly this."
    if result.outcome == "replaced":
        return f"{done}: {code} version {number} replaced (it had no responses yet)."
    return (
        f"{done} as {code} version {number}, a new version: the responses to earlier versions "
        "keep the version they answered."
    )


# Which field of the question form a configuration message is about (definition_errors' words).
_FIELD_OF_MESSAGE: tuple[tuple[str, str], ...] = (
    ("show_if", "show_if"),
    ("success factor", "factors"),
    ("not scored", "factors"),
    ("option list", "options"),
    ("cannot have options", "options"),
    ("question code", "code"),
    ("has no text", "text"),
    ("type ", "type"),
)


def error_field(error: ConfigError, *, question_code: str = "", list_name: str = "") -> str | None:
    """The form field a configuration error belongs to, or None for the error summary only."""
    if question_code and error.where == question_where(question_code):
        for words, field in _FIELD_OF_MESSAGE:
            if words in error.message:
                return field
    if list_name and error.where == option_list_where(list_name):
        return "name" if "already a list named" in error.message else "option_lines"
    if error.where == "settings":
        for name in ("code", "title", "kind"):
            if error.message.startswith(name) or f"instrument {name}" in error.message:
                return name
        if "already an instrument" in error.message:
            return "code"
    return None


@dataclass(frozen=True)
class Page:
    title: str
    questions: tuple[QuestionDef, ...]


def definition_pages(definition: InstrumentDefinition) -> list[Page]:
    """Consecutive questions of one section form a page, as instrument_save makes them."""
    pages: list[Page] = []
    for question in definition.questions:
        if pages and pages[-1].title == question.section:
            pages[-1] = Page(pages[-1].title, (*pages[-1].questions, question))
        else:
            pages.append(Page(question.section, (question,)))
    return pages


def instrument_versions(*, instrument: Instrument) -> list[InstrumentVersion]:
    """The versions, newest first, each with `response_count` (one query)."""
    return list(instrument.versions.annotate(response_count=Count("responses")).order_by("-number"))


def scrutiny_instruments(*, scrutiny: Scrutiny) -> list[Instrument]:
    """The instruments with `current_number` and `response_count` (one query)."""
    responses = (
        Response.objects.filter(instrument=OuterRef("pk"))
        .order_by()
        .values("instrument")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        scrutiny.instruments.annotate(
            current_number=Max("versions__number"),
            response_count=Coalesce(Subquery(responses), 0),
        ).order_by("code")
    )
