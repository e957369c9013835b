"""Children's sessions, for the adult running one (the business unit, or a practitioner such as
a youth worker or teacher: surveys.permissions.can_start_youth_sessions; a 404 for anyone else):

- `youth-session-list`: the children's surveys to start a session of, and your sessions;
- `youth-session-new`: start a session of a survey: where, and that it is arranged with the
  consent the setting requires;
- `youth-session-detail`: the code, large, and the address to type, to show on a screen;
- `youth-session-end`: end it (no child starts with its code any more).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scrutiny.errors import ApplicationError
from scrutiny.models import User
from scrutiny.notifications import site_link
from surveys import permissions
from surveys.forms import YouthSessionForm
from surveys.services import youth_sessions


def _may_start(request: HttpRequest) -> User:
    if not permissions.can_start_youth_sessions(request.user):
        raise Http404("No such page.")
    assert isinstance(request.user, User)
    return request.user


@login_required
def youth_session_list(request: HttpRequest) -> HttpResponse:
    _may_start(request)
    sessions = list(permissions.youth_sessions_for_user(request.user).order_by("-opened_at")[:50])
    return render(
        request,
        "surveys/sessions/list.html",
        {
            "surveys": permissions.youth_surveys_for_user(request.user).order_by("-opens_at"),
            "open_sessions": [s for s in sessions if youth_sessions.session_is_open(s)],
            "past_sessions": [s for s in sessions if not youth_sessions.session_is_open(s)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def youth_session_new(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = _may_start(request)
    survey = permissions.access_youth_survey_for_user(user, survey_id)
    form = YouthSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = youth_sessions.youth_session_start(
                survey=survey,
                user=user,
                setting=form.cleaned_data["setting"],
                consent_confirmed=form.cleaned_data["consent_confirmed"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("youth-session-detail", session.pk)
    return render(request, "surveys/sessions/new.html", {"survey": survey, "form": form})


@login_required
def youth_session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = permissions.access_youth_session_for_user(_may_start(request), session_id)
    return render(
        request,
        "surveys/sessions/detail.html",
        {
            "session": session,
            "survey": session.survey,
            "is_open": youth_sessions.session_is_open(session),
            "address": site_link("young-code"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def youth_session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    session = permissions.access_youth_session_for_user(_may_start(request), session_id)
    if request.method == "POST":
        youth_sessions.youth_session_end(session=session)
        messages.success(
            request,
            _("The session at %(setting)s has ended: its code no longer starts the survey.")
            % {"setting": session.setting},
        )
        return redirect("youth-session-list")
    return render(
        request, "surveys/sessions/end.html", {"session": session, "survey": session.survey}
    )
