"""Forms of the scrutiny pages: setting up a scrutiny and uploading workbooks.

They parse and check what was typed; saving is done by the services they hand plain data to.
The instrument builder's forms are in `scrutiny.forms_instruments`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scrutiny.models import Partnership, Scrutiny, Source
from scrutiny.models.people import code_validator
from scrutiny.models.scrutinies import slug_validator
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, settings_errors

RESERVED_SLUGS = frozenset({"new", "import"})


def _weight_field(label: str) -> forms.FloatField:
    """How much one source counts in each factor's score beside the others (SCORING.md §7)."""
    return forms.FloatField(
        label=gettext("Weight of %(source)s") % {"source": f"{label[0].lower()}{label[1:]}"},
        required=False,
        help_text=_(
            "How much this source counts in each success factor's score beside the "
            "others. 1 unless you change it; 2 counts twice as much. Must be above 0."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _weight_name(kind: str) -> str:
    return f"weight_{kind}"


class ScrutinyForm(forms.Form):
    """A scrutiny's settings and success factors (what sheet `scrutiny` and `success_factors` of
    a scrutiny workbook hold)."""

    slug = forms.CharField(
        label=_("Short name for web addresses"),
        max_length=80,
        validators=[slug_validator],
        help_text=_(
            "Lower-case letters, numbers and hyphens, e.g. learning-from-practice-2025. "
            "It cannot be changed later."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example, Learning from Practice 2025.")
    )
    priority = forms.CharField(
        label=_("Priority"),
        max_length=300,
        required=False,
        help_text=_("The partnership priority this scrutiny tests."),
    )
    starts = forms.DateField(
        label=_("Start date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends = forms.DateField(
        label=_("End date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    strong_threshold = forms.FloatField(
        label=_("Strong evidence threshold"),
        initial=75,
        min_value=0,
        max_value=100,
        help_text=_("A success factor scoring at or above this has strong evidence."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    some_threshold = forms.FloatField(
        label=_("Some evidence threshold"),
        initial=50,
        min_value=0,
        max_value=100,
        help_text=_("At or above this, and below the strong threshold: some evidence."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    min_responses = forms.IntegerField(
        label=_("Fewest responses that count"),
        initial=5,
        min_value=0,
        help_text=_("With fewer counting responses than this, the evidence is insufficient."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    suppression_threshold = forms.IntegerField(
        label=_("Small-number suppression"),
        initial=5,
        min_value=1,
        help_text=_("Breakdowns with fewer responses than this are hidden outside your screen."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    status = forms.ChoiceField(
        choices=Scrutiny.Status.choices,
        initial=Scrutiny.Status.PLANNING,
        label=_("Status"),
        help_text=_("Where the scrutiny has got to, from planning to closed."),
    )
    redaction_terms = forms.CharField(
        label=_("Words to redact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One a line: names of people, places or schools that must never leave your "
            "screen in a comment. Emails, phone numbers, postcodes, NHS numbers and case "
            "references are removed anyway."
        ),
    )
    factors = forms.CharField(
        label=_("Success factors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line, as code | statement, e.g. SF1 | Practitioners know the key "
            "learning from local and national reviews. A factor left out is kept, not deleted."
        ),
    )

    def __init__(
        self,
        *args: Any,
        scrutiny: Scrutiny | None = None,
        partnership: Partnership | None = None,
        **kwargs: Any,
    ) -> None:
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
        # A new scrutiny's short name need only be new in its own partnership.
        self.partnership = partnership
        if scrutiny is not None:
            # The slug names the scrutiny; changing it would make another one.
            del self.fields["slug"]
        # One weight a source, the fifth (children and young people) among them; after the
        # thresholds, before the status.
        for kind, label in Source.choices:
            name = _weight_name(kind)
            self.fields[name] = _weight_field(str(label))
            self.initial.setdefault(name, scrutiny.source_weight(kind) if scrutiny else 1)
        weights = [name for name in self.fields if name.startswith("weight_")]
        others = [name for name in self.fields if name not in weights]
        at = others.index("status")
        self.order_fields([*others[:at], *weights, *others[at:]])

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                gettext("“%(slug)s” names a page of the site: choose another.") % {"slug": slug}
            )
        ours = Scrutiny.objects.filter(partnership=self.partnership)
        if self.partnership is not None and ours.filter(slug=slug).exists():
            raise ValidationError(gettext("There is already a scrutiny with this short name."))
        return slug

    def clean_factors(self) -> tuple[tuple[str, str], ...]:
        factors: list[tuple[str, str]] = []
        for number, line in enumerate(self.cleaned_data["factors"].splitlines(), start=1):
            if not line.strip():
                continue
            code, bar, statement = line.partition("|")
            code, statement = code.strip(), statement.strip()
            if not bar or not code or not statement:
                raise ValidationError(
                    gettext("Line %(number)s: write the code, a |, then the statement.")
                    % {"number": number}
                )
            try:
                code_validator(code)
            except ValidationError:
                raise ValidationError(
                    gettext(
                        "Line %(number)s: code %(code)s may use letters, numbers, - and _ only."
                    )
                    % {"number": number, "code": repr(code)}
                ) from None
            if any(code == seen for seen, _ in factors):
                raise ValidationError(
                    gettext("Line %(number)s: %(code)s is already listed.")
                    % {"number": number, "code": code}
                )
            factors.append((code, statement))
        return tuple(factors)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        errors = settings_errors(
            strong_threshold=data.get("strong_threshold"),
            some_threshold=data.get("some_threshold"),
            starts=data.get("starts"),
            ends=data.get("ends"),
        )
        for name, message in errors.items():
            self.add_error(name, message)
        for kind in Source.values:
            weight = data.get(_weight_name(kind))
            if weight is not None and not weight > 0:
                self.add_error(
                    _weight_name(kind), gettext("Enter a weight above 0, such as 1 or 2.")
                )
        return data

    def source_weights(self) -> dict[str, float]:
        """The weights to keep: a weight left as it was (or left empty) keeps what the scrutiny
        has, so that saving unchanged settings changes nothing; a new scrutiny keeps only the
        weights other than 1 (missing means 1)."""
        weights = dict(self.scrutiny.source_weights) if self.scrutiny else {}
        for kind in Source.values:
            weight = self.cleaned_data.get(_weight_name(kind))
            current = self.scrutiny.source_weight(kind) if self.scrutiny else 1.0
            if weight is not None and weight != current:
                weights[kind] = float(weight)
        return weights

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
            source_weights=self.source_weights(),
        )


class WorkbookForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("An Excel workbook (.xlsx)."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={"required": _("Choose a workbook to upload.")},
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(
                gettext(
                    "The file must be an Excel workbook (.xlsx). In Excel, use Save As and choose "
                    "Excel Workbook."
                )
            )
        return file
