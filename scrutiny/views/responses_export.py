"""The instrument's responses export for analysts (scrutiny.exports): a page to start one, see
it progress, and download it. For those who may read the API's responses (the business unit and
the scrutineer: 403 for the scrutiny's other readers, 404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.exports.jobs import EXPORT_KIND, responses_export_file, responses_export_start
from scrutiny.forms_exports import ResponsesExportForm
from scrutiny.models import User
from scrutiny.views.scrutinies.instruments import instrument_in

SHOWN = 5  # the person's latest exports of the instrument listed on the page


@login_required
@require_http_methods(["GET", "POST"])
def responses_export(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    form = ResponsesExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        responses_export_start(
            instrument=instrument,
            user=request.user,
            fmt=form.cleaned_data["format"],
            labels=form.cleaned_data["options"] == "labels",
        )
        return redirect("instrument-responses-export", scrutiny.slug, instrument.pk)
    exports = list(
        permissions.jobs_visible_to(request.user)
        .filter(
            kind=EXPORT_KIND,
            created_by_id=request.user.pk,
            arguments__instrument_id=instrument.pk,
        )
        .order_by("-created_at")[:SHOWN]
    )
    return render(
        request,
        "scrutiny/scrutinies/responses_export.html",
        {
            "form": form,
            "scrutiny": scrutiny,
            "instrument": instrument,
            "exports": exports,
            "following": next((job for job in exports if not job.is_finished), None),
            "title": gettext("Export responses to %(code)s") % {"code": instrument.code},
            "cancel_url": reverse("instrument-detail", args=[scrutiny.slug, instrument.pk]),
        },
    )


@login_required
def responses_export_download(
    request: HttpRequest, slug: str, instrument_id: int, job_id: int
) -> HttpResponse | FileResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    job = permissions.access_job_for_user(request.user, job_id)
    try:
        name = responses_export_file(job, instrument)
    except ApplicationError as exc:
        # A link to an export not finished, or deleted since: the page says so, and offers it.
        messages.error(request, exc.message)
        return redirect("instrument-responses-export", scrutiny.slug, instrument.pk)
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1]
    )
