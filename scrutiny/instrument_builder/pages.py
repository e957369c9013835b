"""What the builder's pages show: a save in words, the field an error belongs to, an
instrument's pages, its versions and a scrutiny's instruments (each read in one query)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from scrutiny.instrument_builder.edits import option_list_where, question_where
from scrutiny.instruments import ConfigError, InstrumentDefinition, QuestionDef, SaveResult
from scrutiny.models import Instrument, InstrumentVersion, Response, Scrutiny


def save_message(result: SaveResult, *, done: str | None = None) -> str:
    """What happened to the instrument, in the words the pages and imports use, in the active
    language; `done` says how it came ("Saved", the default, or "Imported")."""
    words = {
        "done": done or gettext("Saved"),
        "code": result.instrument.code,
        "number": result.version.number,
    }
    if result.outcome == "created":
        return gettext("%(done)s: instrument %(code)s created (version 1).") % words
    if result.outcome == "unchanged":
        message = gettext("Nothing changed: %(code)s version %(number)s already asks exactly this.")
        return message % words
    if result.outcome == "replaced":
        message = gettext(
            "%(done)s: %(code)s version %(number)s replaced (it had no responses yet)."
        )
        return message % words
    return (
        gettext(
            "%(done)s as %(code)s version %(number)s, a new version: the responses to earlier "
            "versions keep the version they answered."
        )
        % words
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
    ("the code is", "code"),
    ("the section is", "section"),
)


# A text missing in another language: "... has no cy section title" (validation's words).
_MISSING_TRANSLATION = re.compile(r"has no ([a-z]{2,3}) (section title|text|help|title|label)$")
_TRANSLATED_FIELD = {"section title": "section", "label": "option_lines"}


def _translation_field(error: ConfigError, question_code: str, list_name: str) -> str | None:
    """`text_cy` for a question's missing Welsh text, `title_cy`, `option_lines_cy` …"""
    match = _MISSING_TRANSLATION.search(error.message)
    if match is None:
        return None
    language, name = match.groups()
    ours = (
        error.where == "settings"
        or (question_code and error.where == question_where(question_code))
        or (list_name and error.where == option_list_where(list_name))
    )
    return f"{_TRANSLATED_FIELD.get(name, name)}_{language}" if ours else None


def error_field(error: ConfigError, *, question_code: str = "", list_name: str = "") -> str | None:
    """The form field a configuration error belongs to, or None for the error summary only."""
    translated = _translation_field(error, question_code, list_name)
    if translated is not None:
        return translated
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
