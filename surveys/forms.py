"""The surveys' forms: setting up a survey and uploading an invitation list (the business
unit's pages), and the open link's first page, where a respondent picks their agency and role.
The questionnaire's own pages are the instrument engine's (scrutiny.questionnaires)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scrutiny.models import Agency, Instrument, PractitionerRole, Scrutiny
from scrutiny.workbooks.opening import workbook_max_bytes
from surveys.models import SURVEY_KINDS, Survey

ANONYMITY_CHOICES = [
    ("", _("The usual for this kind of questionnaire: anonymous, except board questionnaires")),
    ("yes", _("Anonymous: answers are not linked to the person")),
    ("no", _("Named: answers are linked to the person invited")),
]


# The datetime-local control shows the date and time as the browser's language writes them:
# the hints give an example in words, GOV.UK's way, not a format of their own.
_DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CheckboxField(forms.BooleanField):
    """One checkbox as the other forms show theirs (templates/surveys/manage/_checkbox.html):
    a legend saying what it is about, then the box with its label after it."""

    def __init__(self, *, legend: str | Promise, **kwargs: Any) -> None:
        super().__init__(template_name="surveys/manage/_checkbox.html", **kwargs)
        self.legend = legend


class SurveyForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.none(),
        label=_("Questionnaire"),
        empty_label=_("Choose a questionnaire"),
        error_messages={"required": _("Choose the questionnaire to send.")},
    )
    title = forms.CharField(
        label=_("Title"),
        help_text=_("Respondents see this on every page and in their email."),
        max_length=200,
        error_messages={"required": _("Give the survey a title.")},
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        help_text=_("The date and time, for example 1 March 2026 at 9am."),
        widget=_DATETIME_WIDGET,
        error_messages={
            "required": _("Enter the date and time the survey opens."),
            "invalid": _(
                "Enter the date and time the survey opens, for example 1 March 2026 at 9am."
            ),
        },
    )
    # The form's template adds "(optional)" to the label of a field that is not required.
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        help_text=_(
            "The date and time, for example 31 March 2026 at 5pm. Leave it empty to keep "
            "the survey open."
        ),
        required=False,
        widget=_DATETIME_WIDGET,
        error_messages={
            "invalid": _(
                "Enter the date and time the survey closes, for example 31 March 2026 at 5pm."
            )
        },
    )
    anonymous = forms.ChoiceField(
        label=_("Anonymity"),
        choices=ANONYMITY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    open_link_enabled = CheckboxField(
        legend=_("Open link"),
        label=_("Anyone with the open link may answer"),
        help_text=_("Leave this unticked to take answers by personal invitation only."),
        required=False,
        initial=True,
    )

    reminder_days = forms.IntegerField(
        label=_("Remind people who have not answered every (days)"),
        help_text=_(
            "Reminders go by email to people invited who have not submitted, never to "
            "anyone who has. Leave empty for no reminders."
        ),
        required=False,
        min_value=1,
        max_value=90,
        initial=7,
        error_messages={
            "invalid": _("Enter a whole number of days."),
            "min_value": _("Remind every 1 to 90 days."),
            "max_value": _("Remind every 1 to 90 days."),
        },
    )
    reminder_limit = forms.IntegerField(
        label=_("Reminders to each person, at most"),
        required=False,
        min_value=0,
        max_value=10,
        initial=2,
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("Send from 0 to 10 reminders."),
            "max_value": _("Send from 0 to 10 reminders."),
        },
    )

    def __init__(self, *args: Any, scrutiny: Scrutiny, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ModelChoiceField)
        instrument.queryset = Instrument.objects.filter(
            scrutiny=scrutiny, kind__in=SURVEY_KINDS
        ).order_by("code")
        self.fields["anonymous"].initial = ""


class InvitationListForm(forms.Form):
    file = forms.FileField(
        label=_("Invitation list"),
        help_text=_(
            "An .xlsx workbook or a .csv file with the columns email, agency and, if you "
            "wish, role (the partnership's agency and role codes). Everyone is invited, or no one "
            "if a row is wrong."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": _("Choose an invitation list to upload.")},
    )

    def clean_file(self) -> Any:
        """Its type and size, before it is kept for the job that reads its rows."""
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                _(
                    "The invitation list must be an Excel workbook (.xlsx) or a CSV file (.csv). "
                    "In Excel, use Save As and choose Excel Workbook or CSV UTF-8."
                )
            )
        limit = workbook_max_bytes()
        if file.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; the largest list this installation accepts is "
                    "%(limit)s MB. Remove the columns you do not need, or split the list."
                )
                % {
                    "size": f"{file.size / (1024 * 1024):.1f}",
                    "limit": f"{limit / (1024 * 1024):.1f}",
                }
            )
        return file


class OpenStartForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label=_("Which agency do you work for?"),
        empty_label=_("Choose your agency"),
        error_messages={
            "required": _("Choose your agency."),
            "invalid_choice": _("Choose your agency."),
        },
    )
    role = forms.ModelChoiceField(
        queryset=PractitionerRole.objects.none(),
        label=_("What is your role?"),
        empty_label=_("Choose your role"),
        error_messages={
            "required": _("Choose your role."),
            "invalid_choice": _("Choose your role."),
        },
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership_id = survey.scrutiny.partnership_id
        agency, role = self.fields["agency"], self.fields["role"]
        assert isinstance(agency, forms.ModelChoiceField)
        assert isinstance(role, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")
        roles = PractitionerRole.objects.filter(partnership_id=partnership_id).order_by("name")
        role.queryset = roles
        if not roles.exists():
            del self.fields["role"]


class YouthSessionForm(forms.Form):
    """Starting a children's session (surveys.services.youth_sessions)."""

    setting = forms.CharField(
        label=_("Where is the session?"),
        help_text=_(
            "The setting and the group, for example “Fernhill Academy, Year 8”. Never a "
            "child's name."
        ),
        max_length=200,
        error_messages={
            "required": _("Say where the session is, for example “Fernhill Academy, Year 8”."),
            "max_length": _("Say where the session is in 200 characters or fewer."),
        },
    )
    consent_confirmed = CheckboxField(
        legend=_("Consent"),
        label=_("I have arranged this session with the consent the setting requires"),
        help_text=_(
            "For example, the school's agreement and the information sent to parents and carers."
        ),
        error_messages={
            "required": _(
                "Confirm that you have arranged this session with the consent the setting requires."
            )
        },
    )


class YoungCodeForm(forms.Form):
    """A child types the code on the screen (surveys/views/young.py)."""

    code = forms.CharField(
        label=_("Type the code"),
        help_text=_("It is on the screen at the front. It has 6 letters and numbers."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the code from the screen.")},
    )
