"""The builder's edits: pure functions of an `InstrumentDefinition`, and the option lines.

Each edit (`question_put`, `question_remove`, `question_move`, `option_list_put`,
`option_list_remove`, `settings_put`) takes a definition and gives the changed one, saving
nothing; the services of `scrutiny.instrument_builder.services` apply one and save. Option lists
are written one option a line as `value | label | points` (`parse_option_lines`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from django.utils.translation import gettext, ngettext

from scrutiny.errors import ApplicationError
from scrutiny.instruments import (
    ConfigError,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    Translations,
    config_number,
    parse_show_if,
    translations_clean,
)

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
            message = gettext("line %(number)s has %(parts)s parts; write value | label | points")
            raise ValueError(message % {"number": number, "parts": len(parts)})
        value = parts[0]
        label = parts[1] if len(parts) > 1 and parts[1] else value
        points_text = parts[2] if len(parts) > 2 else ""
        if not value:
            message = gettext("line %(number)s has no value before the first |")
            raise ValueError(message % {"number": number})
        if value in seen:
            message = gettext("line %(number)s: value %(value)s is already in the list")
            raise ValueError(message % {"number": number, "value": repr(value)})
        points: float | None = None
        if points_text:
            try:
                points = config_number(points_text)
            except ValueError as exc:
                raise ValueError(f"line {number}: points {points_text!r} is {exc}") from None
        seen.add(value)
        options.append(OptionDef(value, label, points))
    if not options:
        raise ValueError(gettext("write at least one option"))
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
    message = gettext("The instrument has no question %(code)s: it may have just been removed.")
    raise ApplicationError(message % {"code": code})


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


# ---------------------------------------------------------------------------------------------
# Translations: an edit keeps the other languages of every text it does not change.


def _kept(old: Translations, new: Translations, unchanged: set[str]) -> Translations:
    """`old`'s texts of the fields whose English is unchanged, overlaid with `new` (where a
    form gives a field, even empty, it decides)."""
    merged: Translations = {
        language: {name: text for name, text in texts.items() if name in unchanged}
        for language, texts in old.items()
    }
    for language, texts in new.items():
        merged.setdefault(language, {}).update(texts)
    return translations_clean(merged)


def _question_translated(
    definition: InstrumentDefinition, question: QuestionDef, old: QuestionDef | None
) -> QuestionDef:
    """The question with the translations of `old` whose English it keeps, and its section's
    title in each language where the form gave none (the questions of a section share it)."""
    unchanged: set[str] = set()
    if old is not None:
        unchanged = {
            name
            for name in ("section", "text", "help")
            if getattr(old, name) == getattr(question, name)
        }
    translations = _kept(old.translations if old else {}, question.translations, unchanged)
    for other in definition.questions:
        if other.section != question.section or other is old:
            continue
        for language, texts in other.translations.items():
            if texts.get("section") and not translations.get(language, {}).get("section"):
                translations.setdefault(language, {})["section"] = texts["section"]
    return replace(question, translations=translations_clean(translations))


def _options_translated(
    old: tuple[OptionDef, ...], new: tuple[OptionDef, ...]
) -> tuple[OptionDef, ...]:
    """Each option keeps the translations of the old option of its value, while its label is
    unchanged (translations the new option gives win)."""
    by_value = {option.value: option for option in old}
    kept = []
    for option in new:
        before = by_value.get(option.value)
        unchanged = {"label"} if before is not None and before.label == option.label else set()
        translations = _kept(before.translations if before else {}, option.translations, unchanged)
        kept.append(replace(option, translations=translations))
    return tuple(kept)


def question_put(
    definition: InstrumentDefinition, question: QuestionDef, *, replacing: str | None = None
) -> InstrumentDefinition:
    """Add a question (at the end of its section), or replace question `replacing`.

    A replaced question keeps its place unless its section changes (it then goes to the end of
    that section). A new code is carried into the show_if of the questions that depend on it.
    """
    questions = list(definition.questions)
    old = questions[_index(definition, replacing)] if replacing is not None else None
    question = _question_translated(definition, question, old)
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
        message = ngettext(
            "%(codes)s is shown only depending on the answer to %(code)s (show_if): change or "
            "remove it first.",
            "%(codes)s are shown only depending on the answer to %(code)s (show_if): change or "
            "remove them first.",
            len(dependants),
        )
        raise ApplicationError(message % {"codes": ", ".join(dependants), "code": code})
    return _with(definition, questions=questions)


def question_move(
    definition: InstrumentDefinition, code: str, *, offset: int
) -> InstrumentDefinition:
    """Move a question up (-1) or down (+1) within its section."""
    questions = list(definition.questions)
    i = _index(definition, code)
    j = i + offset
    if offset not in (-1, 1):
        raise ApplicationError(gettext("A question moves one place at a time."))
    if not 0 <= j < len(questions) or questions[j].section != questions[i].section:
        if offset < 0:
            message = gettext(
                "%(code)s is already the first question of section “%(section)s”. To move it "
                "to another section, change its section."
            )
        else:
            message = gettext(
                "%(code)s is already the last question of section “%(section)s”. To move it "
                "to another section, change its section."
            )
        raise ApplicationError(message % {"code": code, "section": questions[i].section})
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
        raise ApplicationError(gettext("An option list needs a name."))
    lists = dict(definition.option_lists)
    where = option_list_where(name)
    before = lists.get(replacing, ()) if replacing is not None else ()
    options = tuple(replace(o, where=where) for o in _options_translated(before, options))
    if replacing != name and name in lists:
        raise DefinitionErrors([ConfigError(where, f"there is already a list named {name!r}")])
    questions = list(definition.questions)
    if replacing is not None:
        if replacing not in lists:
            message = gettext("The instrument has no option list %(name)s.")
            raise ApplicationError(message % {"name": repr(replacing)})
        # Keep the lists in their order, with the new name in the old one's place.
        lists = {(name if key == replacing else key): value for key, value in lists.items()}
        questions = [replace(q, options=name) if q.options == replacing else q for q in questions]
    lists[name] = options
    return _with(definition, questions=questions, option_lists=lists)


def option_list_remove(definition: InstrumentDefinition, name: str) -> InstrumentDefinition:
    if name not in definition.option_lists:
        message = gettext("The instrument has no option list %(name)s.")
        raise ApplicationError(message % {"name": repr(name)})
    users = [q.code for q in definition.questions if q.options == name]
    if users:
        message = ngettext(
            "Option list %(name)s is used by %(codes)s: give that question another list first.",
            "Option list %(name)s is used by %(codes)s: give those questions another list first.",
            len(users),
        )
        raise ApplicationError(message % {"name": name, "codes": ", ".join(users)})
    lists = {key: value for key, value in definition.option_lists.items() if key != name}
    return _with(definition, option_lists=lists)


def settings_put(
    definition: InstrumentDefinition,
    *,
    title: str,
    kind: str,
    languages: tuple[str, ...] | None = None,
    translations: Translations | None = None,
) -> InstrumentDefinition:
    """The title and source; and, when given, the languages offered and the title's
    translations (otherwise those of an unchanged title are kept)."""
    title = title.strip()
    unchanged = {"title"} if title == definition.title else set()
    return replace(
        definition,
        title=title,
        kind=kind,
        languages=definition.languages if languages is None else languages,
        translations=_kept(definition.translations, translations or {}, unchanged),
    )
