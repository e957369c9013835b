"""The business unit's survey pages (the business unit and the scrutineer; a 404 for anyone
else):

- `survey-list`: a scrutiny's surveys with their links and counts;
- `survey-new`: a survey of one of the scrutiny's survey instruments;
- `survey-detail`: one survey, its open link, counts and invitations;
- `survey-rates`: the response rates of one survey instrument, as a chart and its table, and its
  submitted responses by language, small cells suppressed;
- `survey-invite`: upload an invitation list (.xlsx or .csv), read by a job (surveys.imports)
  whose page gives the errors by row; nobody is invited unless every row is right.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scrutiny.errors import ApplicationError
from scrutiny.models import Source, User
from surveys import imports, permissions, rates, selectors
from surveys.forms import InvitationListForm, SurveyForm
from surveys.services import invitations


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_surveys_for_user(request.user, slug)
    surveys = list(selectors.survey_list(scrutiny=scrutiny))
    rows = [(survey, invitations.survey_state(survey)) for survey in surveys]
    return render(
        request,
        "surveys/manage/survey_list.html",
        {"scrutiny": scrutiny, "surveys": surveys, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_surveys_for_user(request.user, slug)
    assert isinstance(request.user, User)  # one who runs the scrutiny's surveys
    form = SurveyForm(
        _posted(request), scrutiny=scrutiny, initial={"opens_at": timezone.localtime()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        anonymous = {"yes": True, "no": False}.get(data["anonymous"])
        try:
            survey = invitations.survey_save(
                scrutiny=scrutiny,
                instrument=data["instrument"],
                title=data["title"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                anonymous=anonymous,
                open_link_enabled=data["open_link_enabled"],
                reminder_days=data["reminder_days"],
                reminder_limit=2 if data["reminder_limit"] is None else data["reminder_limit"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The survey “%(title)s” is set up.") % {"title": survey.title}
            )
            return redirect("survey-detail", scrutiny.slug, survey.pk)
    return render(
        request,
        "surveys/manage/form_page.html",
        {
            "scrutiny": scrutiny,
            "form": form,
            "title": _("Set up a survey"),
            "submit": _("Set up the survey"),
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
            "state": invitations.survey_state(survey),
            "open_link": invitations.open_link(survey),
            "invitations": selectors.invitation_list(survey=survey),
            "progress_shown": permissions.invitation_progress_shown(survey),
            "is_young_people": survey.instrument.kind == Source.YOUNG_PEOPLE,
            "session_rates": rates.session_rates(survey=survey),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_invite(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    """The list is checked for its type and size here; its rows by a job (surveys.imports),
    whose page says how many were invited, or lists every row's error."""
    survey = permissions.access_survey_for_user(request.user, slug, survey_id)
    is_post = request.method == "POST"
    form = InvitationListForm(*((request.POST, request.FILES) if is_post else (None, None)))
    if is_post and form.is_valid():
        assert isinstance(request.user, User)  # one who runs the scrutiny's surveys
        job = imports.invitation_list_start(
            survey=survey, file=form.cleaned_data["file"], user=request.user
        )
        return redirect("job-detail", job_id=job.pk)
    return render(
        request,
        "surveys/manage/invite.html",
        {"scrutiny": survey.scrutiny, "survey": survey, "form": form},
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
            "languages": rates.language_rates(instrument=instrument),
        },
    )
