"""Instruments: their definition as plain data, its validation, versions, and compiled form.

An instrument is defined by an `InstrumentDefinition` (what an instrument workbook holds). It is
checked by `definition_errors`, which reports every configuration error with where it is, and
saved by `instrument_save` as a version. A version that has responses is never changed: saving a
different definition then makes the next version. `version_compile` turns a saved version into
the read-only structure that validating answers, building forms and importing rows work from.

Scored questions (SCORING.md §1): a single-choice question whose option list gives points to at
least two options with different points. Answer score (§2): `(p - lo) / (hi - lo)`.

The package's modules, whose public names are all re-exported here (`from scrutiny.instruments
import instrument_save` works as it always has):

- `definitions`: the definition as plain data, `ConfigError`, `parse_factors`,
  `config_number` (a weight or points: finite and within bounds), `option_list_is_scored`,
  and its languages (`parse_languages`, `translations_clean`);
- `show_if`: the conditions of show_if, `Condition` and `parse_show_if`;
- `validation`: `definition_errors`, one small check for each kind of error;
- `versions`: `instrument_save`, `definition_from_version`, `instrument_copy`,
  `instrument_current_version`;
- `compiling`: `version_compile`, the compiled structure and `answer_score`.
"""

from scrutiny.instruments.compiling import (
    CompiledOption,
    CompiledQuestion,
    CompiledSection,
    CompiledVersion,
    answer_score,
    version_compile,
)
from scrutiny.instruments.definitions import (
    BASE_LANGUAGE,
    CHOICE_TYPES,
    QUESTION_TYPES,
    ConfigError,
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    Translations,
    config_number,
    language_name,
    option_list_is_scored,
    parse_factors,
    parse_languages,
    translations_clean,
)
from scrutiny.instruments.show_if import Condition, parse_show_if
from scrutiny.instruments.validation import definition_errors, too_long
from scrutiny.instruments.versions import (
    SaveResult,
    definition_from_version,
    instrument_copy,
    instrument_current_version,
    instrument_save,
)

__all__ = [
    "BASE_LANGUAGE",
    "CHOICE_TYPES",
    "QUESTION_TYPES",
    "CompiledOption",
    "CompiledQuestion",
    "CompiledSection",
    "CompiledVersion",
    "Condition",
    "ConfigError",
    "FactorRef",
    "InstrumentDefinition",
    "OptionDef",
    "QuestionDef",
    "SaveResult",
    "Translations",
    "answer_score",
    "config_number",
    "definition_errors",
    "definition_from_version",
    "instrument_copy",
    "instrument_current_version",
    "instrument_save",
    "language_name",
    "option_list_is_scored",
    "parse_factors",
    "parse_languages",
    "parse_show_if",
    "too_long",
    "translations_clean",
    "version_compile",
]
