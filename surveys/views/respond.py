"""Respondents' pages: no account needed, the link is the key.

- `/i/<token>/` (`survey-invitation`): a personal invitation. The token is single-use: once the
  answers are submitted the link says so. The same link resumes a response in progress from any
  browser, because the draft is kept in the database.
- `/s/<public_key>/` (`survey-open`): the open link. The respondent picks their agency and role
  on the first page; their draft is found again by a random resume key kept in a cookie.

Both then go page by page through the instrument (scrutiny.questionnaires), saving a draft on
every page, to a check-your-answers page that submits once, and to a thank-you page. A survey
that is not open yet, or has closed, says so politely (HTTP 200).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from scrutiny.errors import ApplicationError
from surveys.forms import OpenStartForm
from surveys.models import ANONYMOUS_ONLY_KINDS, Invitation, Survey
from surveys.services import answering, invitations
from surveys.views.language import chosen_language_keep, in_invitation_language, language_context
from surveys.views.wizard import SurveyWizard, state_page, survey_closed_page

RESUME_DAYS = 120


def _cookie_name(survey: Survey) -> str:
    return f"survey_resume_{survey.pk}"


# ---------------------------------------------------------------------------------------------
# Start pages


def _invitation_cookie(survey_id: int) -> str:
    return f"survey_invitation_{survey_id}"


def _invited_path(survey_id: int) -> str:
    return reverse("survey-invited", args=[survey_id])


def _no_referrer(response: HttpResponse) -> HttpResponse:
    """A page at a token's address tells no later request where it came from."""
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@in_invitation_language
def invitation_start(request: HttpRequest, token: str, rest: str = "") -> HttpResponse:
    """The personal link, on first use: the token is exchanged for a cookie that only this
    survey's pages receive, and the browser goes on to a token-free address. So the web
    server's access log holds the token for this one request, which carries no answers, and
    never again (docs/surveys.md, "What anonymous means")."""
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return _no_referrer(state_page(request, None, "unknown"))
    survey = invitation.survey
    holder = answering.invited_holder(invitation)  # reads only: a GET writes nothing
    if holder.answered:
        return _no_referrer(state_page(request, survey, "used", used_at=holder.used_at))
    closed = survey_closed_page(request, survey)
    if closed is not None:
        return _no_referrer(closed)
    response = _no_referrer(redirect(_invited_path(survey.pk)))
    response.set_cookie(
        _invitation_cookie(survey.pk),
        token,
        max_age=RESUME_DAYS * 24 * 3600,
        path=_invited_path(survey.pk),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _invitation_from_cookie(request: HttpRequest, survey_id: int) -> Invitation | None:
    invitation = invitations.invitation_for_token(
        request.COOKIES.get(_invitation_cookie(survey_id), "")
    )
    if invitation is None or invitation.survey_id != survey_id:
        return None
    return invitation


@never_cache
def invited_start(request: HttpRequest, survey_id: int) -> HttpResponse:
    invitation = _invitation_from_cookie(request, survey_id)
    if invitation is None:
        return state_page(request, None, "relink")
    survey = invitation.survey
    holder = answering.invited_holder(invitation)
    if holder.answered:
        return state_page(request, survey, "used", used_at=holder.used_at)
    closed = survey_closed_page(request, survey)
    if closed is not None:
        return closed
    return render(
        request,
        "surveys/respond/start.html",
        {
            "survey": survey,
            "invitation": invitation,
            "in_progress": holder.draft_version_id is not None,
            "start_url": reverse("survey-invited-step", args=[survey_id, "resume"]),
            **language_context(survey),
        },
    )


def _open_survey(public_key: str) -> Survey | None:
    try:  # a unique key: `get`, which sorts nothing (as `invitation_for_token`)
        return Survey.objects.select_related("scrutiny__partnership", "instrument").get(
            public_key=public_key, open_link_enabled=True
        )
    except Survey.DoesNotExist:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def open_start(request: HttpRequest, public_key: str) -> HttpResponse:
    survey = _open_survey(public_key)
    if survey is None:
        return state_page(request, None, "unknown")
    if survey.instrument.kind in ANONYMOUS_ONLY_KINDS:  # a children's survey: their own pages
        return redirect("young-start", public_key)
    closed = survey_closed_page(request, survey)
    if closed is not None:
        return closed
    current = answering.open_draft_for_key(survey, request.COOKIES.get(_cookie_name(survey), ""))
    in_progress = current is not None and not current.answered
    form = OpenStartForm(request.POST if request.method == "POST" else None, survey=survey)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data.get("role")
        try:
            _, key = answering.open_draft_start(
                survey=survey,
                agency_id=form.cleaned_data["agency"].pk,
                role_id=role.pk if role else None,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            response = redirect("survey-open-step", public_key, "resume")
            response.set_cookie(
                _cookie_name(survey),
                key,
                max_age=RESUME_DAYS * 24 * 3600,
                path=reverse("survey-open", args=[public_key]),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
            return response
    return render(
        request,
        "surveys/respond/start.html",
        {
            "survey": survey,
            "form": form,
            "in_progress": in_progress,
            "start_url": reverse("survey-open-step", args=[public_key, "resume"]),
            **language_context(survey),
        },
    )


class InvitationWizard(SurveyWizard):
    """A personal invitation's pages, at a token-free address: the invitation is found by the
    cookie its link was exchanged for (`invitation_start`)."""

    is_invitation = True
    invitation: Invitation

    def load(self) -> HttpResponse | None:
        invitation = _invitation_from_cookie(self.request, self.kwargs["survey_id"])
        if invitation is None:
            return state_page(self.request, None, "relink")
        self.invitation = invitation
        # An anonymous survey's: its keyed draft, not the invitation (invited_drafts).
        self.holder = answering.invited_holder(invitation)
        self.survey = invitation.survey
        return None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        chosen_language_keep(request, self.invitation)  # a POST, never a GET (docs/welsh.md)
        return super().post(request, *args, **kwargs)

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        # The session keeps the current step under the survey's id, not the invitation's nor
        # its keyed draft's (which a first save creates, mid-request).
        return f"survey_invited_{self.kwargs['survey_id']}"

    def step_url(self, step: str | None = None) -> str:
        return reverse("survey-invited-step", args=[self.kwargs["survey_id"], step or "resume"])

    def start_url(self) -> str:
        return _invited_path(self.kwargs["survey_id"])

    def thanks_url(self) -> str:
        return reverse("survey-invited-thanks", args=[self.kwargs["survey_id"]])


class OpenWizard(SurveyWizard):
    def load(self) -> HttpResponse | None:
        public_key = self.kwargs["public_key"]
        survey = _open_survey(public_key)
        if survey is None:
            return state_page(self.request, None, "unknown")
        self.survey = survey
        draft = answering.open_draft_for_key(
            survey, self.request.COOKIES.get(_cookie_name(survey), "")
        )
        if draft is None:
            messages.info(
                self.request,
                _("We could not find answers in progress in this browser: start here."),
            )
            return redirect("survey-open", public_key)
        draft.survey = survey
        self.holder = draft
        return None

    def step_url(self, step: str | None = None) -> str:
        return reverse("survey-open-step", args=[self.kwargs["public_key"], step or "resume"])

    def start_url(self) -> str:
        return reverse("survey-open", args=[self.kwargs["public_key"]])

    def thanks_url(self) -> str:
        return reverse("survey-open-thanks", args=[self.kwargs["public_key"]])


@never_cache
def invited_thanks(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Thanks, for the browser that holds this survey's invitation: an id typed in the address
    names no survey."""
    invitation = _invitation_from_cookie(request, survey_id)
    if invitation is None:
        return state_page(request, None, "relink")
    if not answering.invited_holder(invitation).answered:
        return redirect("survey-invited", survey_id)
    return render(request, "surveys/respond/thanks.html", {"survey": invitation.survey})


@never_cache
def open_thanks(request: HttpRequest, public_key: str) -> HttpResponse:
    survey = _open_survey(public_key)
    if survey is None:
        return state_page(request, None, "unknown")
    return render(request, "surveys/respond/thanks.html", {"survey": survey})
