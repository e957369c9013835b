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
from django.forms import BoundField
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scrutiny.forms_welsh_labels import WELSH, options_in_welsh, welsh_labels
from scrutiny.instrument_builder.edits import parse_option_lines
from scrutiny.instruments import (
    CHOICE_TYPES,
    FactorRef,
    OptionDef,
    QuestionDef,
    Translations,
    parse_factors,
    parse_show_if,
)
from scrutiny.models import Question, Source
from scrutiny.models.people import code_validator


class BasedOnForm(forms.Form):
    """Names the version the person was looking at, so a change made meanwhile is not undone.

    When the instrument offers Welsh, `with_welsh` adds a Welsh field beside each English text
    (`text_cy` labelled "Question (Welsh)"), and the form renders them side by side (one below
    the other on a phone); without Welsh it is the form it always was."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False)
    welsh_fields: dict[str, str] = {}  # English field: its Welsh field, when offered

    def with_welsh(self, names: tuple[str, ...], initial: dict[str, str] | None = None) -> None:
        self.welsh_fields = {name: f"{name}_{WELSH}" for name in names}
        for name, welsh in self.welsh_fields.items():
            english = self.fields[name]
            widget = type(english.widget)(attrs={**english.widget.attrs, "lang": WELSH})
            self.fields[welsh] = forms.CharField(
                label=gettext("%(label)s (Welsh)") % {"label": english.label or name.capitalize()},
                required=english.required,
                max_length=getattr(english, "max_length", None),
                widget=widget,
            )
        if "option_lines" in self.welsh_fields:
            self.fields["option_lines_cy"].help_text = gettext(
                "One option a line as value | Welsh label, e.g. 4 | Rhagorol."
            )
        self.initial.update(initial or {})
        self.order_fields(
            [f for name in list(self.fields) for f in (name, self.welsh_fields.get(name)) if f]
        )

    @property
    def template_name(self) -> str:
        if self.welsh_fields:
            return "scrutiny/scrutinies/_form_side_by_side.html"
        return str(super().template_name)

    def rows(self) -> list[tuple[BoundField, BoundField | None]]:
        """Each visible English field with its Welsh one beside it (or None)."""
        welsh = set(self.welsh_fields.values())
        return [
            (
                field,
                self[self.welsh_fields[field.name]] if field.name in self.welsh_fields else None,
            )
            for field in self.visible_fields()
            if field.name not in welsh
        ]

    def welsh_texts(self, *names: str) -> Translations:
        """{"cy": {name: text}} of the Welsh fields shown ({} when none: the old ones are kept)."""
        if not self.welsh_fields:
            return {}
        data = self.cleaned_data
        return {WELSH: {name: data.get(f"{name}_{WELSH}", "").strip() for name in names}}


class MoveForm(BasedOnForm):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


def _option_list_names_hint(names: list[str]) -> str:
    if not names:
        return gettext(
            "This instrument has no option lists yet: name a new one and write its options."
        )
    return gettext("Lists of this instrument: %(names)s.") % {"names": ", ".join(names)}


class QuestionForm(BasedOnForm):
    section = forms.CharField(
        label=_("Section"),
        max_length=200,
        help_text=_(
            "The page the question is on. Questions with the same section are asked "
            "together; a new section starts a new page at the end."
        ),
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Unique within the instrument, e.g. Q7. Workbooks and show_if use it."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    type = forms.ChoiceField(
        label=_("Type of answer"), choices=Question.Type.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As the respondent reads it."),
    )
    options = forms.CharField(
        label=_("Option list"),
        max_length=80,
        required=False,
        help_text=_("For single and multiple choice only: the name of the list of answers."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    option_lines = forms.CharField(
        label=_("Options of the list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "To create the list, or to change it for every question that uses it: one "
            "option a line as value | label | points, e.g. 4 | Outstanding | 4. Leave points "
            "empty for an unscored answer such as N/A | Not applicable. Leave this box empty to "
            "use the list as it is."
        ),
    )
    required = forms.TypedChoiceField(
        label=_("Must respondents answer it?"),
        choices=[("yes", _("Yes")), ("no", _("No, it is optional"))],
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )
    factors = forms.CharField(
        label=_("Success factors"),
        max_length=300,
        required=False,
        help_text=_(
            "Codes with optional weights, e.g. SF1; SF2:2. Only single choice questions "
            "with points count for a success factor."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    help = forms.CharField(
        label=_("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown under the question."),
    )
    show_if = forms.CharField(
        label=_("Show only if"),
        max_length=300,
        required=False,
        help_text=_(
            "Leave empty to always ask it. Otherwise CODE = value, CODE != value or "
            "CODE in (value1, value2), e.g. Q3 = yes."
        ),
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
        options, factors = self.fields["options"], self.fields["factors"]
        options.help_text = (
            f"{options.help_text} {_option_list_names_hint(option_list_names or [])}"
        )
        if factor_codes:
            hint = gettext("This scrutiny's: %(codes)s.") % {"codes": ", ".join(factor_codes)}
        else:
            hint = gettext("This scrutiny has no success factors yet.")
        factors.help_text = f"{factors.help_text} {hint}"

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        try:
            code_validator(code)
        except ValidationError:
            raise ValidationError(
                gettext("Use letters, numbers, hyphens and underscores only, e.g. Q7.")
            ) from None
        return code

    def clean_factors(self) -> tuple[FactorRef, ...]:
        try:
            return parse_factors(self.cleaned_data["factors"])
        except ValueError as exc:
            raise ValidationError(
                gettext("Check the success factors: %(reason)s.") % {"reason": exc}
            ) from None

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
                self.add_error("options", gettext("Name the list of answers this question offers."))
        else:
            data["options"] = ""
            data["option_lines"] = None
        check_welsh_labels(self)
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
            translations=self.welsh_texts("section", "text", "help"),
        )

    def option_list(self) -> tuple[str, tuple[OptionDef, ...]] | None:
        """The list to create or change with the question, when its options were written."""
        data = self.cleaned_data
        if data.get("option_lines") is None:
            return None
        return data["options"].strip(), options_in_welsh(
            data["option_lines"], data.get(f"option_lines_{WELSH}") if self.welsh_fields else None
        )


class InstrumentNewForm(QuestionForm):
    """A new instrument and its first question."""

    instrument_code = forms.CharField(
        label=_("Instrument code"),
        max_length=40,
        help_text=_("Unique within the scrutiny, e.g. AUDIT or SURVEY."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Source of evidence"), choices=Source.choices, widget=forms.RadioSelect
    )

    field_order = ["instrument_code", "title", "kind"]

    def clean_instrument_code(self) -> str:
        return self.cleaned_data["instrument_code"].strip()


class InstrumentSettingsForm(BasedOnForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Source of evidence"),
        choices=Source.choices,
        widget=forms.RadioSelect,
        help_text=_("Cannot change once the instrument has responses."),
    )

    def with_languages(self, *, welsh_offered: bool, title_cy: str) -> None:
        """Choose whether it offers Welsh, and its Welsh title."""
        self.fields["offers_welsh"] = forms.TypedChoiceField(
            label=gettext("Is it offered in Welsh (Cymraeg)?"),
            choices=[
                ("yes", gettext("Yes, in English and Welsh")),
                ("no", gettext("No, in English only")),
            ],
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            help_text=gettext(
                "Respondents then choose the language. Every text needs its Welsh first: "
                "the title, each section, question, guidance and option."
            ),
        )
        self.with_welsh(
            ("title",),
            {"title_cy": title_cy, "offers_welsh": "yes" if welsh_offered else "no"},
        )
        self.fields["title_cy"].required = False

    def languages(self) -> tuple[str, ...] | None:
        if "offers_welsh" not in self.fields:
            return None
        return ("en", WELSH) if self.cleaned_data["offers_welsh"] else ("en",)


class OptionListForm(BasedOnForm):
    name = forms.CharField(
        label=_("Name of the list"),
        max_length=80,
        help_text=_("Questions name the list they offer, e.g. agreement or grade."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    option_lines = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "One option a line as value | label | points, e.g. 4 | Outstanding | 4. Leave "
            "points empty for an unscored answer such as N/A | Not applicable. A change applies "
            "to every question that uses the list."
        ),
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_option_lines(self) -> tuple[OptionDef, ...]:
        try:
            return parse_option_lines(self.cleaned_data["option_lines"])
        except ValueError as exc:
            raise ValidationError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None

    def options(self) -> tuple[OptionDef, ...]:
        """The options typed, with their Welsh labels when the Welsh box is shown."""
        text = self.cleaned_data.get(f"option_lines_{WELSH}") if self.welsh_fields else None
        return options_in_welsh(self.cleaned_data["option_lines"], text)

    def clean(self) -> dict[str, Any]:
        super().clean()
        check_welsh_labels(self)
        return self.cleaned_data


def check_welsh_labels(form: BasedOnForm) -> None:
    """The Welsh labels name values of the list typed in English."""
    options = form.cleaned_data.get("option_lines")
    text = form.cleaned_data.get(f"option_lines_{WELSH}")
    if not form.welsh_fields or not options or not text:
        return
    try:
        welsh_labels(text, options)
    except ValueError as exc:
        form.add_error(f"option_lines_{WELSH}", f"{str(exc)[0].upper()}{str(exc)[1:]}.")
