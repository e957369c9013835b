"""Raw answers checked against a compiled instrument version, before anything is stored.

`answers_clean` takes raw answers (question code to value, as the forms, the API and a workbook's
row give them) and returns the answers to store and the errors by question code: option values
in their list, numbers and dates readable, texts within ANSWER_TEXT_MAX_CHARS and storable,
required questions answered (on submit), and answers to questions whose show_if does not hold
dropped, not stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from scrutiny.instruments import CompiledQuestion, CompiledVersion
from scrutiny.models import Question

EMPTY: tuple[Any, ...] = (None, "", [], ())


@dataclass(frozen=True)
class CleanAnswer:
    question_id: int
    option_id: int | None = None
    text: str = ""
    number: Decimal | None = None
    date: dt.date | None = None
    score: float | None = None

    def key(self) -> tuple[Any, ...]:
        return (
            self.question_id,
            self.option_id,
            self.text,
            str(self.number or ""),
            str(self.date or ""),
        )


def _split_multiple(value: Any) -> list[str]:
    if isinstance(value, list | tuple | set):
        items = [str(v) for v in value]
    else:
        items = str(value).split(";")
    return [item.strip() for item in items if item.strip()]


def _clean_one(question: CompiledQuestion, value: Any) -> tuple[list[CleanAnswer], str | None]:
    qid = question.id
    if question.type == Question.Type.SINGLE:
        option = question.options.get(str(value).strip())
        if option is None:
            allowed = ", ".join(question.options)
            return [], f"{value!r} is not an option of {question.code}; use one of: {allowed}"
        return [CleanAnswer(qid, option_id=option.id, score=option.score)], None
    if question.type == Question.Type.MULTIPLE:
        chosen = _split_multiple(value)
        unknown = [v for v in chosen if v not in question.options]
        if unknown:
            allowed = ", ".join(question.options)
            return [], (
                f"{', '.join(repr(u) for u in unknown)} "
                f"{'is not an option' if len(unknown) == 1 else 'are not options'} of "
                f"{question.code}; use values from: {allowed}, separated by ;"
            )
        return [
            CleanAnswer(qid, option_id=question.options[v].id) for v in dict.fromkeys(chosen)
        ], None
    if question.type == Question.Type.NUMBER:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            return [], f"{value!r} is not a number"
        if not number.is_finite():
            return [], f"{value!r} is not a number"
        return [CleanAnswer(qid, number=number)], None
    if question.type == Question.Type.DATE:
        if isinstance(value, dt.datetime):
            return [CleanAnswer(qid, date=value.date())], None
        if isinstance(value, dt.date):
            return [CleanAnswer(qid, date=value)], None
        try:
            return [CleanAnswer(qid, date=dt.date.fromisoformat(str(value).strip()))], None
        except ValueError:
            return [], f"{value!r} is not a date; write it as YYYY-MM-DD"
    text = str(value).strip()
    limit = settings.ANSWER_TEXT_MAX_CHARS
    if len(text) > limit:
        return [], (
            f"the answer to {question.code} is {len(text):,} characters long: "
            f"shorten it to {limit:,} characters or fewer"
        )
    return [CleanAnswer(qid, text=text)], None


def _unstorable(value: Any) -> bool:
    """Whether a raw value holds what no database stores as text: a NUL character, or a lone
    surrogate (invalid Unicode, which a JSON body can carry as "\\ud800")."""
    if isinstance(value, list | tuple):
        return any(_unstorable(item) for item in value)
    if not isinstance(value, str):
        return False
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _printable(code: Any) -> str:
    """A question code as it can be shown back in a message, whatever it holds."""
    return str(code).encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def answers_clean(
    compiled: CompiledVersion, values: dict[str, Any], *, complete: bool
) -> tuple[list[CleanAnswer], dict[str, str]]:
    """Check raw answers; return the answers to store and the errors by question code.

    `complete` asks for every required question that is shown to be answered (submitting);
    a draft may leave them empty.
    """
    unstorable = {
        _printable(code): (
            f"the answer to {_printable(code)} holds a character that cannot be stored "
            "(a NUL character or invalid Unicode): remove it and send the answer again"
        )
        for code, value in values.items()
        if _unstorable(code) or _unstorable(value)
    }
    if unstorable:
        return [], unstorable
    errors: dict[str, str] = {}
    for code in values:
        if code not in compiled.questions:
            errors[code] = f"{code} is not a question of {compiled.instrument_code}"
    choice_answers: dict[str, Any] = {}
    for code, question in compiled.questions.items():
        value = values.get(code)
        if value not in EMPTY and question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
            choice_answers[code] = (
                _split_multiple(value)
                if question.type == Question.Type.MULTIPLE
                else str(value).strip()
            )
    cleaned: list[CleanAnswer] = []
    for code, question in compiled.questions.items():
        if not compiled.visible(code, choice_answers):
            continue  # the answer to a hidden question is not stored
        answers, error = _shown_clean(question, values.get(code), complete=complete)
        if error:
            errors[code] = error
        cleaned += answers
    return cleaned, errors


def _shown_clean(
    question: CompiledQuestion, value: Any, *, complete: bool
) -> tuple[list[CleanAnswer], str | None]:
    """The answer to a question that is shown: none (required when `complete`), or checked."""
    if isinstance(value, str):
        value = value.strip()
    if value in EMPTY:
        if complete and question.required:
            return [], f"{question.code} is required: answer “{question.text}”"
        return [], None
    return _clean_one(question, value)


def answer_clean_alone(
    compiled: CompiledVersion, code: str, value: Any
) -> list[CleanAnswer] | None:
    """One answer as `answers_clean(compiled, values, complete=True)` checks it where no
    question of the version has a condition (so that each answer is shown whatever the
    others): its clean answers, or None when answers_clean would give an error for it."""
    if _unstorable(code) or _unstorable(value) or code not in compiled.questions:
        return None
    answers, error = _shown_clean(compiled.questions[code], value, complete=True)
    return None if error else answers
