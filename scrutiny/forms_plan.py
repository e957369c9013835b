"""Forms of the action plan's pages: a priority, an outcome, an action, and an action's update
with its evidence. They check what a form can (a date is a date); the rules of the plan (Blue
needs evidence, a scrutiny must be later) are scrutiny.plan's, so that pages and the API give
the same answers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from scrutiny import permissions
from scrutiny.models import Action, ActionUpdate, Agency, Brag, Outcome, Partnership, Scrutiny
from scrutiny.plan.brag import BRAG_WORDS
from scrutiny.plan.services import ActionData
from scrutiny.plan.updates import DOCUMENT_TYPES, Evidence


class PriorityForm(forms.Form):
    title = forms.CharField(
        label=_("Priority"),
        max_length=300,
        help_text=_("As the partnership's business plan names it, for example “Neglect”."),
        error_messages={"required": _("Write the priority, for example “Neglect”.")},
    )


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label=_("Outcome"),
        max_length=500,
        help_text=_("What will be different for children and families."),
        error_messages={"required": _("Write the outcome: what will be different for children.")},
    )


class OutcomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.priority.title}: {obj.text}"


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Action"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What will be done."),
        error_messages={"required": _("Write the action: what will be done.")},
    )
    outcome = OutcomeChoiceField(
        queryset=Outcome.objects.none(),
        required=False,
        label=_("The outcome it serves"),
        empty_label=_("Not yet under a priority"),
        help_text=_("Its priority in the business plan, and the outcome there."),
    )
    responsible = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label=_("Agency responsible"),
        empty_label=_("No one agency"),
        help_text=_("The agency's lead can see and update it."),
    )
    responsible_group = forms.CharField(
        label=_("Group responsible"),
        max_length=200,
        required=False,
        help_text=_("A group of the partnership, where one leads: “Quality Assurance Group”."),
    )
    lead_name = forms.CharField(label=_("Named lead"), max_length=200, required=False)
    lead_email = forms.EmailField(
        label=_("Named lead's email address"),
        max_length=254,
        required=False,
        help_text=_("Where reminders go when the action is overdue or has had no update."),
        error_messages={"invalid": _("Enter an email address, like name@example.org.")},
    )
    timescale = forms.DateField(
        label=_("Timescale"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When it will be done by."),
        error_messages={"invalid": _("Enter a date, for example 2027-03-31.")},
    )
    measures = forms.CharField(
        label=_("Measures of impact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the difference it makes to children will be known."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds copies of the fields declared above, so their classes are known.
        outcome = cast("OutcomeChoiceField", self.fields["outcome"])
        outcome.queryset = (
            Outcome.objects.filter(priority__partnership=partnership)
            .select_related("priority")
            .order_by("priority__position", "priority__pk", "position", "pk")
        )
        responsible = cast("forms.ModelChoiceField[Agency]", self.fields["responsible"])
        responsible.queryset = Agency.objects.filter(partnership=partnership)

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        return {
            "text": action.text,
            "outcome": action.outcome_id,
            "responsible": action.responsible_id,
            "responsible_group": action.responsible_group,
            "lead_name": action.lead_name,
            "lead_email": action.lead_email,
            "timescale": action.timescale,
            "measures": action.measures,
        }

    def data_for_save(self) -> ActionData:
        return ActionData(**self.cleaned_data)


def _evidence_kinds(*, scrutiny: bool) -> list[tuple[str, Any]]:
    """The kinds of evidence an update offers; a later scrutiny's only where `scrutiny`."""
    kinds = [
        (value, label)
        for value, label in ActionUpdate.Evidence.choices[1:]
        if scrutiny or value != ActionUpdate.Evidence.SCRUTINY
    ]
    return [("", _("None with this update")), *kinds]


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the action's status.")},
    )
    note = forms.CharField(
        label=_("Update"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has happened since the last update. Kept in the action's history."),
        error_messages={"required": _("Write an update: what has happened since the last one.")},
    )
    evidence_kind = forms.ChoiceField(
        label=_("Evidence of impact"),
        widget=forms.RadioSelect,
        required=False,
        choices=_evidence_kinds(scrutiny=True),
        help_text=_("Blue needs it: what shows the difference made, not only that work was done."),
    )
    evidence_scrutiny = forms.ModelChoiceField(
        queryset=Scrutiny.objects.none(),
        required=False,
        label=_("The later scrutiny"),
        empty_label=_("Choose a scrutiny"),
        help_text=_("For a later scrutiny's factor moving: the platform works out the movement."),
    )
    evidence = forms.CharField(
        label=_("What the evidence shows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For an audit or a document: what it found, and where it is."),
    )
    document = forms.FileField(
        label=_("Upload the document"),
        required=False,
        help_text=", ".join(t.lstrip(".").upper() for t in DOCUMENT_TYPES) + ".",
    )
    link = forms.URLField(
        label=_("Or a link to the document"),
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a link, like https://intranet.example.org/report.")},
    )

    def __init__(
        self, *args: Any, action: Action, user: permissions.AnyUser, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        key = action.partnership.brag_key
        # self.fields holds copies of the fields declared above, so their classes are known.
        status_field = cast("forms.ChoiceField", self.fields["status"])
        status_field.choices = [
            (status, f"{BRAG_WORDS[Brag(status)]}: {key.get(status, '')}") for status in Brag.values
        ]
        # A later scrutiny's movement states its scores: offered to those who may read them.
        readable = permissions.scrutinies_visible_to(user).filter(
            partnership_id=action.partnership_id
        )
        if readable.exists():
            scrutiny = cast("forms.ModelChoiceField[Scrutiny]", self.fields["evidence_scrutiny"])
            scrutiny.queryset = readable.order_by("-created_at")
        else:
            del self.fields["evidence_scrutiny"]
            kinds = cast("forms.ChoiceField", self.fields["evidence_kind"])
            kinds.choices = _evidence_kinds(scrutiny=False)
        self.initial.setdefault("status", action.status)

    def attached(self) -> Evidence:
        data = self.cleaned_data
        return Evidence(
            kind=data["evidence_kind"],
            text=data["evidence"],
            scrutiny=data.get("evidence_scrutiny"),
            document=data["document"],
            link=data["link"],
        )
