"""Instruments: their definition as plain data, its validation, versions, and compiled form.

An instrument is defined by an `InstrumentDefinition` (what an instrument workbook holds). It is
checked by `definition_errors`, which reports every configuration error with where it is, and
saved by `instrument_save` as a version. A version that has responses is never changed: saving a
different definition then makes the next version. `version_compile` turns a saved version into
the read-only structure that validating answers, building forms and importing rows work from.

Scored questions (SCORING.md §1): a single-choice question whose option list gives points to at
least two options with different points. Answer score (§2): `(p - lo) / (hi - lo)`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch

from scrutiny.errors import ApplicationError
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
    Source,
    SuccessFactor,
)

QUESTION_TYPES = tuple(Question.Type.values)
CHOICE_TYPES = (Question.Type.SINGLE, Question.Type.MULTIPLE)


# ---------------------------------------------------------------------------------------------
# Definitions: plain data, as a workbook or a builder page gives them.


@dataclass(frozen=True)
class OptionDef:
    value: str
    label: str
    points: float | None = None
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class FactorRef:
    code: str
    weight: float = 1.0


@dataclass(frozen=True)
class QuestionDef:
    section: str
    code: str
    type: str
    text: str
    options: str = ""
    required: bool = False
    factors: tuple[FactorRef, ...] = ()
    help: str = ""
    show_if: str = ""
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class InstrumentDefinition:
    code: str
    title: str
    kind: str
    questions: tuple[QuestionDef, ...]
    option_lists: dict[str, tuple[OptionDef, ...]]

    def content_sha256(self) -> str:
        """A fingerprint of what the instrument asks (not its code), to detect a real change."""
        content = {
            "title": self.title,
            "kind": self.kind,
            "questions": [_without_where(asdict(q)) for q in self.questions],
            "option_lists": {
                name: [_without_where(asdict(o)) for o in options]
                for name, options in sorted(self.option_lists.items())
            },
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _without_where(data: dict[str, Any]) -> dict[str, Any]:
    """The definition as plain JSON: no locations, and 2, 2.0 and Decimal("2.00") alike."""
    data.pop("where", None)
    if data.get("points") is not None:
        data["points"] = float(data["points"])
    for factor in data.get("factors", ()):
        factor["weight"] = float(factor["weight"])
    return data


@dataclass(frozen=True)
class ConfigError:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


# ---------------------------------------------------------------------------------------------
# show_if conditions: `CODE = value`, `CODE != value`, `CODE in (v1, v2)`.

_SHOW_IF = re.compile(
    r"^\s*(?P<code>[A-Za-z0-9_.-]+)\s*(?:(?P<op>!=|=)\s*(?P<value>.+?)|\s(?P<in>in)\s*\((?P<values>.*)\))\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Condition:
    code: str
    op: str  # "=", "!=" or "in"
    values: tuple[str, ...]

    def holds(self, answer: str | list[str] | None) -> bool:
        """Does the condition hold for the answer given to question `code`?

        A multiple-choice answer holds `=` when any chosen value matches. An unanswered
        question holds neither `=`, `in` nor `!=`: a follow-up waits until it is answered.
        """
        if answer is None or answer == "" or answer == []:
            return False
        given = {answer} if isinstance(answer, str) else set(answer)
        matches = bool(given & set(self.values))
        return not matches if self.op == "!=" else matches


def parse_show_if(text: str) -> Condition | None:
    """Parse a show_if; None for an empty one. Raises ValueError saying what is wrong."""
    if not text or not text.strip():
        return None
    match = _SHOW_IF.match(text)
    if not match:
        raise ValueError(
            f"cannot read show_if {text!r}: write CODE = value, CODE != value or CODE in (v1, v2)"
        )
    if match.group("in"):
        values = tuple(v.strip() for v in match.group("values").split(",") if v.strip())
        if not values:
            raise ValueError(f"show_if {text!r} lists no values in its brackets")
        return Condition(match.group("code"), "in", values)
    return Condition(match.group("code"), match.group("op"), (match.group("value").strip(),))


# ---------------------------------------------------------------------------------------------
# Validation of a definition.


def parse_factors(text: str) -> tuple[FactorRef, ...]:
    """`SF1`, `SF1:2; SF3` (`,` or `;` between). Raises ValueError saying what is wrong."""
    refs: list[FactorRef] = []
    for part in re.split(r"[;,]", text or ""):
        part = part.strip()
        if not part:
            continue
        code, _, weight_text = part.partition(":")
        code = code.strip()
        weight = 1.0
        if weight_text.strip():
            try:
                weight = float(weight_text)
            except ValueError:
                raise ValueError(
                    f"the weight of {code} is {weight_text.strip()!r}, not a number"
                ) from None
            if not weight > 0:
                raise ValueError(f"the weight of {code} must be above 0, not {weight_text.strip()}")
        if any(ref.code == code for ref in refs):
            raise ValueError(f"{code} is listed twice")
        refs.append(FactorRef(code, weight))
    return tuple(refs)


def option_list_is_scored(options: tuple[OptionDef, ...] | list[OptionDef]) -> bool:
    points = {o.points for o in options if o.points is not None}
    return len(points) >= 2


def definition_errors(
    definition: InstrumentDefinition, *, factor_codes: set[str]
) -> list[ConfigError]:
    """Every configuration error of an instrument, each with where it is."""
    errors: list[ConfigError] = []
    if not definition.code.strip():
        errors.append(ConfigError("settings", "code is required"))
    if not definition.title.strip():
        errors.append(ConfigError("settings", "title is required"))
    if definition.kind not in Source.values:
        errors.append(
            ConfigError(
                "settings",
                f"kind {definition.kind!r} is not one of {', '.join(Source.values)}",
            )
        )
    for name, options in definition.option_lists.items():
        seen: set[str] = set()
        for option in options:
            if option.value in seen:
                errors.append(
                    ConfigError(option.where, f"value {option.value!r} is twice in list {name!r}")
                )
            seen.add(option.value)
    if not definition.questions:
        errors.append(ConfigError("questions", "the instrument has no questions"))

    by_code: dict[str, QuestionDef] = {}
    for question in definition.questions:
        where = question.where
        if question.code in by_code:
            errors.append(ConfigError(where, f"question code {question.code!r} is used twice"))
        by_code[question.code] = question
        if question.type not in QUESTION_TYPES:
            errors.append(
                ConfigError(
                    where, f"type {question.type!r} is not one of {', '.join(QUESTION_TYPES)}"
                )
            )
        if not question.text.strip():
            errors.append(ConfigError(where, "the question has no text"))
        if question.type in CHOICE_TYPES:
            if not question.options:
                errors.append(
                    ConfigError(where, f"a {question.type} question needs an option list")
                )
            elif question.options not in definition.option_lists:
                errors.append(
                    ConfigError(where, f"option list {question.options!r} is not on sheet options")
                )
        elif question.options:
            errors.append(ConfigError(where, f"a {question.type} question cannot have options"))
        scored = question.type == Question.Type.SINGLE and option_list_is_scored(
            definition.option_lists.get(question.options, ())
        )
        for ref in question.factors:
            if ref.code not in factor_codes:
                errors.append(
                    ConfigError(where, f"success factor {ref.code!r} is not one of the scrutiny's")
                )
        if question.factors and not scored:
            errors.append(
                ConfigError(
                    where,
                    f"question {question.code} is not scored (only single choice with points on "
                    "two or more different options is), so it cannot count for a success factor",
                )
            )

    # show_if: each names a known question and, for choice questions, known values; no cycles.
    depends_on: dict[str, str] = {}
    for question in definition.questions:
        try:
            condition = parse_show_if(question.show_if)
        except ValueError as exc:
            errors.append(ConfigError(question.where, str(exc)))
            continue
        if condition is None:
            continue
        target = by_code.get(condition.code)
        if target is None:
            errors.append(
                ConfigError(
                    question.where,
                    f"show_if names question {condition.code!r}, which does not exist",
                )
            )
            continue
        if target.code == question.code:
            errors.append(
                ConfigError(question.where, "show_if cannot depend on the question itself")
            )
            continue
        if target.type in CHOICE_TYPES:
            known = {o.value for o in definition.option_lists.get(target.options, ())}
            for value in condition.values:
                if known and value not in known:
                    errors.append(
                        ConfigError(
                            question.where,
                            f"show_if value {value!r} is not an option of {target.code}",
                        )
                    )
        depends_on[question.code] = target.code
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


# ---------------------------------------------------------------------------------------------
# Saving definitions as versions.


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
        instrument=instrument, number=number, definition_sha256=sha
    )
    lists: dict[str, OptionList] = {}
    options: list[Option] = []
    for name, option_defs in definition.option_lists.items():
        lists[name] = OptionList.objects.create(version=version, name=name)
        options += [
            Option(
                option_list=lists[name], position=i, value=o.value, label=o.label, points=o.points
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
                version=version, position=len(sections), title=q.section
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
            is_scored=q.type == Question.Type.SINGLE and option_list_is_scored(option_defs),
        )
        links += [
            FactorLink(question=question, factor=factors[ref.code], weight=ref.weight)
            for ref in q.factors
        ]
    FactorLink.objects.bulk_create(links)
    return version


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
            )
            for q in version.questions.all()
        ),
        option_lists={
            ol.name: tuple(OptionDef(o.value, o.label, o.points) for o in ol.options.all())
            for ol in version.option_lists.all()
        },
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
        definition = InstrumentDefinition(
            code=code,
            title=definition.title,
            kind=definition.kind,
            questions=definition.questions,
            option_lists=definition.option_lists,
        )
    missing = sorted(
        {ref.code for q in definition.questions for ref in q.factors} - _factor_codes(to_scrutiny)
    )
    if missing:
        raise ApplicationError(
            f"Scrutiny {to_scrutiny.slug} has no success factor {', '.join(missing)}: add "
            f"{'it' if len(missing) == 1 else 'them'} to the scrutiny, then copy again."
        )
    return instrument_save(scrutiny=to_scrutiny, definition=definition)


# ---------------------------------------------------------------------------------------------
# Compiled versions: what answering, importing and form building read.


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


def instrument_current_version(instrument: Instrument) -> InstrumentVersion:
    version = instrument.versions.order_by("-number").first()
    if version is None:
        raise ApplicationError(f"Instrument {instrument.code} has no questions yet.")
    return version
