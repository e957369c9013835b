"""Children's pages: a children's survey answered in a session, without an account.

- `/young/` (`young-code`): "Enter your code", the code on the screen of a session a school or
  youth worker runs (surveys/views/sessions.py);
- `/young/<code>/` (`young-start`): the start page, in a child's words: nobody will know which
  answers are theirs, so nobody can get back to them; who to talk to now. A children's
  survey's open link (`survey-open`) leads here too, with the survey's public key for a code;
- `/young/<code>/<step>/` (`young-step`): one question a page (each question of the instrument
  is a page of its own here), then a check page that sends the answers once;
- `/young/<code>/thanks/` (`young-thanks`).

A child's draft is saved on every page and found again by a resume key kept in a cookie in
their browser, as the open link's (surveys/views/respond.py): a child who has started may finish
after the session has ended, so no time-out loses answers. Every page says who to talk to if
something is wrong (templates/surveys/young/layout.html).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from scrutiny.errors import ApplicationError
from scrutiny.instruments import CompiledSection, CompiledVersion
from scrutiny.questionnaires import DraftWizardView
from surveys.forms import YoungCodeForm
from surveys.models import OpenDraft, Survey, YouthSession, token_hash
from surveys.services import answering, youth_sessions
from surveys.services.invitations import OPEN, survey_state
from surveys.views.language import language_context
from surveys.views.respond import RESUME_DAYS
from surveys.views.wizard import SurveyWizard
from surveys.young_questions import young_question

COOKIE = "young_resume"


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    survey = context.get("survey")
    context.setdefault("partnership", survey.scrutiny.partnership if survey else None)
    return render(request, f"surveys/young/{template}", context, status=status)


def _ended(request: HttpRequest, survey: Survey | None = None) -> HttpResponse:
    return _page(request, "ended.html", survey=survey)


def _draft(request: HttpRequest, code: str) -> OpenDraft | None:
    """This browser's draft in a session with this code (whether or not the session has
    ended since it was started), or through the open link whose key this is."""
    key = request.COOKIES.get(COOKIE, "")
    if not key:
        return None
    try:  # a unique key: `get`, which sorts nothing (as `invitation_for_token`)
        return OpenDraft.objects.select_related(
            "session", "survey__scrutiny__partnership", "survey__instrument"
        ).get(
            Q(session__code=youth_sessions.code_normalise(code))
            | Q(session__isnull=True, survey__public_key=code),
            key_sha256=token_hash(key),
        )
    except OpenDraft.DoesNotExist:
        return None


def _start_path(code: str) -> str:
    return reverse("young-start", args=[code])


@never_cache
@require_http_methods(["GET", "POST"])
def young_code(request: HttpRequest) -> HttpResponse:
    form = YoungCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        session = youth_sessions.youth_session_for_code(form.cleaned_data["code"])
        if session is not None:
            return redirect("young-start", session.code)
        form.add_error(
            "code",
            _(
                "That code does not work. Check it against the screen, or ask the adult "
                "running the session."
            ),
        )
    return _page(request, "code.html", form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def young_start(request: HttpRequest, code: str) -> HttpResponse:
    draft = _draft(request, code)
    if draft is not None and draft.answered:
        return redirect("young-thanks", draft.session.code if draft.session else code)
    session: YouthSession | None = youth_sessions.youth_session_for_code(code)
    survey = session.survey if session else youth_sessions.young_open_survey(code)
    if survey is None or survey_state(survey) != OPEN:
        if draft is not None:  # the session ended after they started: they may finish
            return _page(
                request,
                "start.html",
                survey=draft.survey,
                in_progress=True,
                resume_url=reverse("young-step", args=[code, "resume"]),
                **language_context(draft.survey),
            )
        return _ended(request, survey)
    code = session.code if session else survey.public_key
    error = ""
    if request.method == "POST":
        try:
            if session is not None:
                _, key = youth_sessions.young_draft_start(session=session)
            else:
                _, key = youth_sessions.young_open_draft_start(survey=survey)
        except ApplicationError as exc:
            error = exc.message
        else:
            return _with_resume_cookie(request, redirect("young-step", code, "resume"), code, key)
    return _page(
        request,
        "start.html",
        survey=survey,
        in_progress=draft is not None,
        resume_url=reverse("young-step", args=[code, "resume"]),
        message=error,
        **language_context(survey),
    )


def _with_resume_cookie(
    request: HttpRequest, response: HttpResponse, code: str, key: str
) -> HttpResponse:
    response.set_cookie(
        COOKIE,
        key,
        max_age=RESUME_DAYS * 24 * 3600,
        path=_start_path(code),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def one_question_a_page(compiled: CompiledVersion) -> CompiledVersion:
    """The same version with each question a page of its own (titled by its question), so the
    one instrument engine shows one question a screen: every question, condition and score is
    the version's own."""
    sections = tuple(
        CompiledSection(id=section.id, title=compiled.questions[code].text, codes=(code,))
        for section in compiled.sections
        for code in section.codes
    )
    return dataclasses.replace(compiled, sections=sections)


@method_decorator(never_cache, name="dispatch")
class YoungWizard(SurveyWizard):
    template_name = "surveys/young/page.html"
    check_template_name = "surveys/young/check.html"
    ACTIONS = ("continue", "previous")
    page_not_shown = gettext_lazy(
        "That question does not apply, given your other answers, so it was skipped."
    )
    holder: OpenDraft

    def load(self) -> HttpResponse | None:
        draft = _draft(self.request, self.kwargs["code"])
        if draft is None:
            return redirect("young-start", self.kwargs["code"])
        self.holder = draft
        self.survey = draft.survey
        return None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        early = self.load()
        if early is not None:
            return early
        if self.holder.answered:
            return redirect(self.thanks_url())
        if survey_state(self.survey) != OPEN:
            return _ended(request, self.survey)
        # The engine's wizard itself: the survey wizard's pages for a closed survey are not
        # the children's.
        return DraftWizardView.dispatch(self, request, *args, **kwargs)

    def get_compiled(self) -> Any:
        return one_question_a_page(super().get_compiled())

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"young_{self.holder.pk}"

    def step_url(self, step: str | None = None) -> str:
        return reverse("young-step", args=[self.kwargs["code"], step or "resume"])

    def start_url(self) -> str:
        return _start_path(self.kwargs["code"])

    def thanks_url(self) -> str:
        return reverse("young-thanks", args=[self.kwargs["code"]])

    def saved_for_later(self) -> HttpResponse:  # not offered: every page is saved anyway
        return redirect(self.step_url())

    def submit_refused(self, exc: ApplicationError) -> HttpResponse:
        if isinstance(exc, answering.AlreadySubmitted):
            return redirect(self.thanks_url())
        return super().submit_refused(exc)

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["partnership"] = self.survey.scrutiny.partnership
        context["question"] = young_question(form, self.compiled)
        return context

    def check_context(self) -> dict[str, Any]:
        return {**super().check_context(), "partnership": self.survey.scrutiny.partnership}


@never_cache
def young_thanks(request: HttpRequest, code: str) -> HttpResponse:
    draft = _draft(request, code)
    if draft is None:
        return redirect("young-code")
    if not draft.answered:
        return redirect("young-step", code, "resume")
    return _page(request, "thanks.html", survey=draft.survey)
