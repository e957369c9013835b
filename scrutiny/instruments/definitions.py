"""An instrument's definition as plain data: what an instrument workbook or a builder page gives.

An `InstrumentDefinition` holds the questions (`QuestionDef`), the option lists (`OptionDef`) and
each question's success factors (`FactorRef`); `ConfigError` is one thing wrong with it, with where
it is (checked in `scrutiny.instruments.validation`).

Scored questions (SCORING.md §1): a single-choice question whose option list gives points to at
least two options with different points (`option_list_is_scored`).

Other languages (WORKBOOKS.md §2): `languages` says which the instrument offers (`("en", "cy")`),
and `translations` hold the texts in each language other than English, by language code:
`{"cy": {"title": ...}}` on the definition, `{"cy": {"section": ..., "text": ..., "help": ...}}` on
a question, `{"cy": {"label": ...}}` on an option. Without them the definition (and its
`content_sha256`) is exactly what it was before languages existed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from scrutiny.models import Question

QUESTION_TYPES = tuple(Question.Type.values)
CHOICE_TYPES = (Question.Type.SINGLE, Question.Type.MULTIPLE)
BASE_LANGUAGE = "en"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}

# Texts by language code, then by field: {"cy": {"text": "...", "help": "..."}}.
Translations = dict[str, dict[str, str]]


def translations_clean(translations: Translations | None) -> Translations:
    """Translations without empty texts or empty languages, in language order."""
    cleaned: Translations = {}
    source = translations or {}
    for language in sorted(source):
        texts = {name: text for name, text in sorted(source[language].items()) if text}
        if texts:
            cleaned[language] = texts
    return cleaned


@dataclass(frozen=True)
class OptionDef:
    value: str
    label: str
    points: float | None = None
    where: str = field(default="", compare=False)
    translations: Translations = field(default_factory=dict, hash=False)


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
    translations: Translations = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class InstrumentDefinition:
    code: str
    title: str
    kind: str
    questions: tuple[QuestionDef, ...]
    option_lists: dict[str, tuple[OptionDef, ...]]
    languages: tuple[str, ...] = (BASE_LANGUAGE,)
    translations: Translations = field(default_factory=dict)

    def content_sha256(self) -> str:
        """A fingerprint of what the instrument asks (not its code), to detect a real change.

        Languages and translations count only when there are any, so that an instrument in
        English alone keeps the fingerprint it had before they existed."""
        content: dict[str, Any] = {
            "title": self.title,
            "kind": self.kind,
            "questions": [_without_where(asdict(q)) for q in self.questions],
            "option_lists": {
                name: [_without_where(asdict(o)) for o in options]
                for name, options in sorted(self.option_lists.items())
            },
        }
        if self.languages != (BASE_LANGUAGE,):
            content["languages"] = list(self.languages)
        if translations_clean(self.translations):
            content["translations"] = translations_clean(self.translations)
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _without_where(data: dict[str, Any]) -> dict[str, Any]:
    """The definition as plain JSON: no locations, and 2, 2.0 and Decimal("2.00") alike."""
    data.pop("where", None)
    translations = translations_clean(data.pop("translations", None))
    if translations:
        data["translations"] = translations
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


# Weights and points are summed as floats (in the scoring's SQL, then in Python): a sum of numbers
# beyond this could overflow to infinity and make every score "not a number". SCORING.md sets no
# upper bound (weights are above 0, answer scores run from 0 to 1); this one is far above any
# real grade scale or weight.
CONFIG_NUMBER_MOST = 1_000_000


def config_number(value: str | Decimal) -> float:
    """A success factor's weight or an option's points, as written, as a float.

    Raises ValueError saying what is wrong, to follow "is": "not a number" (infinity and NaN
    are not), too large or too small (beyond CONFIG_NUMBER_MOST either side of 0).
    """
    try:
        number = float(value)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(number):
        raise ValueError("not a number")
    if number > CONFIG_NUMBER_MOST:
        raise ValueError(f"too large: use a number up to {CONFIG_NUMBER_MOST:,}")
    if number < -CONFIG_NUMBER_MOST:
        raise ValueError(f"too small: use a number down to {-CONFIG_NUMBER_MOST:,}")
    return number


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
                weight = config_number(weight_text)
            except ValueError as exc:
                raise ValueError(
                    f"the weight of {code} is {weight_text.strip()!r}, {exc}"
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


def parse_languages(text: str) -> tuple[str, ...]:
    """`en`, `cy` or `en, cy` (`,`, `;` or spaces between; empty means English alone).
    Raises ValueError saying what is wrong."""
    languages: list[str] = []
    for part in re.split(r"[;,\s]+", (text or "").strip().lower()):
        if not part:
            continue
        if not LANGUAGE_CODE.match(part):
            raise ValueError(
                f"{part!r} is not a language code; write codes such as en and cy, e.g. en, cy"
            )
        if part in languages:
            raise ValueError(f"{part} is listed twice")
        languages.append(part)
    return tuple(languages) or (BASE_LANGUAGE,)


def language_name(code: str) -> str:
    """`Cymraeg (cy)`: how a language is named to people and in an XLSForm's columns."""
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"
