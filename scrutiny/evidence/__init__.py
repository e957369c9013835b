"""Evidence in: the one way every channel validates, saves and submits responses.

Workbook imports, the audit and survey wizards and the API all call this package, so every
response is stored, validated and scored the same way:

- `cleaning`: `answers_clean` checks raw answers (question code to value) against a compiled
  version: option values in their list, numbers and dates readable, required questions answered
  (on submit), and answers to questions whose show_if does not hold dropped, not stored;
- `responses`: `response_save_draft` and `response_submit` write one response;
  `response_draft_check`, `response_reopen` and `responses_supersede`;
- `batches`: `ResponseWriter` writes many (imports) in batches, inside the caller's transaction;
  `bulk_write` puts each batch's rows straight to the driver, on a thread of its own while the
  next batch is read and checked;
- `stored`: a stored response's answers stored again where they changed, for both; and
  `answers_stored`, a response's answers read once for a submit of the draft as saved;
- `values`: `answer_values` turns a stored response's answers back into raw values (question
  code to value, as `answers_clean` takes them and the forms show them);
  `answer_values_by_response` does it for many responses in one query, and
  `answer_values_from` for rows already read.

Every public name of the five modules other than `bulk_write` (which only `batches` uses) is
importable from `scrutiny.evidence` itself, as it was when this was one module, so that its
importers need not know which module holds it.
"""

from scrutiny.evidence.batches import ResponseWriter
from scrutiny.evidence.cleaning import EMPTY, CleanAnswer, answers_clean
from scrutiny.evidence.responses import (
    ResponseDetails,
    answer_rows,
    random_id,
    response_draft_check,
    response_fingerprint,
    response_reopen,
    response_save_draft,
    response_submit,
    responses_supersede,
)
from scrutiny.evidence.stored import StoredAnswers, answers_stored
from scrutiny.evidence.values import (
    ANSWER_VALUE_FIELDS,
    ANSWER_VALUE_ORDER,
    AnswerRow,
    answer_values,
    answer_values_by_response,
    answer_values_from,
)

__all__ = [
    "ANSWER_VALUE_FIELDS",
    "ANSWER_VALUE_ORDER",
    "EMPTY",
    "AnswerRow",
    "CleanAnswer",
    "ResponseDetails",
    "ResponseWriter",
    "StoredAnswers",
    "answer_rows",
    "answer_values",
    "answer_values_by_response",
    "answer_values_from",
    "answers_clean",
    "answers_stored",
    "random_id",
    "response_draft_check",
    "response_fingerprint",
    "response_reopen",
    "response_save_draft",
    "response_submit",
    "responses_supersede",
]
