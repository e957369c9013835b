"""The form that starts an instrument's responses export (scrutiny.exports)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ResponsesExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=(
            ("xlsx", _("Excel workbook (.xlsx)")),
            ("csv", _("CSV (UTF-8), for any statistics tool")),
        ),
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    options = forms.ChoiceField(
        label=_("Answers to choice questions"),
        choices=(
            ("values", _("Option values (the codes in the instrument workbook)")),
            ("labels", _("Option labels (the words respondents read)")),
        ),
        initial="values",
        widget=forms.RadioSelect,
    )
