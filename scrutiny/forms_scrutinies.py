"""Forms of the scrutiny pages: setting up a scrutiny, uploading workbooks, building instruments.

They parse and check what was typed; saving is done by the services they hand plain data to.
Option lists are written one option a line as `value | label | points`, a format that needs no
JavaScript and reads well with a screen reader.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from scrutiny.instrument_builder import parse_option_lines
from scrutiny.instruments import (
    CHOICE_TYPES,
    FactorRef,
    OptionDef,
    QuestionDef,
    parse_factors,
    parse_show_if,
)
from scrutiny.models import Question, Scrutiny, Source
from scrutiny.models.people import code_validator
from scrutiny.models.scrutinies import slug_validator
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, settings_errors

RESERVED_SLUGS = frozenset({"new", "import"})


class ScrutinyForm(forms.Form):
    """A scrutiny's settings and success factors (what sheet `scrutiny` and `success_factors` of
    a scrutiny workbook hold)."""

    slug = forms.CharField(
        label="Short name for web addresses",
        max_length=80,
        validators=[slug_validator],
        help_text="Lower-case letters, numbers and hyphens, e.g. learning-from-practice-2025. "
        "It cannot be changed later.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    title = forms.CharField(max_length=200, help_text="For example, Learning from Practice 2025.")
    priority = forms.CharField(
        max_length=300, required=False, help_text="The partnership priority this scrutiny tests."
    )
    starts = forms.DateField(
        label="Start date",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends = forms.DateField(
        label="End date",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    strong_threshold = forms.FloatField(
        label="Strong evidence threshold",
        initial=75,
        min_value=0,
        max_value=100,
        help_text="A success factor scoring at or above this has strong evidence.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    some_threshold = forms.FloatField(
        label="Some evidence threshold",
        initial=50,
        min_value=0,
        max_value=100,
        help_text="At or above this, and below the strong threshold: some evidence.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    min_responses = forms.IntegerField(
        label="Fewest responses that count",
        initial=5,
        min_value=0,
        help_text="With fewer counting responses than this, the evidence is insufficient.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    suppression_threshold = forms.IntegerField(
        label="Small-number suppression",
        initial=5,
        min_value=1,
        help_text="Breakdowns with fewer responses than this are hidden outside your screen.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    status = forms.ChoiceField(
        choices=Scrutiny.Status.choices,
        initial=Scrutiny.Status.PLANNING,
        help_text="Where the scrutiny has got to, from planning to closed.",
    )
    redaction_terms = forms.CharField(
        label="Words to redact",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One a line: names of people, places or schools that must never leave your "
        "screen in a comment. Emails, phone numbers, postcodes, NHS numbers and case references "
        "are removed anyway.",
    )
    factors = forms.CharField(
        label="Success factors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One a line, as code | statement, e.g. SF1 | Practitioners know the key "
        "learning from local and national reviews. A factor left out is kept, not deleted.",
    )

    def __init__(self, *args: Any, scrutiny: Scrutiny | None = None, **kwargs: Any) -> None:
        if scrutiny is not None:
            kwargs.setdefault(
                "initial",
                {
                    "slug": scrutiny.slug,
                    "title": scrutiny.title,
                    "priority": scrutiny.priority,
                    "starts": scrutiny.starts,
                    "ends": scrutiny.ends,
                    "strong_threshold": scrutiny.strong_threshold,
                    "some_threshold": scrutiny.some_threshold,
                    "min_responses": scrutiny.min_responses,
                    "suppression_threshold": scrutiny.suppression_threshold,
                    "status": scrutiny.status,
                    "redaction_terms": scrutiny.redaction_terms,
                    "factors": "\n".join(
                        f"{f.code} | {f.statement}" for f in scrutiny.factors.all()
                    ),
                },
            )
        super().__init__(*args, **kwargs)
        self.scrutiny = scrutiny
        if scrutiny is not None:
            # The slug names the scrutiny; changing it would make another one.
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(f"“{slug}” names a page of the site: choose another.")
        if Scrutiny.objects.filter(slug=slug).exists():
            raise ValidationError("There is already a scrutiny with this short name.")
        return slug

    def clean_factors(self) -> tuple[tuple[str, str], ...]:
        factors: list[tuple[str, str]] = []
        for number, line in enumerate(self.cleaned_data["factors"].splitlines(), start=1):
            if not line.strip():
                continue
            code, bar, statement = line.partition("|")
            code, statement = code.strip(), statement.strip()
            if not bar or not code or not statement:
                raise ValidationError(f"Line {number}: write the code, a |, then the statement.")
            try:
                code_validator(code)
            except ValidationError:
                raise ValidationError(
                    f"Line {number}: code {code!r} may use letters, numbers, - and _ only."
                ) from None
            if any(code == seen for seen, _ in factors):
                raise ValidationError(f"Line {number}: {code} is already listed.")
            factors.append((code, statement))
        return tuple(factors)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = settings_errors(
            strong_threshold=data.get("strong_threshold"),
            some_threshold=data.get("some_threshold"),
            starts=data.get("starts"),
            ends=data.get("ends"),
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def scrutiny_data(self) -> ScrutinyData:
        data = self.cleaned_data
        slug = self.scrutiny.slug if self.scrutiny is not None else data["slug"]
        return ScrutinyData(
            settings=ScrutinySettings(
                slug=slug,
                title=data["title"],
                priority=data["priority"],
                starts=data["starts"],
                ends=data["ends"],
                strong_threshold=data["strong_threshold"],
                some_threshold=data["some_threshold"],
                min_responses=data["min_responses"],
                suppression_threshold=data["suppression_threshold"],
                status=data["status"],
                redaction_terms="\n".join(
                    line.strip() for line in data["redaction_terms"].splitlines() if line.strip()
                ),
            ),
            factors=data["factors"],
            source_weights=dict(self.scrutiny.source_weights) if self.scrutiny else {},
        )


class WorkbookForm(forms.Form):
    file = forms.FileField(
        label="Workbook",
        help_text="An Excel workbook (.xlsx).",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={"required": "Choose a workbook to upload."},
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(
                "The file must be an Excel workbook (.xlsx). In Excel, use Save As and choose "
                "Excel Workbook."
            )
        return file


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
        data = super().clean()
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
