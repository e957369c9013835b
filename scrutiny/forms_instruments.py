"""Forms of the instrument builder: a question, a new instrument, its settings, an option list.

They parse and check what was typed; saving is done by the builder's services they hand plain
data to (`scrutiny.instrument_builder`). Option lists are written one option a line as
`value | label | points`, a format that needs no JavaScript and reads well with a screen reader.
Each form names the version the person was looking at (`based_on`), so that a change made
meanwhile is not undone.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from scrutiny.instrument_builder.edits import parse_option_lines
from scrutiny.instruments import (
    CHOICE_TYPES,
    FactorRef,
    OptionDef,
    QuestionDef,
    parse_factors,
    parse_show_if,
)
from scrutiny.models import Question, Source
from scrutiny.models.people import code_validator


class BasedOnForm(forms.Form):
    """Names the version the person was looking at, so a change made meanwhile is not undone."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False)


class MoveForm(BasedOnForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


def _option_list_names_hint(names: list[str]) -> str:
    if not names:
        return "This instrument has no option lists yet: name a new one and write its options."
    return "Lists of this instrument: " + ", ".join(names) + "."


class QuestionForm(BasedOnForm):
    section = forms.CharField(
        max_length=200,
        help_text="The page the question is on. Questions with the same section are asked "
        "together; a new section starts a new page at the end.",
    )
    code = forms.CharField(
        max_length=40,
        help_text="Unique within the instrument, e.g. Q7. Workbooks and show_if use it.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    type = forms.ChoiceField(
        label="Type of answer", choices=Question.Type.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As the respondent reads it.",
    )
    options = forms.CharField(
        label="Option list",
        max_length=80,
        required=False,
        help_text="For single and multiple choice only: the name of the list of answers.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    option_lines = forms.CharField(
        label="Options of the list",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="To create the list, or to change it for every question that uses it: one "
        "option a line as value | label | points, e.g. 4 | Outstanding | 4. Leave points empty "
        "for an unscored answer such as N/A | Not applicable. Leave this box empty to use the "
        "list as it is.",
    )
    required = forms.TypedChoiceField(
        label="Must respondents answer it?",
        choices=[("yes", "Yes"), ("no", "No, it is optional")],
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )
    factors = forms.CharField(
        label="Success factors",
        max_length=300,
        required=False,
        help_text="Codes with optional weights, e.g. SF1; SF2:2. Only single choice questions "
        "with points count for a success factor.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    help = forms.CharField(
        label="Guidance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown under the question.",
    )
    show_if = forms.CharField(
        label="Show only if",
        max_length=300,
        required=False,
        help_text="Leave empty to always ask it. Otherwise CODE = value, CODE != value or "
        "CODE in (value1, value2), e.g. Q3 = yes.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )

    def __init__(
        self,
        *args: Any,
        option_list_names: list[str] | None = None,
        factor_codes: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["options"].help_text += " " + _option_list_names_hint(option_list_names or [])
        if factor_codes:
            self.fields["factors"].help_text += " This scrutiny's: " + ", ".join(factor_codes) + "."
        else:
            self.fields["factors"].help_text += " This scrutiny has no success factors yet."

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        try:
            code_validator(code)
        except ValidationError:
            raise ValidationError(
                "Use letters, numbers, hyphens and underscores only, e.g. Q7."
            ) from None
        return code

    def clean_factors(self) -> tuple[FactorRef, ...]:
        try:
            return parse_factors(self.cleaned_data["factors"])
        except ValueError as exc:
            raise ValidationError(f"Check the success factors: {exc}.") from None

    def clean_show_if(self) -> str:
        show_if = self.cleaned_data["show_if"].strip()
        try:
            parse_show_if(show_if)
        except ValueError as exc:
            raise ValidationError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None
        return show_if

    def clean_option_lines(self) -> tuple[OptionDef, ...] | None:
        text = self.cleaned_data["option_lines"]
        if not text.strip():
            return None
        try:
            return parse_option_lines(text)
        except ValueError as exc:
            raise ValidationError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("type") in CHOICE_TYPES:
            if not data.get("options"):
                self.add_error("options", "Name the list of answers this question offers.")
        else:
            data["options"] = ""
            data["option_lines"] = None
        return data

    def question(self) -> QuestionDef:
        data = self.cleaned_data
        return QuestionDef(
            section=data["section"].strip(),
            code=data["code"],
            type=data["type"],
            text=data["text"].strip(),
            options=data["options"].strip(),
            required=data["required"],
            factors=data["factors"],
            help=data["help"].strip(),
            show_if=data["show_if"],
        )

    def option_list(self) -> tuple[str, tuple[OptionDef, ...]] | None:
        """The list to create or change with the question, when its options were written."""
        data = self.cleaned_data
        if data.get("option_lines") is None:
            return None
        return data["options"].strip(), data["option_lines"]


class InstrumentNewForm(QuestionForm):
    """A new instrument and its first question."""

    instrument_code = forms.CharField(
        label="Instrument code",
        max_length=40,
        help_text="Unique within the scrutiny, e.g. AUDIT or SURVEY.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    title = forms.CharField(label="Title", max_length=200)
    kind = forms.ChoiceField(
        label="Source of evidence", choices=Source.choices, widget=forms.RadioSelect
    )

    field_order = ["instrument_code", "title", "kind"]

    def clean_instrument_code(self) -> str:
        return self.cleaned_data["instrument_code"].strip()


class InstrumentSettingsForm(BasedOnForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        label="Source of evidence",
        choices=Source.choices,
        widget=forms.RadioSelect,
        help_text="Cannot change once the instrument has responses.",
    )


class OptionListForm(BasedOnForm):
    name = forms.CharField(
        label="Name of the list",
        max_length=80,
        help_text="Questions name the list they offer, e.g. agreement or grade.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    option_lines = forms.CharField(
        label="Options",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="One option a line as value | label | points, e.g. 4 | Outstanding | 4. Leave "
        "points empty for an unscored answer such as N/A | Not applicable. A change applies to "
        "every question that uses the list.",
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_option_lines(self) -> tuple[OptionDef, ...]:
        try:
            return parse_option_lines(self.cleaned_data["option_lines"])
        except ValueError as exc:
            raise ValidationError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None
