"""How the children's pages draw a question of the instrument engine's form (one question a
page: surveys/views/young.py): the question's field, and for a choice question each answer with
the symbol drawn beside its words.

A scale (a question whose answers carry points) shows faces from the saddest, for the answer
with the fewest points, to the happiest, for the most; an answer without points ("I don't
know") shows a question mark. Other choices (an age band, say) show no symbol. A symbol is an
image with empty alternative text inside the answer's label: the words are the answer's name,
always shown and always read out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from scrutiny.instruments import CHOICE_TYPES, CompiledQuestion, CompiledVersion

FACES = 5


@dataclass(frozen=True)
class YoungOption:
    widget: Any  # the radio or check box (django.forms.boundfield.BoundWidget)
    symbol: str  # the image's name under static/img/young/, or "" for none


@dataclass(frozen=True)
class YoungQuestion:
    field: forms.BoundField
    is_choice: bool
    options: tuple[YoungOption, ...]


def option_symbols(question: CompiledQuestion) -> dict[str, str]:
    """Each answer's symbol, by its value: faces for a scale, none for other choices."""
    points = [o.points for o in question.options.values() if o.points is not None]
    if len(set(points)) < 2:
        return dict.fromkeys(question.options, "")
    lo, hi = min(points), max(points)
    symbols = {}
    for value, option in question.options.items():
        if option.points is None:
            symbols[value] = "unsure"
        else:
            step = round((option.points - lo) / (hi - lo) * (FACES - 1))
            symbols[value] = f"face-{step + 1}"
    return symbols


def young_question(form: forms.Form, compiled: CompiledVersion) -> YoungQuestion | None:
    """The page's question (a page asks one), or None if the page asks nothing."""
    for name in form.fields:
        field = form[name]
        question = compiled.questions[name]
        if question.type not in CHOICE_TYPES:
            return YoungQuestion(field=field, is_choice=False, options=())
        symbols = option_symbols(question)
        options = tuple(
            YoungOption(widget=widget, symbol=symbols.get(str(widget.data["value"]), ""))
            for widget in field.subwidgets
        )
        return YoungQuestion(field=field, is_choice=True, options=options)
    return None
