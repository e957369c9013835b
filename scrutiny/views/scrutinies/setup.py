"""Pages of the scrutinies: the list, setting one up (by form or by workbook), its page and its
settings.

The business unit and the scrutineer configure; board members read lists and details; anyone
else gets a 404 (scrutiny.permissions). Each view checks permission, parses, calls one service or
selector, and renders or redirects.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from scrutiny import imports, permissions
from scrutiny import instrument_builder as builder
from scrutiny.errors import ApplicationError
from scrutiny.forms_scrutinies import ScrutinyForm, WorkbookForm
from scrutiny.models import Response, User
from scrutiny.scrutinies import scrutiny_save
from scrutiny.views.scrutinies.form_pages import form_page, posted, posted_with_files


def _to_configure_any(user: permissions.AnyUser) -> None:
    if not permissions.can_configure_scrutinies(user):
        if permissions.can_read_scrutinies(user):
            raise PermissionDenied("Only the business unit and the scrutineer set up scrutinies.")
        raise Http404("No such page.")


# ---------------------------------------------------------------------------------------------
# Scrutinies


@login_required
def scrutiny_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_read_scrutinies(request.user):
        raise Http404("No such page.")
    responses = (
        Response.objects.filter(scrutiny=OuterRef("pk"))
        .order_by()
        .values("scrutiny")
        .annotate(n=Count("pk"))
        .values("n")
    )
    scrutinies = permissions.scrutinies_visible_to(request.user).annotate(
        instrument_count=Count("instruments"),
        response_count=Coalesce(Subquery(responses), 0),
    )
    return render(
        request,
        "scrutiny/scrutinies/scrutiny_list.html",
        {
            "scrutinies": scrutinies,
            "can_configure": permissions.can_configure_scrutinies(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny_new(request: HttpRequest) -> HttpResponse:
    _to_configure_any(request.user)
    partnership = permissions.partnership_of(request.user)
    if partnership is None:
        raise PermissionDenied("This account belongs to no partnership.")
    form = ScrutinyForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            result = scrutiny_save(partnership=partnership, data=form.scrutiny_data())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("Scrutiny “%(title)s” is set up.") % {"title": result.scrutiny.title},
            )
            return redirect("scrutiny-detail", slug=result.scrutiny.slug)
    return form_page(
        request,
        {
            "form": form,
            "title": gettext("Set up a scrutiny"),
            "intro": gettext(
                "Or upload a scrutiny workbook that holds the settings and success factors."
            ),
            "intro_url": reverse("scrutiny-import"),
            "intro_link": gettext("Upload a scrutiny workbook"),
            "submit": gettext("Set up the scrutiny"),
            "cancel_url": reverse("scrutiny-list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny_import(request: HttpRequest) -> HttpResponse:
    _to_configure_any(request.user)
    form = WorkbookForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        partnership = permissions.partnership_of(request.user)
        if partnership is None:
            raise PermissionDenied("This account belongs to no partnership.")
        assert isinstance(request.user, User)  # one who may configure scrutinies
        # Imported by a job into the person's own partnership (in the request when there is
        # no broker), whose page shows the scrutiny set up or updated, or every problem found.
        job = imports.scrutiny_import_start(
            partnership=partnership, file=form.cleaned_data["file"], user=request.user
        )
        return redirect("job-detail", job_id=job.pk)
    return render(
        request,
        "scrutiny/scrutinies/workbook_upload.html",
        {
            "form": form,
            "title": gettext("Upload a scrutiny workbook"),
            "which": "scrutiny",
            "cancel_url": reverse("scrutiny-list"),
        },
    )


@login_required
def scrutiny_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
    return render(
        request,
        "scrutiny/scrutinies/scrutiny_detail.html",
        {
            "scrutiny": scrutiny,
            "factors": list(scrutiny.factors.all()),
            "instruments": builder.scrutiny_instruments(scrutiny=scrutiny),
            "can_configure": permissions.can_configure_scrutinies(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny_edit(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    form = ScrutinyForm(posted(request), scrutiny=scrutiny)
    if request.method == "POST" and form.is_valid():
        try:
            result = scrutiny_save(partnership=scrutiny.partnership, data=form.scrutiny_data())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("The settings are saved.")
                if result.changed
                else gettext("Nothing changed."),
            )
            return redirect("scrutiny-detail", slug=scrutiny.slug)
    return form_page(
        request,
        {
            "form": form,
            "title": gettext("Settings of %(title)s") % {"title": scrutiny.title},
            "submit": gettext("Save the settings"),
            "cancel_url": reverse("scrutiny-detail", args=[scrutiny.slug]),
        },
    )
