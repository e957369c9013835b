"""The business unit's survey pages (the business unit and the scrutineer; a 404 for anyone
else):

- `survey-list`: a scrutiny's surveys with their links and counts;
- `survey-new`: a survey of one of the scrutiny's survey instruments;
- `survey-detail`: one survey, its open link, counts and invitations;
- `survey-rates`: the response rates of one survey instrument, as a chart and its table, small
  cells suppressed;
- `survey-invite`: upload an invitation list (.xlsx or .csv); errors by row, nothing imported
  unless every row is right.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from scrutiny.errors import ApplicationError
from scrutiny.models import Instrument, Scrutiny
from scrutiny.workbooks.lists import list_upload_content
from surveys import permissions, rates, selectors, services
from surveys.models import SURVEY_KINDS


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_surveys_for_user(request.user, slug)
    surveys = list(selectors.survey_list(scrutiny=scrutiny))
    for survey in surveys:
        survey.state = services.survey_state(survey)  # type: ignore[attr-defined]
    return render(
        request, "surveys/manage/survey_list.html", {"scrutiny": scrutiny, "surveys": surveys}
    )


ANONYMITY_CHOICES = [
    ("", "The usual for this kind of questionnaire: anonymous, except board questionnaires"),
    ("yes", "Anonymous: answers are not linked to the person"),
    ("no", "Named: answers are linked to the person invited"),
]


class SurveyForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.none(),
        label="Questionnaire",
        empty_label="Choose a questionnaire",
        error_messages={"required": "Choose the questionnaire to send."},
    )
    title = forms.CharField(
        label="Title",
        help_text="Respondents see this on every page and in their email.",
        max_length=200,
        error_messages={"required": "Give the survey a title."},
    )
    opens_at = forms.DateTimeField(
        label="Opens",
        help_text="Date and time, for example 2025-03-01 09:00.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the survey opens.",
            "invalid": "Enter a date and time.",
        },
    )
    closes_at = forms.DateTimeField(
        label="Closes (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time."},
    )
    anonymous = forms.ChoiceField(
        label="Anonymity",
        choices=ANONYMITY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    open_link_enabled = forms.BooleanField(
        label="Anyone with the open link may answer",
        help_text="Leave this unticked to take answers by personal invitation only.",
        required=False,
        initial=True,
    )

    reminder_days = forms.IntegerField(
        label="Remind people who have not answered every (days)",
        help_text="Reminders go by email to people invited who have not submitted, never to "
        "anyone who has. Leave empty for no reminders.",
        required=False,
        min_value=1,
        max_value=90,
        initial=7,
        error_messages={
            "invalid": "Enter a whole number of days.",
            "min_value": "Remind every 1 to 90 days.",
            "max_value": "Remind every 1 to 90 days.",
        },
    )
    reminder_limit = forms.IntegerField(
        label="Reminders to each person, at most",
        required=False,
        min_value=0,
        max_value=10,
        initial=2,
        error_messages={
            "invalid": "Enter a whole number.",
            "min_value": "Send from 0 to 10 reminders.",
            "max_value": "Send from 0 to 10 reminders.",
        },
    )

    def __init__(self, *args: Any, scrutiny: Scrutiny, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(  # type: ignore[attr-defined]
            scrutiny=scrutiny, kind__in=SURVEY_KINDS
        ).order_by("code")
        self.fields["anonymous"].initial = ""


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_surveys_for_user(request.user, slug)
    form = SurveyForm(
        _posted(request), scrutiny=scrutiny, initial={"opens_at": timezone.localtime()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        anonymous = {"yes": True, "no": False}.get(data["anonymous"])
        try:
            survey = services.survey_save(
                scrutiny=scrutiny,
                instrument=data["instrument"],
                title=data["title"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                anonymous=anonymous,
                open_link_enabled=data["open_link_enabled"],
                reminder_days=data["reminder_days"],
                reminder_limit=2 if data["reminder_limit"] is None else data["reminder_limit"],
                user=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"The survey “{survey.title}” is set up.")
            return redirect("survey-detail", scrutiny.slug, survey.pk)
    return render(
        request,
        "surveys/manage/form_page.html",
        {
            "scrutiny": scrutiny,
            "form": form,
            "title": "Set up a survey",
            "submit": "Set up the survey",
            "multipart": False,
        },
    )


@login_required
def survey_detail(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = permissions.access_survey_for_user(request.user, slug, survey_id)
    counted = selectors.survey_counts(survey=survey)
    return render(
        request,
        "surveys/manage/survey_detail.html",
        {
            "scrutiny": survey.scrutiny,
            "survey": counted,
            "state": services.survey_state(survey),
            "open_link": services.open_link(survey),
            "invitations": selectors.invitation_list(survey=survey),
        },
    )


class InvitationListForm(forms.Form):
    file = forms.FileField(
        label="Invitation list",
        help_text="An .xlsx workbook or a .csv file with the columns email, agency and, if you "
        "wish, role (the partnership's agency and role codes). Everyone is invited, or no one "
        "if a row is wrong.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": "Choose an invitation list to upload."},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_invite(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = permissions.access_survey_for_user(request.user, slug, survey_id)
    is_post = request.method == "POST"
    form = InvitationListForm(*((request.POST, request.FILES) if is_post else (None, None)))
    row_errors: list[str] = []
    if is_post and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.invitations_create(
                survey=survey, content=list_upload_content(upload), file_name=upload.name
            )
        except ApplicationError as exc:
            row_errors = list(exc.extra.get("errors") or [])
            form.add_error("file", exc.message.split("\n")[0])
        else:
            already = (
                f" {result.already_invited} already invited were not invited again."
                if result.already_invited
                else ""
            )
            messages.success(
                request,
                f"{result.created} {'person was' if result.created == 1 else 'people were'} "
                f"invited; their emails are on their way.{already}",
            )
            return redirect("survey-detail", survey.scrutiny.slug, survey.pk)
    return render(
        request,
        "surveys/manage/invite.html",
        {"scrutiny": survey.scrutiny, "survey": survey, "form": form, "row_errors": row_errors},
    )


@login_required
def survey_rates(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    instrument = permissions.access_survey_instrument_for_user(request.user, slug, code)
    return render(
        request,
        "surveys/manage/rates.html",
        {
            "scrutiny": instrument.scrutiny,
            "instrument": instrument,
            "rates": rates.instrument_rates(instrument=instrument),
        },
    )


urlpatterns = [
    path("scrutinies/<slug:slug>/surveys/", survey_list, name="survey-list"),
    path("scrutinies/<slug:slug>/surveys/new/", survey_new, name="survey-new"),
    path("scrutinies/<slug:slug>/surveys/<int:survey_id>/", survey_detail, name="survey-detail"),
    path("scrutinies/<slug:slug>/surveys/rates/<str:code>/", survey_rates, name="survey-rates"),
    path(
        "scrutinies/<slug:slug>/surveys/<int:survey_id>/invite/",
        survey_invite,
        name="survey-invite",
    ),
]
