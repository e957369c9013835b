"""Questionnaires answered signed in, without a link (see surveys.permissions):

- `answer-list`: the open board questionnaires a board member answers by name, or the open
  family feedback forms a rights officer enters on a family's behalf, with their drafts;
- `answer-start`: begin (a board member's second start resumes their draft);
- `answer-step`: the instrument's pages, the same wizard as every other respondent's;
- `answer-thanks`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from scrutiny.errors import ApplicationError
from scrutiny.models import User
from surveys import permissions
from surveys.models import OpenDraft, Survey
from surveys.services import answering, invitations
from surveys.views.wizard import SurveyWizard


@login_required
def answer_list(request: HttpRequest) -> HttpResponse:
    surveys = [
        survey
        for survey in permissions.surveys_to_answer_for_user(request.user).order_by(
            "closes_at", "title"
        )
        if invitations.survey_state(survey) == invitations.OPEN
    ]
    assert isinstance(request.user, User)  # login_required
    mine = list(
        OpenDraft.objects.filter(entered_by=request.user, survey__in=surveys)
        .select_related("survey")
        .order_by("pk")
    )
    drafts = {draft.survey_id: draft for draft in mine}
    in_progress = [draft for draft in mine if not draft.answered]
    return render(
        request,
        "surveys/signed_in/list.html",
        {
            "surveys": surveys,
            "rows": [(survey, drafts.get(survey.pk)) for survey in surveys],
            "in_progress": in_progress,
            "kinds": permissions.kinds_answered_signed_in(request.user),
        },
    )


@login_required
@require_POST
def answer_start(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = permissions.access_survey_to_answer_for_user(request.user, survey_id)
    assert isinstance(request.user, User)  # login_required
    try:
        draft = answering.signed_in_draft_start(survey=survey, user=request.user)
    except answering.AlreadySubmitted:
        messages.error(request, _submitted_already(survey, request.user))
        return redirect("answer-list")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("answer-list")
    return redirect("answer-step", draft.pk, "resume")


def _submitted_already(survey: Survey, user: User) -> str:
    """A board member who submitted already is told so in their language, the month too (the
    service's own message is English)."""
    used_at = (
        OpenDraft.objects.filter(survey=survey, entered_by=user)
        .values_list("used_at", flat=True)
        .first()
    )
    words = {"title": survey.title}
    if used_at is None:
        return gettext("You submitted your answers to “%(title)s”. Thank you.") % words
    words["date"] = date_format(used_at, "j F Y")
    return gettext("You submitted your answers to “%(title)s” on %(date)s. Thank you.") % words


@method_decorator(login_required, name="dispatch")
class SignedInWizard(SurveyWizard):
    def load(self) -> HttpResponse | None:
        draft = permissions.access_signed_in_draft_for_user(
            self.request.user, self.kwargs["draft_id"]
        )
        self.holder = draft
        self.survey = draft.survey
        return None

    def _mode(self) -> dict[str, Any]:
        return {"is_invitation": False, "is_signed_in": True}

    def step_url(self, step: str | None = None) -> str:
        return reverse("answer-step", args=[self.kwargs["draft_id"], step or "resume"])

    def start_url(self) -> str:
        return reverse("answer-list")

    def thanks_url(self) -> str:
        return reverse("answer-thanks", args=[self.kwargs["draft_id"]])


@login_required
def answer_thanks(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = permissions.access_signed_in_draft_for_user(request.user, draft_id)
    if not draft.answered:
        return redirect("answer-step", draft.pk, "resume")
    return render(
        request,
        "surveys/respond/thanks.html",
        {"survey": draft.survey, "is_signed_in": True},
    )
