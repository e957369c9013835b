"""Checking a definition: `definition_errors` reports every configuration error with where it is.

Each kind of error is a small check of its own, in the order the errors are reported: the
settings (code, title, kind), the option lists, each question (its code, type, text, options and
success factors), then the show_if conditions (each names a known question and, for choice
questions, known values; no cycles), then the languages (a language it offers has every text).

Every text is checked against the length its database column holds (`TEXT_LIMITS`, read from
the models): a longer one is a DataError on PostgreSQL, and on SQLite it is stored and then the
instrument's own exported workbook is refused. Checked here, once, it is refused the same way
whichever way the definition comes in (the builder, a workbook, an XLSForm, the API), with
one wording (`too_long`).
"""

from __future__ import annotations

from scrutiny.instruments.definitions import (
    BASE_LANGUAGE,
    CHOICE_TYPES,
    QUESTION_TYPES,
    ConfigError,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    language_name,
    option_list_is_scored,
)
from scrutiny.instruments.show_if import Condition, parse_show_if
from scrutiny.models import Instrument, Option, OptionList, Question, Section, Source

# The longest text each part of a definition can hold: its column's max_length.
TEXT_LIMITS: dict[str, int | None] = {
    "instrument code": Instrument._meta.get_field("code").max_length,
    "title": Instrument._meta.get_field("title").max_length,
    "code": Question._meta.get_field("code").max_length,
    "section": Section._meta.get_field("title").max_length,
    "show_if": Question._meta.get_field("show_if").max_length,
    "list": OptionList._meta.get_field("name").max_length,
    "value": Option._meta.get_field("value").max_length,
    "label": Option._meta.get_field("label").max_length,
}


def too_long(name: str, text: str) -> str:
    """What is wrong with a text too long for its column (`name` as in TEXT_LIMITS), or ""."""
    limit = TEXT_LIMITS[name]
    if limit is None or len(text) <= limit:
        return ""
    return f"the {name} is {len(text)} characters long; at most {limit} fit"


def _named(text: str) -> str:
    """A text to name something by in a message: a long one's start."""
    return repr(text if len(text) <= 30 else text[:30] + "…")


def definition_errors(
    definition: InstrumentDefinition, *, factor_codes: set[str]
) -> list[ConfigError]:
    """Every configuration error of an instrument, each with where it is."""
    errors = [*_settings_errors(definition), *_option_list_errors(definition)]
    if not definition.questions:
        errors.append(ConfigError("questions", "the instrument has no questions"))
    by_code: dict[str, QuestionDef] = {}
    for question in definition.questions:
        if question.code in by_code:
            errors.append(
                ConfigError(question.where, f"question code {question.code!r} is used twice")
            )
        by_code[question.code] = question
        errors += _question_errors(question, definition, factor_codes)
    depends_on: dict[str, str] = {}
    for question in definition.questions:
        show_if_errors, target_code = _show_if_checked(question, definition, by_code)
        errors += show_if_errors
        if target_code is not None:
            depends_on[question.code] = target_code
    errors += _cycle_errors(depends_on, by_code)
    return errors + _language_errors(definition)


def _settings_errors(definition: InstrumentDefinition) -> list[ConfigError]:
    errors: list[ConfigError] = []
    if not definition.code.strip():
        errors.append(ConfigError("settings", "code is required"))
    if not definition.title.strip():
        errors.append(ConfigError("settings", "title is required"))
    for name, text in (("instrument code", definition.code), ("title", definition.title)):
        if problem := too_long(name, text):
            errors.append(ConfigError("settings", problem))
    if definition.kind not in Source.values:
        errors.append(
            ConfigError(
                "settings",
                f"kind {definition.kind!r} is not one of {', '.join(Source.values)}",
            )
        )
    return errors


def _option_list_errors(definition: InstrumentDefinition) -> list[ConfigError]:
    errors: list[ConfigError] = []
    for name, options in definition.option_lists.items():
        errors += _option_length_errors(name, options)
        seen: set[str] = set()
        for option in options:
            if option.value in seen:
                errors.append(
                    ConfigError(option.where, f"value {option.value!r} is twice in list {name!r}")
                )
            seen.add(option.value)
    return errors


def _option_length_errors(name: str, options: tuple[OptionDef, ...]) -> list[ConfigError]:
    """A list's name, and each option's value and label, fit their columns."""
    problem = too_long("list", name)
    where = options[0].where if options else ""
    errors = [ConfigError(where, f"list {_named(name)}: {problem}")] if problem else []
    for option in options:
        errors += [
            ConfigError(option.where, f"option {_named(option.value)}: {problem}")
            for problem in (too_long("value", option.value), too_long("label", option.label))
            if problem
        ]
    return errors


def _question_errors(
    question: QuestionDef, definition: InstrumentDefinition, factor_codes: set[str]
) -> list[ConfigError]:
    """A question's own errors: its type, text, options and success factors."""
    where = question.where
    errors: list[ConfigError] = []
    if question.type not in QUESTION_TYPES:
        errors.append(
            ConfigError(where, f"type {question.type!r} is not one of {', '.join(QUESTION_TYPES)}")
        )
    if not question.text.strip():
        errors.append(ConfigError(where, "the question has no text"))
    errors += [
        ConfigError(where, problem)
        for problem in (
            too_long("code", question.code),
            too_long("section", question.section),
            too_long("show_if", question.show_if),
        )
        if problem
    ]
    return [
        *errors,
        *_options_errors(question, definition),
        *_factor_errors(question, definition, factor_codes),
    ]


