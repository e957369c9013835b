"""The builder's services: lock the instrument, apply one edit, check, and publish.

`instrument_change` is the one path: it refuses a change made on a version that is no longer the
current one (`based_on`), applies the edit to the current definition, checks it with
`definition_errors` and saves it with `instrument_save`.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext

from scrutiny.errors import ApplicationError
from scrutiny.instrument_builder.edits import (
    Change,
    DefinitionErrors,
    option_list_put,
    option_list_remove,
    option_list_where,
    question_move,
    question_put,
    question_remove,
    question_where,
    settings_put,
)
from scrutiny.instruments import (
    ConfigError,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    SaveResult,
    Translations,
    definition_errors,
    definition_from_version,
    instrument_current_version,
    instrument_save,
)
from scrutiny.models import Instrument, Scrutiny


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
        message = gettext(
            "%(code)s has changed since you opened this page (it is now version %(number)s). "
            "Nothing was saved: look at it again, then make your change."
        )
        raise ApplicationError(message % {"code": instrument.code, "number": current.number})
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
    *,
    instrument: Instrument,
    title: str,
    kind: str,
    languages: tuple[str, ...] | None = None,
    translations: Translations | None = None,
    based_on: str = "",
) -> SaveResult:
    """The title and source; `languages` and the title's `translations` when the page offers
    them (a language is refused while a text lacks it: `definition_errors` names which)."""
    return instrument_change(
        instrument=instrument,
        change=lambda d: settings_put(
            d, title=title, kind=kind, languages=languages, translations=translations
        ),
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
