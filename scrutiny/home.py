"""What each person's home page leads with: their role's main task first, then the rest of
what their role may use.

A task is a card: a title linking to its page, a sentence saying what is there (with counts),
and a short list of the person's open items, each one a link. The core builds the tasks it
holds (scrutinies, published results, the action plan); the apps add theirs through their
AppConfigs' `home_tasks(user=...)`, and links for each scrutiny through
`home_scrutiny_links(user=..., scrutiny=...)`, so the core names neither app. Which comes first
is the role's main task (`MAIN_TASKS`). Each list is cut to `SHOWN` rows, so a home page reads
a fixed number of queries however many scrutinies, audits or actions there are; nothing is
written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scrutiny import permissions, permissions_disclosures, permissions_young
from scrutiny.models import Action, Brag, Scrutiny, User
from scrutiny.permissions import AnyUser

SHOWN = 5

# Each role's tasks, its main task first; a task not named here comes after these.
MAIN_TASKS: dict[str, tuple[str, ...]] = {
    # A child's possible disclosure of harm, when there is one, before anything else.
    User.Role.ADMINISTRATOR: ("disclosures", "scrutinies", "published", "plan"),
    User.Role.SCRUTINEER: ("disclosures", "scrutinies", "published", "plan"),
    User.Role.AUDITOR: ("audits",),
    User.Role.AGENCY_LEAD: ("plan", "audits"),
    User.Role.BOARD_MEMBER: ("published", "plan", "questionnaires", "scrutinies"),
    User.Role.PRACTITIONER: ("questionnaires",),
    User.Role.YOUNG_SCRUTINEER: ("young", "published"),
}


@dataclass(frozen=True)
class HomeLink:
    text: str
    url: str
    # Read after the link's words by a screen reader only, where several links of a page say
    # the same ("Surveys" of each scrutiny): whose they are.
    of: str = ""


@dataclass(frozen=True)
class HomeItem:
    """One of the person's open items: a scrutiny in progress, an action to update, a
    questionnaire to answer."""

    text: str
    url: str
    note: str = ""
    links: tuple[HomeLink, ...] = ()


@dataclass(frozen=True)
class HomeTask:
    key: str
    title: str
    url: str
    summary: str
    items: tuple[HomeItem, ...] = ()
    links: tuple[HomeLink, ...] = ()


def _from_apps(hook: str, **kwargs: Any) -> list[Any]:
    answers: list[Any] = []
    for config in apps.get_app_configs():
        provider = getattr(config, hook, None)
        if callable(provider):
            answers.extend(provider(**kwargs))
    return answers


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


# Scrutinies ------------------------------------------------------------------------------------


def _scrutiny_item(user: AnyUser, scrutiny: Scrutiny, *, configure: bool) -> HomeItem:
    """A scrutiny in progress: the scrutineer goes to its workspace, everyone else to its page;
    then the links to its other pages that the person may open."""
    page = HomeLink(_("The scrutiny's page"), reverse("scrutiny-detail", args=[scrutiny.slug]))
    workspace = HomeLink(_("Findings and evidence"), reverse("workspace", args=[scrutiny.slug]))
    first, other = (workspace, page) if permissions.is_scrutineer(user) else (page, workspace)
    links = [other] if configure else []
    links += _from_apps("home_scrutiny_links", user=user, scrutiny=scrutiny)
    return HomeItem(
        text=scrutiny.title,
        url=first.url,
        note=scrutiny.get_status_display(),
        links=tuple(HomeLink(link.text, link.url, scrutiny.title) for link in links),
    )


def _scrutinies_task(user: AnyUser) -> HomeTask:
    in_progress = permissions.scrutinies_visible_to(user).exclude(status=Scrutiny.Status.CLOSED)
    configure = permissions.can_configure_scrutinies(user)
    n = in_progress.count()
    shown = list(in_progress.order_by("-starts", "slug")[:SHOWN]) if n else []
    summary = (
        ngettext("%(n)d scrutiny in progress.", "%(n)d scrutinies in progress.", n) % {"n": n}
        if n
        else _("None in progress.")
    )
    if n > SHOWN:
        summary += " " + _("The %(shown)d newest are here; every scrutiny is on the list.") % {
            "shown": SHOWN
        }
    links = [HomeLink(_("Every scrutiny"), reverse("scrutiny-list"))]
    if configure:
        links.insert(0, HomeLink(_("Set up a scrutiny"), reverse("scrutiny-new")))
    return HomeTask(
        key="scrutinies",
        title=_("Scrutinies"),
        url=reverse("scrutiny-list"),
        summary=summary,
        items=tuple(_scrutiny_item(user, s, configure=configure) for s in shown),
        links=tuple(links),
    )


# Published results and the plan ----------------------------------------------------------------


def _published_task(user: AnyUser) -> HomeTask:
    """The results published to the board, newest first (scrutiny.publishing)."""
    publications = permissions.publications_visible_to(user).defer("snapshot")
    n = publications.count()
    shown = list(publications.order_by("-published_at", "-pk")[:SHOWN]) if n else []
    summary = _(
        "Each scrutiny's scorecard, findings and event pack as published to the board when "
        "its findings were signed off."
    )
    summary += " " + (
        ngettext("%(n)d scrutiny is published.", "%(n)d scrutinies are published.", n) % {"n": n}
        if n
        else _("Nothing is published yet.")
    )
    return HomeTask(
        key="published",
        title=_("Published results"),
        url=reverse("published-list"),
        summary=summary,
        items=tuple(
            HomeItem(
                text=publication.scrutiny.title,
                url=reverse("published-detail", args=[publication.scrutiny.slug]),
                note=_("published on %(day)s") % {"day": _day(publication.published_at)},
            )
            for publication in shown
        ),
    )


def _action_item(action: Action, key: dict[str, str]) -> HomeItem:
    words = key.get(action.status)
    note = f"{action.status.capitalize()}: {words}" if words else action.get_status_display()
    if action.timescale is not None:
        note += _(", due %(day)s") % {"day": date_format(action.timescale, "j F Y")}
    if action.flagged_at is not None:
        note += (
            _(". Flagged: %(reason)s") % {"reason": action.flag_reason}
            if action.flag_reason
            else _(". Flagged")
        )
    return HomeItem(
        text=Truncator(action.text).chars(90),
        url=reverse("plan-action", args=[action.pk]),
        note=note,
    )


def _agency_actions_task(user: User) -> HomeTask:
    """An agency lead's main task: their agency's open actions, to give each an update; those
    flagged as overdue or drifting first, then the soonest due."""
    agency = user.agency.name if user.agency is not None else _("your agency")
    open_actions = permissions.actions_visible_to(user).exclude(status=Brag.BLUE)
    n = open_actions.count()
    order = (F("flagged_at").desc(nulls_last=True), F("timescale").asc(nulls_last=True), "pk")
    shown = list(open_actions.order_by(*order)[:SHOWN]) if n else []
    if n == 1:
        summary = _("One action of %(agency)s is open: give it an update on its progress.")
    elif n:
        summary = _("%(n)d actions of %(agency)s are open: give each an update on its progress.")
    else:
        summary = _("No action of %(agency)s is open in the partnership's delivery plan.")
    summary %= {"n": n, "agency": agency}
    key = user.partnership.brag_key if user.partnership is not None else {}
    return HomeTask(
        key="plan",
        title=_("Your agency's actions"),
        url=reverse("plan"),
        summary=summary,
        items=tuple(_action_item(action, key) for action in shown),
    )


def _plan_task(user: AnyUser) -> HomeTask:
    if permissions.is_agency_lead(user):
        assert isinstance(user, User)
        return _agency_actions_task(user)
    return HomeTask(
        key="plan",
        title=_("Action plan"),
        url=reverse("plan"),
        summary=_(
            "The partnership's delivery plan: priorities, outcomes and actions, with "
            "their BRAG status."
        ),
    )


def _disclosures_task(user: AnyUser) -> HomeTask | None:
    """Children's answers that may be disclosures of harm (scrutiny.disclosure.harm): a card
    only while there are some (one query)."""
    n = permissions_disclosures.disclosures_visible_to(user).filter(review__isnull=True).count()
    if not n:
        return None
    return HomeTask(
        key="disclosures",
        title=_("Possible disclosures"),
        url=reverse("disclosure-list"),
        summary=ngettext(
            "%(n)d possible disclosure to look at: children's answers with words that may mean "
            "they are being harmed.",
            "%(n)d possible disclosures to look at: children's answers with words that may mean "
            "they are being harmed.",
            n,
        )
        % {"n": n},
    )


def _young_task(user: AnyUser) -> HomeTask:
    """A young scrutineer's main task: each published scrutiny, to read and record what they
    saw; for the adults who read it, the young scrutineers' feedback over time."""
    if not permissions_young.is_young_scrutineer(user):
        return HomeTask(
            key="young",
            title=_("Young scrutineers' feedback"),
            url=reverse("young-feedback-results"),
            summary=_(
                "What the young scrutineers told us after each scrutiny: whether the adults "
                "listened, and whether anything changed because of them."
            ),
        )
    publications = permissions.publications_visible_to(user).defer("snapshot")
    shown = list(publications.order_by("-published_at", "-pk")[:SHOWN])
    return HomeTask(
        key="young",
        title=_("Your scrutinies"),
        url=reverse("young-home"),
        summary=_(
            "Read what each scrutiny found, add what you saw or heard, and tell us if we listened."
        )
        + ("" if shown else " " + _("Nothing is published yet.")),
        items=tuple(
            HomeItem(
                text=publication.scrutiny.title,
                url=reverse("young-scrutiny", args=[publication.scrutiny.slug]),
                note=_("published on %(day)s") % {"day": _day(publication.published_at)},
            )
            for publication in shown
        ),
    )


# The home page ---------------------------------------------------------------------------------


def home_tasks(*, user: AnyUser) -> list[HomeTask]:
    """The person's tasks, their role's main task first; none for someone of no role (signed
    out, or the platform's operator)."""
    role = permissions.role_of(user)
    if role is None:
        return []
    tasks: list[HomeTask] = []
    if permissions_disclosures.can_read_disclosures(user):
        tasks += [task for task in (_disclosures_task(user),) if task is not None]
    if permissions.can_read_scrutinies(user):
        tasks.append(_scrutinies_task(user))
    if permissions.can_read_published(user):
        tasks.append(_published_task(user))
    if permissions.can_read_plan(user):
        tasks.append(_plan_task(user))
    if permissions_young.is_young_scrutineer(user) or permissions_young.can_read_young_feedback(
        user
    ):
        tasks.append(_young_task(user))
    tasks += _from_apps("home_tasks", user=user)
    order = MAIN_TASKS.get(role, ())
    rank = {key: i for i, key in enumerate(order)}
    return sorted(tasks, key=lambda task: rank.get(task.key, len(order)))
