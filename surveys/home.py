"""The surveys' part of a person's home page (scrutiny.home finds it through the app registry):
the questionnaires open for the person to answer signed in, and, for each scrutiny in
progress, its surveys' page for those who run them."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scrutiny import permissions as core_permissions
from scrutiny.home import SHOWN, HomeItem, HomeLink, HomeTask
from scrutiny.models import Scrutiny, Source, User
from scrutiny.permissions import AnyUser
from surveys.models import OpenDraft, Survey
from surveys.permissions import (
    can_run_surveys,
    can_start_youth_sessions,
    kinds_answered_signed_in,
    surveys_to_answer_for_user,
    youth_surveys_for_user,
)


def _item(survey: Survey) -> HomeItem:
    note = survey.scrutiny.title
    if survey.closes_at is not None:
        note += _(", open until %(day)s") % {
            "day": date_format(timezone.localtime(survey.closes_at), "j F Y")
        }
    return HomeItem(text=survey.title, url=reverse("answer-list"), note=note)


def _sessions_task(user: AnyUser) -> list[HomeTask]:
    """Children's surveys open now, for those who may run a session of one (one query)."""
    if not can_start_youth_sessions(user):
        return []
    now = timezone.now()
    n = (
        youth_surveys_for_user(user)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now), opens_at__lte=now)
        .count()
    )
    if not n:
        return []
    return [
        HomeTask(
            key="youth-sessions",
            title=_("Children's survey sessions"),
            url=reverse("youth-session-list"),
            summary=ngettext(
                "Run a session with a group of children: %(n)d children's survey is open.",
                "Run a session with a group of children: %(n)d children's surveys are open.",
                n,
            )
            % {"n": n},
        )
    ]


def surveys_home_tasks(*, user: AnyUser) -> list[HomeTask]:
    return _sessions_task(user) + _questionnaire_tasks(user)


def _questionnaire_tasks(user: AnyUser) -> list[HomeTask]:
    """A board member's board questionnaires not yet submitted; the family feedback forms open
    to the rest. The practitioner's (the rights officer's) main task, shown even when none is
    open; for other roles only when one is (two queries)."""
    kinds = kinds_answered_signed_in(user)
    if not kinds:
        return []
    now = timezone.now()
    surveys = surveys_to_answer_for_user(user).filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now), opens_at__lte=now
    )
    board = Source.BOARD_QUESTIONNAIRE in kinds
    if board:
        answered = OpenDraft.objects.filter(
            survey_id=OuterRef("pk"), entered_by_id=user.pk, answered=True
        )
        surveys = surveys.exclude(Exists(answered))
    n = surveys.count()
    if not n and core_permissions.role_of(user) not in (
        User.Role.BOARD_MEMBER,
        User.Role.PRACTITIONER,
    ):
        return []
    shown = (
        list(surveys.order_by(F("closes_at").asc(nulls_last=True), "title")[:SHOWN]) if n else []
    )
    if board:
        title = _("Board questionnaires")
        summary = (
            ngettext(
                "%(n)d questionnaire of the partnership board to answer, by name.",
                "%(n)d questionnaires of the partnership board to answer, by name.",
                n,
            )
            % {"n": n}
            if n
            else _("No board questionnaire is waiting for your answers.")
        )
    else:
        title = _("Family feedback")
        summary = (
            ngettext(
                "Enter what a child or family told you, on their behalf: %(n)d form is open.",
                "Enter what a child or family told you, on their behalf: %(n)d forms are open.",
                n,
            )
            % {"n": n}
            if n
            else _("No family feedback form is open at the moment.")
        )
    return [
        HomeTask(
            key="questionnaires",
            title=title,
            url=reverse("answer-list"),
            summary=summary,
            items=tuple(_item(survey) for survey in shown),
        )
    ]


def surveys_home_scrutiny_links(*, user: AnyUser, scrutiny: Scrutiny) -> list[HomeLink]:
    """A scrutiny's surveys' page, for those who run them (no query)."""
    if not can_run_surveys(user):
        return []
    return [HomeLink(_("Surveys"), reverse("survey-list", args=[scrutiny.slug]))]
