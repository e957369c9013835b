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
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from scrutiny.errors import ApplicationError
from scrutiny.questionnaires import DraftWizardView, QuestionnairePage
from scrutiny.questionnaires.language import active_language, html_lang, shown_in_other_language
from surveys.forms import OpenStartForm
from surveys.models import ANONYMOUS_ONLY_KINDS, Invitation, OpenDraft, Survey
from surveys.services import answering, invitations
from surveys.views.language import chosen_language_keep, in_invitation_language, language_context

RESUME_DAYS = 120


def _cookie_name(survey: Survey) -> str:
    return f"survey_resume_{survey.pk}"


def _state_page(request: HttpRequest, survey: Survey | None, state: str, **extra: Any) -> Any:
    status = 404 if state == "unknown" else 200
    return render(
        request,
        "surveys/respond/state.html",
        {"survey": survey, "state": state, **extra},
        status=status,
    )


def _survey_closed_page(request: HttpRequest, survey: Survey) -> HttpResponse | None:
    state = invitations.survey_state(survey)
    if state == invitations.OPEN:
        return None
    return _state_page(request, survey, state)


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
        return _no_referrer(_state_page(request, None, "unknown"))
    survey = invitation.survey
    if invitation.answered:
        return _no_referrer(_state_page(request, survey, "used", used_at=invitation.used_at))
    closed = _survey_closed_page(request, survey)
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
        return _state_page(request, None, "relink")
    survey = invitation.survey
    if invitation.answered:
        return _state_page(request, survey, "used", used_at=invitation.used_at)
    closed = _survey_closed_page(request, survey)
    if closed is not None:
        return closed
    return render(
        request,
        "surveys/respond/start.html",
        {
            "survey": survey,
            "invitation": invitation,
            "in_progress": invitation.draft_version_id is not None,
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
        return _state_page(request, None, "unknown")
    if survey.instrument.kind in ANONYMOUS_ONLY_KINDS:  # a children's survey: their own pages
        return redirect("young-start", public_key)
    closed = _survey_closed_page(request, survey)
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


# ---------------------------------------------------------------------------------------------
# The pages of the instrument


@method_decorator(never_cache, name="dispatch")
class SurveyWizard(DraftWizardView):
    """The instrument's pages over django-formtools. As for audits, the database draft is the
    truth: the wizard's storage only carries the current step within a request."""

    template_name = "surveys/respond/page.html"
    check_template_name = "surveys/respond/check.html"
    RESUME_STEP = "resume"
    page_not_shown = gettext_lazy(
        "That page does not apply, given your other answers, so nothing on it was saved."
    )
    survey: Survey
    holder: Invitation | OpenDraft

    # -- what subclasses give ------------------------------------------------------------------

    def load(self) -> HttpResponse | None:
        """Set self.survey and self.holder, or return the page to show instead."""
        raise NotImplementedError

    def start_url(self) -> str:
        raise NotImplementedError

    def thanks_url(self) -> str:
        raise NotImplementedError

    # -- building the pages from the database draft ---------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        early = self.load()
        if early is not None:
            return early
        if self.holder.answered:
            return _state_page(request, self.survey, "used", used_at=self.holder.used_at)
        closed = _survey_closed_page(request, self.survey)
        if closed is not None:
            return closed
        return super().dispatch(request, *args, **kwargs)

    def get_compiled(self) -> Any:
        compiled = answering.holder_compiled(self.holder, language=active_language())
        self.draft: dict[str, Any] = answering.holder_values(self.holder)
        return compiled

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"survey_{type(self.holder).__name__.lower()}_{self.holder.pk}"

    # -- what the draft wizard asks of a channel -----------------------------------------------

    def draft_step(self) -> str:
        return self.holder.current_step

    def save_page(self, resume: str) -> None:
        answering.survey_save_page(
            holder=self.holder, step=resume, values=self.draft, compiled=self.compiled
        )

    def page_refused(self, form: QuestionnairePage, exc: ApplicationError) -> HttpResponse:
        if isinstance(exc, answering.AlreadySubmitted):
            return redirect(self.thanks_url())
        return super().page_refused(form, exc)

    def saved_for_later(self) -> HttpResponse:
        return render(
            self.request,
            "surveys/respond/saved.html",
            {"survey": self.survey, "resume_url": self.step_url("resume"), **self._mode()},
        )

    def submit(self) -> None:
        answering.survey_submit(holder=self.holder, compiled=self.compiled)

    def submit_refused(self, exc: ApplicationError) -> HttpResponse:
        if isinstance(exc, answering.AlreadySubmitted):
            return _state_page(self.request, self.survey, "used", used_at=None)
        return super().submit_refused(exc)

    def submitted(self) -> HttpResponse:
        self.storage.reset()
        return redirect(self.thanks_url())

    # -- context ---------------------------------------------------------------------------

    def _mode(self) -> dict[str, Any]:
        return {"is_invitation": isinstance(self.holder, Invitation)}

    def _language(self) -> dict[str, Any]:
        return {
            "english_only": shown_in_other_language(self.compiled),
            "questionnaire_lang": html_lang(self.compiled),
        }

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        context.update(self._mode())
        context.update(self._language())
        context["survey"] = self.survey
        context["previous_step"] = self.get_prev_step(step)
        context["next_step"] = self.get_next_step(step)
        context["page_number"] = self.steps.step1
        context["page_count"] = self.steps.count
        return context

    def check_context(self) -> dict[str, Any]:
        return {
            **self._mode(),
            **self._language(),
            "survey": self.survey,
            "compiled": self.compiled,
            "later_url": self.start_url(),
        }


class InvitationWizard(SurveyWizard):
    """A personal invitation's pages, at a token-free address: the invitation is found by the
    cookie its link was exchanged for (`invitation_start`)."""

    holder: Invitation

    def load(self) -> HttpResponse | None:
        invitation = _invitation_from_cookie(self.request, self.kwargs["survey_id"])
        if invitation is None:
            return _state_page(self.request, None, "relink")
        self.holder = invitation
        self.survey = invitation.survey
        return None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        chosen_language_keep(request, self.holder)  # a POST, never a GET (docs/welsh.md)
        return super().post(request, *args, **kwargs)

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        # The session keeps the current step under the survey's id, not the invitation's.
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
            return _state_page(self.request, None, "unknown")
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
        return _state_page(request, None, "relink")
    if not invitation.answered:
        return redirect("survey-invited", survey_id)
    return render(request, "surveys/respond/thanks.html", {"survey": invitation.survey})


@never_cache
def open_thanks(request: HttpRequest, public_key: str) -> HttpResponse:
    survey = _open_survey(public_key)
    if survey is None:
        return _state_page(request, None, "unknown")
    return render(request, "surveys/respond/thanks.html", {"survey": survey})
