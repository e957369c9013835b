"""The forms of the pages around completing audits: assigning auditors to the sample's case
files, reopening a submitted audit, and raising an immediate concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.assignments import AssignmentRequest
from audits.models import Assignment, CaseFile
from scrutiny.models import User
from scrutiny.questionnaires import DATE_INPUT_FORMATS


class AssignForm(forms.Form):
    """A row a sampled case file: an agency's auditor, the due date and the role.

    One select lists "agency code, en dash, auditor" pairs grouped by agency (an auditor audits for
    their own agency, so choosing the auditor chooses the agency). A row left at "Nobody" is
    skipped, so the form is sent once for each agency to add to every case file.
    """

    def __init__(
        self,
        *args: Any,
        cases: list[CaseFile],
        auditors: list[User],
        default_due: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.auditors = {user.pk: user for user in auditors}
        groups: dict[str, list[tuple[str, str]]] = {}
        for user in auditors:
            assert user.agency is not None
            groups.setdefault(f"{user.agency.name} ({user.agency.code})", []).append(
                (str(user.pk), f"{user.agency.code} \N{EN DASH} {user.full_name or user.email}")
            )
        choices: list[Any] = [("", _("Nobody this time")), *groups.items()]
        for case in cases:
            self.fields[f"c{case.pk}-auditor"] = forms.TypedChoiceField(
                label=_("Agency and auditor"),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"c{case.pk}-due"] = forms.DateField(
                label=_("Due date"),
                help_text=_("For example 30/06/2025."),
                input_formats=DATE_INPUT_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                initial=default_due,
                # Required when the row has an auditor; clean() forgives a row left at Nobody.
                required=True,
                error_messages={
                    "required": _("Give the date the audit is due."),
                    "invalid": _("Enter a real date, like 30/06/2025."),
                },
            )
            self.fields[f"c{case.pk}-role"] = forms.ChoiceField(
                label=_("Role"),
                choices=Assignment.Role.choices,
                initial=Assignment.Role.FIRST,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for case in self.cases:
            if not cleaned.get(f"c{case.pk}-auditor"):
                # Nobody chosen for this case file: its date does not matter.
                self.errors.pop(f"c{case.pk}-due", None)
        return cleaned

    def requests(self) -> tuple[list[AssignmentRequest], list[str]]:
        """The rows to assign, and the field each one's error belongs on."""
        requests: list[AssignmentRequest] = []
        fields: list[str] = []
        for case in self.cases:
            auditor_id = self.cleaned_data.get(f"c{case.pk}-auditor")
            if not auditor_id:
                continue
            auditor = self.auditors[auditor_id]
            assert auditor.agency is not None
            requests.append(
                AssignmentRequest(
                    case=case,
                    agency=auditor.agency,
                    auditor=auditor,
                    due=self.cleaned_data.get(f"c{case.pk}-due"),
                    role=self.cleaned_data[f"c{case.pk}-role"],
                )
            )
            fields.append(f"c{case.pk}-auditor")
        return requests, fields


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the audit need reopening?"),
        help_text=_("This is kept in the audit's history for everyone who can see the audit."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for reopening the audit.")},
    )


class ConcernForm(forms.Form):
    concern = forms.CharField(
        label=_("What have you found?"),
        help_text=_(
            "Say what is in the case file and why you think the child is at risk now. "
            "This stays on the platform."
        ),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe the concern.")},
    )
