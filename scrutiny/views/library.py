"""The template library on the web: see what ships with the product, download a template's
workbook, or add it to a scrutiny as it is."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.library import TEMPLATES, template_get, template_import
from scrutiny.models import Source

OUTCOMES = {
    "created": "is added",
    "unchanged": "was already there, unchanged",
    "replaced": "is updated",
    "new version": "is saved as a new version (the responses keep theirs)",
}


class TemplateAddForm(forms.Form):
    template = forms.ChoiceField(choices=[(t.slug, t.definition.title) for t in TEMPLATES])
    with_factors = forms.TypedChoiceField(
        label="Link its questions to success factors SF1 to SF6?",
        choices=[("yes", "Yes, this scrutiny has those factors"), ("no", "No, I will link them")],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )


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
