"""The workspace's forms (scrutiny.views.workspace): comparing with an earlier scrutiny, the
event's settings, a factor's finding and a note from a forum or the event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scrutiny.models import EvidenceNote, Scrutiny


class CompareForm(forms.Form):
    previous = forms.ModelChoiceField(
        queryset=Scrutiny.objects.none(),
        required=False,
        label=_("Compare with an earlier scrutiny"),
        empty_label=_("No comparison"),
        help_text=_("Factors are compared by their codes (SF1 with SF1)."),
    )

    def __init__(self, *args: Any, scrutiny: Scrutiny, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        previous = self.fields["previous"]
        assert isinstance(previous, forms.ModelChoiceField)
        previous.queryset = (
            Scrutiny.objects.filter(partnership_id=scrutiny.partnership_id)
            .exclude(pk=scrutiny.pk)
            .order_by("-created_at")
        )


class EventSettingsForm(forms.Form):
    event_date = forms.DateField(
        label=_("Date of the scrutiny event"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("On the pack's cover."),
        error_messages={"invalid": _("Enter a date, for example 2027-03-04.")},
    )
    divergence_margin = forms.FloatField(
        label=_("Divergence margin (points)"),
        min_value=0,
        max_value=100,
        help_text=_("A factor whose sources differ by more than this is flagged as divergent."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the divergence margin, a number of points from 0 to 100."),
            "invalid": _("Enter the divergence margin, a number of points from 0 to 100."),
            "min_value": _("Enter the divergence margin, a number of points from 0 to 100."),
            "max_value": _("Enter the divergence margin, a number of points from 0 to 100."),
        },
    )


class FindingForm(forms.Form):
    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line, each citing its evidence: a question code, a source, a quote."),
    )
    improvements = forms.CharField(
        label=_("Areas for improvement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line, each citing its evidence. Each becomes a draft action."),
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Where it comes from"),
        choices=EvidenceNote.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the note comes from.")},
    )
    text = forms.CharField(
        label=_("What was said"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Give people's roles, not their names."),
        error_messages={"required": _("Write the note.")},
    )


class CommentSearchForm(forms.Form):
    """Which of a factor's comments its page shows: a search, a question and a page, from the
    query string (or posted back with a tagged quote). A value that does not parse is left out
    and the page shows every comment's first page instead: bad input changes nothing."""

    q = forms.CharField(label=_("Search the comments"), required=False, max_length=200)
    question = forms.IntegerField(label=_("Question"), required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)

    def choice(self) -> dict[str, Any]:
        """The valid values given, none missing (`q` "", the others None)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q") or "",
            "question_id": data.get("question"),
            "page": data.get("page") or 1,
        }
