"""The template library's forms (scrutiny.views.library): adding a shipped template to a
scrutiny, and copying an instrument into another scrutiny."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from scrutiny.library import TEMPLATES
from scrutiny.models import Scrutiny


class TemplateAddForm(forms.Form):
    template = forms.ChoiceField(choices=[(t.slug, t.definition.title) for t in TEMPLATES])
    with_factors = forms.TypedChoiceField(
        label=_("Link its questions to success factors SF1 to SF6?"),
        choices=[
            ("yes", _("Yes, this scrutiny has those factors")),
            ("no", _("No, I will link them")),
        ],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )


class InstrumentCopyForm(forms.Form):
    to_scrutiny = forms.ModelChoiceField(
        label=_("Copy into"),
        queryset=Scrutiny.objects.none(),
        empty_label=None,
        help_text=_("Questions keep their links to success factors with the same codes there."),
    )
    code = forms.CharField(
        label=_("Code in that scrutiny"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to keep the same code."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, scrutinies: QuerySet[Scrutiny], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_scrutiny = self.fields["to_scrutiny"]
        assert isinstance(to_scrutiny, forms.ModelChoiceField)
        to_scrutiny.queryset = scrutinies
