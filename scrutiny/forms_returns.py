"""Forms of the responses import page (WORKBOOKS.md §3 and §5): the file, ours or another
tool's export, and the map of the columns that match no question.

The map's form carries a signed token naming the kept upload (scrutiny.imports.uploads), the
instrument, the person and the columns, so that a posted map can only import that person's own
upload, within a day; the file itself stays in the private uploads folder, never in the session.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scrutiny.imports.uploads import KEPT_FOR
from scrutiny.instruments import CompiledVersion

IGNORE = "-"
_SALT = "scrutiny.forms_returns.map"


class ResponsesFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Responses file"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) or a CSV file: our layout, or the export of "
            "Microsoft Forms, SurveyMonkey or Google Forms as it is downloaded."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={"required": gettext_lazy("Choose a workbook or CSV file to upload.")},
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(
                _(
                    "The file must be an Excel workbook (.xlsx) or a CSV file (.csv). In Excel, "
                    "use Save As and choose Excel Workbook or CSV UTF-8."
                )
            )
        return file


def map_token(*, upload: str, instrument_id: int, user_id: int, columns: list[str]) -> str:
    return signing.dumps(
        {"upload": upload, "instrument": instrument_id, "user": user_id, "columns": columns},
        salt=_SALT,
    )


def map_token_read(token: str, *, instrument_id: int, user_id: int) -> dict[str, Any] | None:
    """What the token names, or None when it is not one this page gave this person for this
    instrument in the last day."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=KEPT_FOR)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    if data.get("instrument") != instrument_id or data.get("user") != user_id:
        return None
    return data


class ColumnMapForm(forms.Form):
    """A select for each column that matches no question: a question, or ignore it."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, columns: list[str], compiled: CompiledVersion, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("Choose a question")), (IGNORE, _("Ignore this column"))]
        for question in compiled.questions.values():
            text = question.text if len(question.text) <= 80 else question.text[:79] + "…"
            choices.append((question.code, f"{question.code}: {text}"))
        for index, column in enumerate(columns):
            wrong = _(
                "Choose the question the column “%(column)s” answers, or choose to ignore it."
            ) % {"column": column}
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=_("Column “%(column)s”") % {"column": column},
                choices=choices,
                error_messages={"required": wrong, "invalid_choice": wrong},
            )

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"column_{index}"]
            for index, column in enumerate(self.columns)
        }