def _options_errors(question: QuestionDef, definition: InstrumentDefinition) -> list[ConfigError]:
    where = question.where
    if question.type in CHOICE_TYPES:
        if not question.options:
            return [ConfigError(where, f"a {question.type} question needs an option list")]
        if question.options not in definition.option_lists:
            return [ConfigError(where, f"option list {question.options!r} is not on sheet options")]
        return []
    if question.options:
        return [ConfigError(where, f"a {question.type} question cannot have options")]
    return []


def _factor_errors(
    question: QuestionDef, definition: InstrumentDefinition, factor_codes: set[str]
) -> list[ConfigError]:
    """Each success factor is the scrutiny's, and only a scored question counts for one."""
    scored = question.type == Question.Type.SINGLE and option_list_is_scored(
        definition.option_lists.get(question.options, ())
    )
    errors = [
        ConfigError(question.where, f"success factor {ref.code!r} is not one of the scrutiny's")
        for ref in question.factors
        if ref.code not in factor_codes
    ]
    if question.factors and not scored:
        errors.append(
            ConfigError(
                question.where,
                f"question {question.code} is not scored (only single choice with points on "
                "two or more different options is), so it cannot count for a success factor",
            )
        )
    return errors


def _show_if_checked(
    question: QuestionDef, definition: InstrumentDefinition, by_code: dict[str, QuestionDef]
) -> tuple[list[ConfigError], str | None]:
    """The errors of a question's show_if, and the code of the question it depends on (None
    when it has no condition that names another known question)."""
    try:
        condition = parse_show_if(question.show_if)
    except ValueError as exc:
        return [ConfigError(question.where, str(exc))], None
    if condition is None:
        return [], None
    target = by_code.get(condition.code)
    if target is None:
        return [
            ConfigError(
                question.where,
                f"show_if names question {condition.code!r}, which does not exist",
            )
        ], None
    if target.code == question.code:
        return [ConfigError(question.where, "show_if cannot depend on the question itself")], None
    return _show_if_value_errors(question, condition, target, definition), target.code


def _show_if_value_errors(
    question: QuestionDef,
    condition: Condition,
    target: QuestionDef,
    definition: InstrumentDefinition,
) -> list[ConfigError]:
    """For a choice question named by a show_if, each value is one of its options."""
    if target.type not in CHOICE_TYPES:
        return []
    known = {o.value for o in definition.option_lists.get(target.options, ())}
    return [
        ConfigError(
            question.where,
            f"show_if value {value!r} is not an option of {target.code}",
        )
        for value in condition.values
        if known and value not in known
    ]


def _cycle_errors(depends_on: dict[str, str], by_code: dict[str, QuestionDef]) -> list[ConfigError]:
    """show_if conditions that lead back to where they start."""
    errors: list[ConfigError] = []
    for start in depends_on:
        seen_codes = [start]
        code = depends_on.get(start)
        while code is not None:
            if code == start:
                errors.append(
                    ConfigError(
                        by_code[start].where,
                        "show_if conditions form a cycle: " + " → ".join([*seen_codes, start]),
                    )
                )
                break
            if code in seen_codes:
                break
            seen_codes.append(code)
            code = depends_on.get(code)
    return errors


def _language_errors(definition: InstrumentDefinition) -> list[ConfigError]:
    """A language the instrument offers must have every text (WORKBOOKS.md §2): the title, each
    section's title, each question's text (and help, where it has some), each option's label."""
    errors: list[ConfigError] = []
    for language in definition.languages:
        if language == BASE_LANGUAGE:
            continue
        offers = f"the instrument offers {language_name(language)}, but"
        if not definition.translations.get(language, {}).get("title"):
            errors.append(ConfigError("settings", f"{offers} has no {language} title"))
        for question in definition.questions:
            texts = question.translations.get(language, {})
            needed = ["section", "text", *(["help"] if question.help else [])]
            errors += [
                ConfigError(
                    question.where,
                    f"{offers} question {question.code} has no {language} "
                    + ("section title" if name == "section" else name),
                )
                for name in needed
                if not texts.get(name)
            ]
        errors += [
            ConfigError(
                option.where,
                f"{offers} option {option.value!r} of list {list_name!r} has no {language} label",
            )
            for list_name, options in definition.option_lists.items()
            for option in options
            if not option.translations.get(language, {}).get("label")
        ]
    return errors + _section_title_errors(definition)


def _section_title_errors(definition: InstrumentDefinition) -> list[ConfigError]:
    """The questions of one section (consecutive, same title) give it one title in each
    language."""
    errors: list[ConfigError] = []
    previous: QuestionDef | None = None
    for question in definition.questions:
        if previous is not None and previous.section == question.section:
            for language, texts in question.translations.items():
                before = previous.translations.get(language, {}).get("section", "")
                title = texts.get("section", "")
                if before and title and before != title:
                    errors.append(
                        ConfigError(
                            question.where,
                            f"section {question.section!r} has the {language} section title "
                            f"{before!r} above but {title!r} here; give one title",
                        )
                    )
        previous = question
    return errors
