"""The audit trail page's filter: by person, object, action and date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from scrutiny.trail.selectors import TrailFilters

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
        error_messages={"invalid": _("Enter a real date, for example 2026-03-31.")},
    )


class TrailFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=254,
        help_text=_("All or part of their email address."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    object_type = forms.ChoiceField(
        label=_("Kind of object"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of object from the list.")},
    )
    object = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=300,
        help_text=_("Its number, or all or part of its name, such as a scrutiny's short name."),
    )
    action = forms.ChoiceField(
        label=pgettext_lazy("audit trail", "Action"),
        required=False,
        error_messages={"invalid_choice": _("Choose an action from the list.")},
    )
    date_from = _date_field(_("From"), _("The first day to show, for example 2026-03-01."))
    date_to = _date_field(_("To"), _("The last day to show, for example 2026-03-31."))

    def __init__(
        self,
        *args: Any,
        object_types: list[tuple[str, StrOrPromise]],
        actions: list[tuple[str, StrOrPromise]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["object_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", _("Any kind")), *object_types]
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [("", _("Any action")), *actions]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from: dt.date | None = cleaned.get("date_from")
        date_to: dt.date | None = cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The last day must be the same as or after the first day."))
        return cleaned

    def filters(self) -> TrailFilters:
        data = self.cleaned_data
        return TrailFilters(
            person=data["person"].strip(),
            object_type=data["object_type"],
            object=data["object"].strip(),
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
