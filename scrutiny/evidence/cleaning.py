"""Raw answers checked against a compiled instrument version, before anything is stored.

`answers_clean` takes raw answers (question code to value, as the forms, the API and a workbook's
row give them) and returns the answers to store and the errors by question code: each value of
a kind its question can take (no JSON object where text is asked for), option values in their
list, numbers and dates readable, numbers within what Answer.number holds (`number_limits`), texts
within ANSWER_TEXT_MAX_CHARS and storable, required questions answered (on submit), and answers
to questions whose show_if does not hold dropped, not stored.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import DecimalField

from scrutiny.instruments import CompiledQuestion, CompiledVersion
from scrutiny.models import Answer, Question

EMPTY: tuple[Any, ...] = (None, "", [], ())

# What each type of question takes, as its message says it. A value of another kind (a JSON
# object or list where one value is asked for, true or false) is refused: written as text it
# would be stored as Python's picture of it ("{'a': 1}").
_SCALARS = (str, int, float, Decimal)
_TAKES: dict[str, str] = {
    Question.Type.SINGLE: "one of its option values",
    Question.Type.MULTIPLE: "a list of its option values (or one text, separated by ;)",
    Question.Type.NUMBER: "a number",
    Question.Type.DATE: "a date, written as YYYY-MM-DD",
    Question.Type.TEXT: "text",
}


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


@cache
def number_limits() -> tuple[Decimal, int]:
    """The largest number a number answer may be, either side of 0, and its most decimal
    places: what the column Answer.number holds (12 digits before the point, 6 after), less
    what SQLite cannot read back. SQLite keeps the number as a float, which Django reads with 15
    significant digits: 999,999,999,999.9999 would come back as 1,000,000,000,000, too large
    for the column (every read of the answers fails), so at the top 3 decimals are all there
    is room for."""
    field = Answer._meta.get_field("number")
    assert isinstance(field, DecimalField)  # the model's own column
    whole = field.max_digits - field.decimal_places
    most = Decimal(10) ** whole - Decimal(10) ** -(sys.float_info.dig - whole)
    return most, field.decimal_places


def _number_clean(value: Any) -> tuple[Decimal | None, str | None]:
    """A number answer as the column stores it, or what is wrong with it.

    More decimal places than the column holds are refused, not rounded, as the web form's
    NumberField (Django's DecimalValidator) refuses them: the API and the workbooks say what is
    wrong rather than store another number. Zeros at the end do not count here (1.5000000 is 1.5).
    `copy_abs` and `quantize` are exact here: abs() would overflow on 1e1000000.
    """
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None, f"{value!r} is not a number"
    if not number.is_finite():
        return None, f"{value!r} is not a number"
    most, places = number_limits()
    if number.copy_abs() > most:
        return None, f"{value!r} is too large: give a number from {-most:,} to {most:,}"
    if number.quantize(Decimal(10) ** -places) != number:
        return None, (
            f"{value!r} has more than {places} decimal places: round it to {places} or fewer"
        )
    return number, None


def _kind(value: Any) -> str:
    """A value's kind as a message names it: an object, a list, true or false."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple | set):
        return "a list"
    return "true or false" if isinstance(value, bool) else type(value).__name__


def _kind_refused(question: CompiledQuestion, value: Any) -> str | None:
    """What is wrong when a value is of a kind its question cannot take, else None."""
    if question.type == Question.Type.DATE and isinstance(value, dt.date):
        return None
    many = question.type == Question.Type.MULTIPLE and isinstance(value, list | tuple | set)
    for item in value if many else (value,):
        if isinstance(item, bool) or not isinstance(item, _SCALARS):
            takes = _TAKES.get(question.type, "text")
            return f"{question.code} takes {takes}, not {_kind(item)}"
    return None


def _clean_one(question: CompiledQuestion, value: Any) -> tuple[list[CleanAnswer], str | None]:
    qid = question.id
    refused = _kind_refused(question, value)
    if refused:
        return [], refused
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
        number, error = _number_clean(value)
        return ([], error) if number is None else ([CleanAnswer(qid, number=number)], None)
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
