"""Saving definitions as versions, and reading them back.

`instrument_save` checks a definition (`definition_errors`) and saves it as a version. A version
that has responses is never changed: saving a different definition then makes the next version;
a version with no responses yet is replaced in place. `definition_from_version` gives back the
definition a version was saved from (for export and copying), and `instrument_copy` copies an
instrument into another scrutiny.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet

from scrutiny.errors import ApplicationError
from scrutiny.instruments.definitions import (
    CHOICE_TYPES,
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    Translations,
    option_list_is_scored,
    translations_clean,
)
from scrutiny.instruments.validation import definition_errors
from scrutiny.models import (
    FactorLink,
    Instrument,
    InstrumentVersion,
    Option,
    OptionList,
    Question,
    Response,
    Scrutiny,
    Section,
    SuccessFactor,
)
from scrutiny.prepared import Prepared


@dataclass(frozen=True)
class SaveResult:
    instrument: Instrument
    version: InstrumentVersion
    outcome: str  # "created", "unchanged", "replaced" (no responses yet) or "new version"


def _factor_codes(scrutiny: Scrutiny) -> set[str]:
    return set(scrutiny.factors.values_list("code", flat=True))


@transaction.atomic
def instrument_save(*, scrutiny: Scrutiny, definition: InstrumentDefinition) -> SaveResult:
    """Add an instrument to a scrutiny or update it, keeping every answered version intact."""
    errors = definition_errors(definition, factor_codes=_factor_codes(scrutiny))
    if errors:
        raise ApplicationError(
            "The instrument has configuration errors:\n" + "\n".join(f"- {e}" for e in errors),
            extra={"errors": [str(e) for e in errors]},
        )
    sha = definition.content_sha256()
    instrument = (
        Instrument.objects.select_for_update()
        .filter(scrutiny=scrutiny, code=definition.code)
        .first()
    )
    if instrument is None:
        instrument = Instrument.objects.create(
            scrutiny=scrutiny, code=definition.code, title=definition.title, kind=definition.kind
        )
        version = _version_create(instrument, 1, definition, sha)
        return SaveResult(instrument, version, "created")

    current = instrument.versions.order_by("-number").first()
    if current is not None and current.definition_sha256 == sha:
        return SaveResult(instrument, current, "unchanged")
    has_responses = Response.objects.filter(instrument=instrument).exists()
    if has_responses and definition.kind != instrument.kind:
        raise ApplicationError(
            f"Instrument {instrument.code} already has responses as a {instrument.kind}; "
            f"its kind cannot become {definition.kind}. Create a new instrument instead."
        )
    instrument.title = definition.title
    instrument.kind = definition.kind
    instrument.save(update_fields=["title", "kind"])
    if current is not None and not current.responses.exists():
        number = current.number
        current.delete()
        version = _version_create(instrument, number, definition, sha)
        return SaveResult(instrument, version, "replaced")
    number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _version_create(instrument, number, definition, sha)
    return SaveResult(instrument, version, "new version")


def _version_create(
    instrument: Instrument, number: int, definition: InstrumentDefinition, sha: str
) -> InstrumentVersion:
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        definition_sha256=sha,
        languages=",".join(definition.languages),
        translations=translations_clean(definition.translations),
    )
    lists: dict[str, OptionList] = {}
    options: list[Option] = []
    for name, option_defs in definition.option_lists.items():
        lists[name] = OptionList.objects.create(version=version, name=name)
        options += [
            Option(
                option_list=lists[name],
                position=i,
                value=o.value,
                label=o.label,
                points=o.points,
                translations=translations_clean(o.translations),
            )
            for i, o in enumerate(option_defs)
        ]
    Option.objects.bulk_create(options)

    factors = {f.code: f for f in SuccessFactor.objects.filter(scrutiny_id=instrument.scrutiny_id)}
    sections: dict[str, Section] = {}
    links: list[FactorLink] = []
    previous_section: str | None = None
    for position, q in enumerate(definition.questions):
        # Consecutive rows with the same section form one page; a section name that comes
        # back later starts a new page of the same title.
        if q.section != previous_section:
            section = Section.objects.create(
                version=version,
                position=len(sections),
                title=q.section,
                translations=_only(q.translations, {"section": "title"}),
            )
            sections[f"{len(sections)}:{q.section}"] = section
            previous_section = q.section
        option_defs = definition.option_lists.get(q.options, ())
        question = Question.objects.create(
            version=version,
            section=section,
            position=position,
            code=q.code,
            type=q.type,
            text=q.text,
            help=q.help,
            required=q.required,
            option_list=lists.get(q.options) if q.type in CHOICE_TYPES else None,
            show_if=q.show_if.strip(),
            translations=_only(q.translations, {"text": "text", "help": "help"}),
            is_scored=q.type == Question.Type.SINGLE and option_list_is_scored(option_defs),
        )
        links += [
            FactorLink(question=question, factor=factors[ref.code], weight=ref.weight)
            for ref in q.factors
        ]
    FactorLink.objects.bulk_create(links)
    return version


def _only(translations: Translations, names: dict[str, str]) -> Translations:
    """Some of a definition's texts in each language, renamed as the model keeps them: a
    question's section title is its section's `title`."""
    return translations_clean(
        {
            language: {names[name]: text for name, text in texts.items() if name in names}
            for language, texts in translations.items()
        }
    )


def _question_translations(question: Question) -> Translations:
    """A question's texts in each language, with its section's title as `section`."""
    merged: Translations = {}
    for language, texts in question.section.translations.items():
        merged.setdefault(language, {})["section"] = texts.get("title", "")
    for language, texts in question.translations.items():
        merged.setdefault(language, {}).update(texts)
    return translations_clean(merged)


def definition_from_version(version: InstrumentVersion) -> InstrumentDefinition:
    """The definition a version was saved from: for export and for copying."""
    version = (
        InstrumentVersion.objects.select_related("instrument")
        .prefetch_related(
            Prefetch("option_lists__options"),
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("section", "option_list").prefetch_related(
                    Prefetch("factor_links", queryset=FactorLink.objects.select_related("factor"))
                ),
            ),
        )
        .get(pk=version.pk)
    )
    instrument = version.instrument
    return InstrumentDefinition(
        code=instrument.code,
        title=instrument.title,
        kind=instrument.kind,
        questions=tuple(
            QuestionDef(
                section=q.section.title,
                code=q.code,
                type=q.type,
                text=q.text,
                options=q.option_list.name if q.option_list else "",
                required=q.required,
                factors=tuple(
                    FactorRef(link.factor.code, link.weight)
                    for link in sorted(q.factor_links.all(), key=lambda link: link.factor.code)
                ),
                help=q.help,
                show_if=q.show_if,
                translations=_question_translations(q),
            )
            for q in version.questions.all()
        ),
        option_lists={
            ol.name: tuple(
                OptionDef(
                    o.value, o.label, o.points, translations=translations_clean(o.translations)
                )
                for o in ol.options.all()
            )
            for ol in version.option_lists.all()
        },
        languages=tuple(version.languages.split(",")) if version.languages else ("en",),
        translations=translations_clean(version.translations),
    )


@transaction.atomic
def instrument_copy(*, instrument: Instrument, to_scrutiny: Scrutiny, code: str = "") -> SaveResult:
    """Copy an instrument's current version into another scrutiny, mapping factors by code.

    A factor code the other scrutiny does not have is an error naming the questions that use it.
    """
    current = instrument.versions.order_by("-number").first()
    if current is None:
        raise ApplicationError(f"Instrument {instrument.code} has no version to copy.")
    definition = definition_from_version(current)
    if code:
        definition = replace(definition, code=code)
    missing = sorted(
        {ref.code for q in definition.questions for ref in q.factors} - _factor_codes(to_scrutiny)
    )
    if missing:
        raise ApplicationError(
            f"Scrutiny {to_scrutiny.slug} has no success factor {', '.join(missing)}: add "
            f"{'it' if len(missing) == 1 else 'them'} to the scrutiny, then copy again."
        )
    return instrument_save(scrutiny=to_scrutiny, definition=definition)


# The version an instrument is answered in now: read by the pages of every audit not yet
# started and every survey, its SQL made once a process (scrutiny.prepared).
def _current_version(instrument: int) -> QuerySet[InstrumentVersion]:
    return InstrumentVersion.objects.filter(instrument_id=instrument).order_by("-number")[:1]


_CURRENT_VERSION = Prepared(_current_version, instrument=Instrument._meta.pk)


def instrument_current_version(instrument: Instrument) -> InstrumentVersion:
    version = _CURRENT_VERSION.one(instrument=instrument.pk)
    if version is None:
        raise ApplicationError(f"Instrument {instrument.code} has no questions yet.")
    version.instrument = instrument  # as `instrument.versions` gives it
    return version
