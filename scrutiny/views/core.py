"""Pages of the core: home, agencies, the partnership's public statements, health and jobs.

Each view checks permission, parses, calls one service or selector, and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from scrutiny import jobs, permissions, selectors, services
from scrutiny.errors import ApplicationError
from scrutiny.exports.jobs import EXPORT_KIND
from scrutiny.forms import PartnershipForm
from scrutiny.health import health_check
from scrutiny.home import home_tasks
from scrutiny.imports import (
    INSTRUMENT_IMPORT,
    RESPONSES_IMPORT,
    SCRUTINY_IMPORT,
    app_import_headings,
)
from scrutiny.models import EventPack, Job, Partnership, User


def home(request: HttpRequest) -> HttpResponse:
    # Signed in, one's own partnership (none for the operator); the public see the
    # installation's only one, and none where it hosts several.
    partnership = (
        permissions.partnership_of(request.user)
        if request.user.is_authenticated
        else selectors.partnership_current()
    )
    # The person's tasks, their role's main task first (scrutiny.home).
    tasks = home_tasks(user=request.user)
    return render(
        request,
        "scrutiny/home.html",
        {"partnership": partnership, "main_task": tasks[0] if tasks else None, "tasks": tasks[1:]},
    )


def _statement(request: HttpRequest, which: str, partnership: Partnership | None) -> HttpResponse:
    if partnership is None:
        raise Http404("No such page.")
    return render(request, "scrutiny/statement.html", {"partnership": partnership, "which": which})


def _own_or_only_partnership(request: HttpRequest) -> Partnership | None:
    """The statements' old addresses: the signed-in person's partnership, else the
    installation's only one; none (a 404) where there are several, never a list of them."""
    return permissions.partnership_of(request.user) or selectors.partnership_current()


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return _statement(request, "accessibility", _own_or_only_partnership(request))


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return _statement(request, "privacy", _own_or_only_partnership(request))


def partnership_accessibility(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """A partnership's public accessibility statement, at an address of its own."""
    return _statement(
        request, "accessibility", selectors.partnership_by_slug(slug=partnership_slug)
    )


def partnership_privacy(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """A partnership's public privacy notice, at an address of its own."""
    return _statement(request, "privacy", selectors.partnership_by_slug(slug=partnership_slug))


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest) -> HttpResponse:
    partnership = permissions.access_partnership_to_manage(request.user)
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        services.partnership_update(partnership=partnership, **form.cleaned_data)
        messages.success(request, gettext("The partnership's details are saved."))
        return redirect("partnership-edit")
    return render(request, "scrutiny/partnership_edit.html", {"form": form})


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = permissions.agencies_visible_to(request.user).order_by("code")
    return render(request, "scrutiny/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = permissions.access_agency_for_user(request.user, agency_id)
    people = (
        selectors.agency_people(agency=agency)
        if permissions.can_see_agency_people(request.user, agency)
        else None
    )
    return render(request, "scrutiny/agency_detail.html", {"agency": agency, "people": people})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    result = health_check()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)


@login_required
@require_POST
def selfcheck_start(request: HttpRequest) -> HttpResponse:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied("Only the business unit can check the background workers.")
    assert isinstance(request.user, User)  # the business unit
    job = services.job_start_selfcheck(user=request.user)
    return redirect("job-detail", job_id=job.pk)


@login_required
@never_cache
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = permissions.access_job_for_user(request.user, job_id)
    pack = EventPack.objects.filter(job=job).select_related("scrutiny").first()
    # An app's import (a sample drawn from a case list, an invitation list): its heading from
    # the app, its links in the job's result, so that the core names none of the app's pages.
    app_heading = app_import_headings().get(job.kind, "")
    return render(
        request,
        "scrutiny/job_detail.html",
        {
            "job": job,
            "pack": pack,
            "stalled": jobs.job_stalled(job),
            # Offered on a stalled job; job.js shows it when a running job becomes stalled.
            "can_restart": permissions.can_restart_job(request.user, job),
            "import_kind": _IMPORT_KINDS.get(job.kind) or ("app" if app_heading else ""),
            "heading": _job_heading(job, pack, app_heading),
        },
    )


def _job_heading(job: Job, pack: EventPack | None, app_heading: str) -> str:
    """The job page's heading and title in the reader's language, never the stored kind
    ("responses import"), which is English and a programmer's word."""
    if pack is not None:
        return gettext("Building the event pack")
    return str(_HEADINGS.get(job.kind) or app_heading or gettext("Background work"))


_HEADINGS = {
    "selfcheck": gettext_lazy("Background work check"),
    RESPONSES_IMPORT: gettext_lazy("Importing responses"),
    INSTRUMENT_IMPORT: gettext_lazy("Importing an instrument workbook"),
    SCRUTINY_IMPORT: gettext_lazy("Importing a scrutiny workbook"),
    EXPORT_KIND: gettext_lazy("Exporting responses"),
    "published event pack": gettext_lazy("Building the published pack"),
}


# The core's jobs that import a workbook, by what their page calls them ("app" is an app's).
_IMPORT_KINDS = {
    RESPONSES_IMPORT: "responses",
    INSTRUMENT_IMPORT: "instrument",
    SCRUTINY_IMPORT: "scrutiny",
}


@login_required
@require_POST
def job_restart(request: HttpRequest, job_id: int) -> HttpResponse:
    job = permissions.access_job_for_user(request.user, job_id)
    if not permissions.can_restart_job(request.user, job):
        raise PermissionDenied("Only the person who started this job, or the business unit, can.")
    try:
        jobs.job_restart(job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The job is starting again from the beginning."))
    return redirect("job-detail", job_id=job.pk)
