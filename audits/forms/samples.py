"""The sample pages' forms: uploading the case list, choosing the audit tool, and the draw's
options, built from the uploaded list's columns and values (filters, the column to stratify by,
how many per group, the seed, the audit tool)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audits.models import Sample
from audits.sampling import PER_MAX, SEED_MAX, SEED_MIN
from scrutiny.models import Instrument
from scrutiny.workbooks.lists import CaseList

# The page reads the whole list to check it while the person waits: a case list is small (ten
# thousand rows of CSV is well under a megabyte), and bigger files belong to the command line.
PAGE_FILE_MAX_BYTES = 10 * 1024 * 1024
# Columns with more distinct values than this (case references, dates) are not offered as filters.
FILTER_MAX_VALUES = 12
SEED_SUGGESTED_BELOW = 1_000_000
BLANK_LABEL = gettext_lazy("(blank)")


class CaseListForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Case list"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) or a CSV file (.csv), one case file a row, with a "
            "case_ref column (the pseudonymised case reference, no names) and any other columns, "
            "such as area, team or repeat_plan."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        error_messages={"required": gettext_lazy("Choose a case list to upload.")},
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(
                _(
                    "The case list must be an Excel workbook (.xlsx) or a CSV file (.csv). In "
                    "Excel, use Save As and choose Excel Workbook or CSV UTF-8."
                )
            )
        if file.size > PAGE_FILE_MAX_BYTES:
            raise ValidationError(
                _(
                    "The file is %(size)s MB; this page takes case lists of up to %(most)s MB. "
                    "Remove the columns you do not need, or draw from the command line "
                    "(manage.py sample) or the API."
                )
                % {
                    "size": f"{file.size / (1024 * 1024):.1f}",
                    "most": PAGE_FILE_MAX_BYTES // (1024 * 1024),
                }
            )
        return file


def _tool_choices(tools: list[Instrument]) -> list[tuple[str, str]]:
    return [(tool.code, f"{tool.code} {tool.title}") for tool in tools]


class AuditToolForm(forms.Form):
    instrument = forms.ChoiceField(
        label=gettext_lazy("Which audit tool"),
        help_text=gettext_lazy("The case-file audit every agency completes for each case file."),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the audit tool.")},
    )

    def __init__(self, *args: Any, tools: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _tool_choices(tools)


class SampleOptionsForm(forms.Form):
    """The second step: built from the uploaded case list's columns and values."""

    file_sha256 = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        case_list: CaseList,
        tools: list[Instrument],
        current: Sample | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case_list = case_list
        self.filter_columns: dict[str, str] = {}
        self.fields["file_sha256"].initial = case_list.file_sha256
        for index, column in enumerate(case_list.other_columns):
            values = case_list.values(column)
            if 2 <= len(values) <= FILTER_MAX_VALUES:
                self.filter_columns[f"filter_{index}"] = column
                self.fields[f"filter_{index}"] = _filter_field(column, values)
        self.fields["by"] = _by_field(case_list, current)
        self.fields["per"] = _per_field(current)
        self.fields["seed"] = _seed_field()
        if tools:
            self.fields["instrument"] = _instrument_field(tools, current)

    def filters(self) -> dict[str, list[str]]:
        """{column: values kept} for the columns where a value was left out."""
        chosen: dict[str, list[str]] = {}
        for name, column in self.filter_columns.items():
            kept = self.cleaned_data.get(name) or []
            if len(kept) < len(self.case_list.values(column)):
                chosen[column] = list(kept)
        return chosen


def _filter_field(column: str, values: dict[str, int]) -> forms.Field:
    """The values of one column to keep, each with how many case files have it."""
    return forms.MultipleChoiceField(
        label=_("Keep case files whose %(column)s is") % {"column": column},
        help_text=_("Untick the values to leave out."),
        choices=[
            (
                value,
                ngettext(
                    "%(value)s (%(count)s case file)", "%(value)s (%(count)s case files)", count
                )
                % {"value": value or BLANK_LABEL, "count": count},
            )
            for value, count in values.items()
        ],
        initial=list(values),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _(
                "Tick at least one value of %(column)s: with none ticked, no case file would "
                "be kept."
            )
            % {"column": column}
        },
    )


def _by_field(case_list: CaseList, current: Sample | None) -> forms.Field:
    return forms.ChoiceField(
        label=_("Stratify by"),
        help_text=_(
            "The draw takes the same number of case files from each value of this "
            "column (for example 2 per area)."
        ),
        choices=[(c, _column_label(case_list, c)) for c in case_list.other_columns],
        initial=_initial_by(case_list, current),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the column to stratify by.")},
    )


def _per_field(current: Sample | None) -> forms.Field:
    return forms.IntegerField(
        label=_("How many case files from each group"),
        min_value=1,
        max_value=PER_MAX,
        initial=current.per if current is not None else None,
        help_text=_("A group with fewer case files gives all of them."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter how many case files to draw from each group, for example 2."),
            "invalid": _("Enter a whole number, for example 2."),
        },
    )


def _seed_field() -> forms.Field:
    return forms.IntegerField(
        label=_("Seed"),
        min_value=SEED_MIN,
        max_value=SEED_MAX,
        initial=secrets.randbelow(SEED_SUGGESTED_BELOW),
        help_text=_(
            "Any whole number; a fresh random one is filled in. The same case list, "
            "options and seed always draw the same sample, so the draw can be shown to be fair "
            "and repeated."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter a seed: keep the one filled in, or type any whole number."),
            "invalid": _("Enter the seed as a whole number, for example 4821."),
        },
    )


def _instrument_field(tools: list[Instrument], current: Sample | None) -> forms.Field:
    only = tools[0].code if len(tools) == 1 else None
    return forms.ChoiceField(
        label=_("Audit tool"),
        required=False,
        choices=[*_tool_choices(tools), ("", _("Choose it later"))],
        initial=(
            current.instrument.code
            if current is not None and current.instrument is not None
            else only or ""
        ),
        widget=forms.RadioSelect,
        help_text=_("The case-file audit every agency completes for each case file."),
    )


def _column_label(case_list: CaseList, column: str) -> str:
    n = len(case_list.values(column))
    return ngettext("%(column)s (%(n)s value)", "%(column)s (%(n)s values)", n) % {
        "column": column,
        "n": n,
    }


def _initial_by(case_list: CaseList, current: Sample | None) -> str | None:
    if current is not None and current.by in case_list.other_columns:
        return current.by
    return case_list.column("area") or (case_list.other_columns or (None,))[0]
