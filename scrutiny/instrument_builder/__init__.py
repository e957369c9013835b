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

The edits are pure functions of an `InstrumentDefinition` (`question_put`, `option_list_put` …,
in `edits`); the services (`instrument_question_save` …, in `services`) lock the instrument,
apply one, and save; `pages` holds what the builder's pages show (`save_message`, `error_field`,
`definition_pages`, `instrument_versions`, `scrutiny_instruments`). Every public name of the
three is re-exported here, so `scrutiny.instrument_builder.question_put` works as it always has.
"""

from scrutiny.instrument_builder.edits import (
    Change,
    DefinitionErrors,
    format_factors,
    format_option_lines,
    option_list_put,
    option_list_remove,
    option_list_where,
    parse_option_lines,
    question_move,
    question_put,
    question_remove,
    question_where,
    settings_put,
)
from scrutiny.instrument_builder.pages import (
    Page,
    definition_pages,
    error_field,
    instrument_versions,
    save_message,
    scrutiny_instruments,
)
from scrutiny.instrument_builder.services import (
    instrument_change,
    instrument_create,
    instrument_option_list_delete,
    instrument_option_list_save,
    instrument_question_delete,
    instrument_question_move,
    instrument_question_save,
    instrument_settings_save,
)

__all__ = [
    "Change",
    "DefinitionErrors",
    "Page",
    "definition_pages",
    "error_field",
    "format_factors",
    "format_option_lines",
    "instrument_change",
    "instrument_create",
    "instrument_option_list_delete",
    "instrument_option_list_save",
    "instrument_question_delete",
    "instrument_question_move",
    "instrument_question_save",
    "instrument_settings_save",
    "instrument_versions",
    "option_list_put",
    "option_list_remove",
    "option_list_where",
    "parse_option_lines",
    "question_move",
    "question_put",
    "question_remove",
    "question_where",
    "save_message",
    "scrutiny_instruments",
    "settings_put",
]
