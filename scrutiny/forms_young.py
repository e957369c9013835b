"""The forms of the young scrutineers' pages (scrutiny.views.young_scrutineers): an observation,
the plain-language summary, and the impact feedback, whose questions are `FEEDBACK`'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scrutiny.young_scrutineers import (
    CHANGED,
    DIFFERENTLY,
    FEEDBACK,
    LISTENED,
    WHAT_CHANGED,
    WHERE,
)


class ObservationForm(forms.Form):
    where = forms.ChoiceField(
        label=_("Where did you see or hear it?"),
        choices=[(key, _(words)) for key, words in WHERE.items()],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where you saw or heard it.")},
    )
    factors = forms.MultipleChoiceField(
        label=_("Which success factors is it about?"),
        help_text=_("Choose one or more."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one success factor."),
            "invalid_choice": _("Choose success factors from the list."),
        },
    )
    text = forms.CharField(
        label=_("What did you see or hear?"),
        help_text=_(
            "Say who said it by their role (a young person, a social worker), never their "
            "name. Your own name is not shown with it."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Write what you saw or heard.")},
    )

    def __init__(self, *args: Any, factors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["factors"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = factors


class PlainSummaryForm(forms.Form):
    text = forms.CharField(
        label=_("The findings in plain words"),
        help_text=_(
            "Short sentences and everyday words, for the young scrutineers. Leave a "
            "blank line between paragraphs."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20000,
        error_messages={"required": _("Write the summary: the findings in plain words.")},
    )


def _question(code: str) -> Any:
    return next(q for q in FEEDBACK.questions if q.code == code)


def _choices(code: str) -> list[tuple[str, Any]]:
    """The options, their labels in the active language (marked in scrutiny.library)."""
    return [(o.value, _(o.label)) for o in FEEDBACK.option_lists[_question(code).options]]


class FeedbackForm(forms.Form):
    """The four questions; `values()` gives the answers by question code, as the evidence
    functions take them."""

    listened = forms.ChoiceField(
        label=_(_question(LISTENED).text),
        choices=_choices(LISTENED),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how much the adults listened to you.")},
    )
    changed = forms.ChoiceField(
        label=_(_question(CHANGED).text),
        choices=_choices(CHANGED),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether anything changed because of you.")},
    )
    what_changed = forms.CharField(
        label=_(_question(WHAT_CHANGED).text),
        help_text=_("If something changed because of you, tell us what."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    differently = forms.CharField(
        label=_(_question(DIFFERENTLY).text),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def values(self) -> dict[str, str]:
        data = self.cleaned_data
        values = {LISTENED: data["listened"], CHANGED: data["changed"]}
        if data["changed"] == "yes" and data["what_changed"].strip():
            values[WHAT_CHANGED] = data["what_changed"].strip()
        if data["differently"].strip():
            values[DIFFERENTLY] = data["differently"].strip()
        return values
