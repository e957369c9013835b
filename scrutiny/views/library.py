"""Reusing instruments: the template library (see what ships with the product, download a
template's workbook, or add it to a scrutiny as it is) and copying an instrument into another
scrutiny."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.forms_library import InstrumentCopyForm, TemplateAddForm
from scrutiny.instruments import instrument_copy
from scrutiny.library import TEMPLATES, template_get, template_import
from scrutiny.models import Instrument, Source

OUTCOMES = {
    "created": "is added",
    "unchanged": "was already there, unchanged",
    "replaced": "is updated",
    "new version": "is saved as a new version (the responses keep theirs)",
}


@login_required
@require_http_methods(["GET", "POST"])
def template_library(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
    can_configure = permissions.can_configure_scrutinies(request.user)
    form = TemplateAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_configure:
            raise Http404("No such page.")
        if form.is_valid():
            try:
                result = template_import(
                    scrutiny=scrutiny,
                    slug=form.cleaned_data["template"],
                    with_factors=form.cleaned_data["with_factors"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    f"{result.instrument.code} {result.instrument.title} "
                    f"{OUTCOMES.get(result.outcome, result.outcome)}.",
                )
                return redirect("scrutiny-detail", slug=scrutiny.slug)
    return render(
        request,
        "scrutiny/scrutinies/library.html",
        {
            "scrutiny": scrutiny,
            "templates": [(t, Source(t.definition.kind).label) for t in TEMPLATES],
            "form": form,
            "can_configure": can_configure,
        },
    )


@login_required
def template_workbook(request: HttpRequest, slug: str, template: str) -> FileResponse:
    permissions.access_scrutiny_for_user(request.user, slug)
    try:
        chosen = template_get(template)
    except ApplicationError:
        raise Http404("No such template.") from None
    return FileResponse(chosen.path.open("rb"), as_attachment=True, filename=chosen.filename)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_copy_page(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = get_object_or_404(Instrument, scrutiny=scrutiny, pk=instrument_id)
    targets = permissions.scrutinies_visible_to(request.user).exclude(pk=scrutiny.pk)
    form = InstrumentCopyForm(
        request.POST if request.method == "POST" else None, scrutinies=targets
    )
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["to_scrutiny"]
        try:
            result = instrument_copy(
                instrument=instrument, to_scrutiny=target, code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"{result.instrument.code} {OUTCOMES.get(result.outcome, result.outcome)} "
                f"in {target.title}.",
            )
            return redirect(
                "instrument-detail", slug=target.slug, instrument_id=result.instrument.pk
            )
    return render(
        request,
        "scrutiny/scrutinies/form_page.html",
        {
            "form": form,
            "scrutiny": scrutiny,
            "instrument": instrument,
            "title": f"Copy {instrument.code} into another scrutiny",
            "submit": "Copy the instrument",
            "cancel_url": reverse("instrument-detail", args=[scrutiny.slug, instrument.pk]),
        },
    )
