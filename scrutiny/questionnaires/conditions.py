"""show_if on pages: which questions a page asks, given the answers on the other pages.

A question whose condition is on ANOTHER page is decided before its page is drawn, from the
answers given there: when the condition does not hold the question is simply left out. A question
whose condition is on the SAME page is drawn with a hint saying when to answer it ("Answer this if
you chose “Yes” for “…”"), is never required unless its condition holds in what was sent, and its
answer is dropped when the condition does not hold (`scrutiny.questionnaires.forms`). We chose
the hint over progressive disclosure: it works without JavaScript, nothing appears or moves while
a screen-reader or magnifier user is on the page, no focus has to be managed, and a respondent
sees at once that the follow-up exists (WCAG 2.2 3.3.2 labels or instructions). A page whose
questions are all left out is skipped (`section_shown`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from scrutiny.instruments import CHOICE_TYPES, CompiledQuestion, CompiledVersion, Condition
from scrutiny.models import Question

SHOWN = "shown"
HIDDEN = "hidden"
CONDITIONAL = "conditional"  # shown with a hint; decided by an answer on the same page


def condition_answer(question: CompiledQuestion | None, value: Any) -> str | list[str] | None:
    """An answer as Condition.holds reads it: a string, or a list of strings for multiple."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    if question is not None and question.type == Question.Type.MULTIPLE:
        return [v.strip() for v in str(value).split(";") if v.strip()]
    return str(value).strip()


def question_visibility(
    compiled: CompiledVersion,
    code: str,
    *,
    page_codes: Iterable[str],
    answers: Mapping[str, Any],
) -> str:
    """SHOWN, HIDDEN or CONDITIONAL for question `code` on the page holding `page_codes`.

    Conditions on other pages are decided from `answers` (a chain of conditions is followed:
    a question that depends on a hidden question is hidden too); a condition on a question of
    the same page makes the question CONDITIONAL, to be decided from what the page sends.
    """
    on_page = set(page_codes)
    conditional = False
    seen: set[str] = set()
    current = code
    while True:
        condition = compiled.questions[current].show_if
        if condition is None:
            return CONDITIONAL if conditional else SHOWN
        target = compiled.questions.get(condition.code)
        if target is None or condition.code in seen:
            return HIDDEN
        if condition.code in on_page:
            conditional = True
        elif not condition.holds(condition_answer(target, answers.get(condition.code))):
            return HIDDEN
        seen.add(condition.code)
        current = condition.code


def section_shown(
    compiled: CompiledVersion, section_index: int, answers: Mapping[str, Any]
) -> bool:
    """Does page `section_index` ask anything, given the answers on the other pages?"""
    codes = compiled.sections[section_index].codes
    return any(
        question_visibility(compiled, code, page_codes=codes, answers=answers) != HIDDEN
        for code in codes
    )


def _quoted_values(target: CompiledQuestion, condition: Condition) -> str:
    labels = [
        f"“{target.options[v].label if v in target.options else v}”" for v in condition.values
    ]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def condition_hint(compiled: CompiledVersion, condition: Condition) -> str:
    """The words that tell a respondent when to answer a follow-up question."""
    target = compiled.questions[condition.code]
    question = f"“{Truncator(target.text).chars(90)}”"
    values = _quoted_values(target, condition)
    words = {"values": values, "question": question}
    if target.type in CHOICE_TYPES:
        if condition.op == "!=":
            return _("Answer this if you did not choose %(values)s for %(question)s.") % words
        return _("Answer this if you chose %(values)s for %(question)s.") % words
    if condition.op == "!=":
        return _("Answer this if your answer to %(question)s was not %(values)s.") % words
    return _("Answer this if your answer to %(question)s was %(values)s.") % words
