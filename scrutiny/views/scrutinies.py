"""Pages for setting up a scrutiny, reading and previewing its instruments, and workbooks.

The business unit and the scrutineer configure; board members read lists, details, instrument
structure and previews; anyone else gets a 404 (scrutiny.permissions). Each view checks
permission, parses, calls one service or selector, and renders or redirects. The builder's pages
(changing an instrument's questions and lists) are in views/instrument_builder.py.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from scrutiny import instrument_builder as builder
from scrutiny import permissions, workbooks
from scrutiny.errors import ApplicationError
from scrutiny.evidence import answers_clean
from scrutiny.forms_scrutinies import (
    InstrumentNewForm,
    ScrutinyForm,
    WorkbookForm,
)
from scrutiny.instruments import (
    CompiledVersion,
    InstrumentDefinition,
    definition_from_version,
    instrument_current_version,
    option_list_is_scored,
    version_compile,
)
from scrutiny.models import Instrument, InstrumentVersion, Question, Response, Scrutiny, User
from scrutiny.questionnaires import InstrumentWizardView, answer_display, values_from_forms
from scrutiny.scrutinies import scrutiny_save

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------------
# Permission-checked fetches


def _to_configure_any(user: Any) -> None:
    if not permissions.can_configure_scrutinies(user):
        if permissions.can_read_scrutinies(user):
            raise PermissionDenied("Only the business unit and the scrutineer set up scrutinies.")
        raise Http404("No such page.")


def instrument_in(scrutiny: Scrutiny, instrument_id: int) -> Instrument:
    instrument = get_object_or_404(Instrument, scrutiny=scrutiny, pk=instrument_id)
    instrument.scrutiny = scrutiny
    return instrument


def current_version(instrument: Instrument) -> InstrumentVersion:
    try:
        return instrument_current_version(instrument)
    except ApplicationError:
        raise Http404("The instrument has no version.") from None


def _partnership_of(user: User) -> Any:
    return permissions.partnership_of(user)


# ---------------------------------------------------------------------------------------------
# Showing errors of services on forms


def _sentence(message: str) -> str:
    message = message.strip()
    if message and not message.startswith("show_if") and message[0].islower():
        message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def _add_application_error(form: Form, exc: ApplicationError, *, field: str | None = None) -> None:
    """An import's errors (each naming sheet, row and column) or a rule's message, on a form."""
    details = exc.extra.get("errors") or []
    headline = exc.message.splitlines()[0] if exc.message else "Something is wrong."
    form.add_error(field, headline)
    for detail in details:
        form.add_error(field, str(detail))


def add_definition_errors(
    form: Form, exc: ApplicationError, *, question_code: str = "", list_name: str = ""
) -> None:
    if not isinstance(exc, builder.DefinitionErrors):
        form.add_error(None, exc.message)
        return
    for error in exc.errors:
        field = builder.error_field(error, question_code=question_code, list_name=list_name)
        if field == "code" and "instrument_code" in form.fields and error.where == "settings":
            field = "instrument_code"
        if field is not None and field in form.fields:
            form.add_error(field, _sentence(error.message))
        else:
            form.add_error(None, _sentence(str(error)))


def posted(request: HttpRequest) -> Any:
    """The posted data, or None to leave a form unbound (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def posted_with_files(request: HttpRequest) -> tuple[Any, Any]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "scrutiny/scrutinies/form_page.html", context)


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
    form = ScrutinyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        partnership = _partnership_of(request.user)  # type: ignore[arg-type]
        if partnership is None:
            raise PermissionDenied("There is no partnership yet: create one in the admin site.")
        try:
            result = scrutiny_save(partnership=partnership, data=form.scrutiny_data())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Scrutiny “{result.scrutiny.title}” is set up.")
            return redirect("scrutiny-detail", slug=result.scrutiny.slug)
    return form_page(
        request,
        {
            "form": form,
            "title": "Set up a scrutiny",
            "intro": "Or upload a scrutiny workbook that holds the settings and success factors.",
            "intro_url": reverse("scrutiny-import"),
            "intro_link": "Upload a scrutiny workbook",
            "submit": "Set up the scrutiny",
            "cancel_url": reverse("scrutiny-list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny_import(request: HttpRequest) -> HttpResponse:
    _to_configure_any(request.user)
    form = WorkbookForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        partnership = _partnership_of(request.user)  # type: ignore[arg-type]
        if partnership is None:
            raise PermissionDenied("There is no partnership yet: create one in the admin site.")
        try:
            result = workbooks.scrutiny_import(
                partnership=partnership, file=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            _add_application_error(form, exc, field="file")
        else:
            title = result.scrutiny.title
            if result.created:
                messages.success(request, f"Scrutiny “{title}” is set up from the workbook.")
            elif result.changed:
                messages.success(request, f"Scrutiny “{title}” is updated from the workbook.")
            else:
                messages.info(request, f"Nothing changed: “{title}” already holds this workbook.")
            return redirect("scrutiny-detail", slug=result.scrutiny.slug)
    return render(
        request,
        "scrutiny/scrutinies/workbook_upload.html",
        {
            "form": form,
            "title": "Upload a scrutiny workbook",
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
                "The settings are saved." if result.changed else "Nothing changed.",
            )
            return redirect("scrutiny-detail", slug=scrutiny.slug)
    return form_page(
        request,
        {
            "form": form,
            "title": f"Settings of {scrutiny.title}",
            "submit": "Save the settings",
            "cancel_url": reverse("scrutiny-detail", args=[scrutiny.slug]),
        },
    )


# ---------------------------------------------------------------------------------------------
# Instruments: import, create, read, export


@login_required
@require_http_methods(["GET", "POST"])
def instrument_import(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    form = WorkbookForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = workbooks.instrument_import(scrutiny=scrutiny, file=form.cleaned_data["file"])
        except ApplicationError as exc:
            _add_application_error(form, exc, field="file")
        else:
            messages.success(request, builder.save_message(result, done="Imported"))
            return redirect(
                "instrument-detail", slug=scrutiny.slug, instrument_id=result.instrument.pk
            )
    return render(
        request,
        "scrutiny/scrutinies/workbook_upload.html",
        {
            "form": form,
            "scrutiny": scrutiny,
            "title": "Upload an instrument workbook",
            "which": "instrument",
            "cancel_url": reverse("scrutiny-detail", args=[scrutiny.slug]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_new(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    form = InstrumentNewForm(
        posted(request),
        factor_codes=list(scrutiny.factors.values_list("code", flat=True)),
        initial={"section": "About you"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = builder.instrument_create(
                scrutiny=scrutiny,
                code=form.cleaned_data["instrument_code"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                question=form.question(),
                option_list=form.option_list(),
            )
        except ApplicationError as exc:
            add_definition_errors(form, exc, question_code=form.cleaned_data["code"], list_name="")
        else:
            messages.success(request, builder.save_message(result))
            return redirect(
                "instrument-detail", slug=scrutiny.slug, instrument_id=result.instrument.pk
            )
    return form_page(
        request,
        {
            "form": form,
            "scrutiny": scrutiny,
            "title": "Add an instrument",
            "intro": "An instrument is saved with its first question; add the others next. "
            "Or upload an instrument workbook.",
            "intro_url": reverse("instrument-import", args=[scrutiny.slug]),
            "intro_link": "Upload an instrument workbook",
            "submit": "Add the instrument",
            "cancel_url": reverse("scrutiny-detail", args=[scrutiny.slug]),
        },
    )


@login_required
def instrument_detail(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    versions = builder.instrument_versions(instrument=instrument)
    if not versions:
        raise Http404("The instrument has no version.")
    current = versions[0]
    definition = definition_from_version(current)
    used_by: dict[str, list[str]] = {}
    for question in definition.questions:
        if question.options:
            used_by.setdefault(question.options, []).append(question.code)
    return render(
        request,
        "scrutiny/scrutinies/instrument_detail.html",
        {
            "scrutiny": scrutiny,
            "instrument": instrument,
            "current": current,
            "versions": versions,
            "definition": definition,
            "pages": _page_rows(definition),
            "option_lists": [
                {
                    "name": name,
                    "options": options,
                    "used_by": used_by.get(name, []),
                }
                for name, options in definition.option_lists.items()
            ],
            "can_configure": permissions.can_configure_scrutinies(request.user),
            "based_on": current.definition_sha256,
        },
    )


def _page_rows(definition: InstrumentDefinition) -> list[dict[str, Any]]:
    types = dict(Question.Type.choices)
    pages = []
    for page in builder.definition_pages(definition):
        last = len(page.questions) - 1
        rows = [
            {
                "q": q,
                "type": types.get(q.type, q.type),
                "scored": q.type == Question.Type.SINGLE
                and option_list_is_scored(definition.option_lists.get(q.options, ())),
                "first": i == 0,
                "last": i == last,
            }
            for i, q in enumerate(page.questions)
        ]
        pages.append({"title": page.title, "questions": rows})
    return pages


def _safe_filename(*parts: str) -> str:
    name = "-".join(re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-.") for part in parts)
    return (name or "instrument")[:150] + ".xlsx"


@login_required
def instrument_workbook(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404("No such version.")
        version = get_object_or_404(InstrumentVersion, instrument=instrument, number=int(number))
    else:
        version = current_version(instrument)
    workbook = workbooks.instrument_to_workbook(definition_from_version(version))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = _safe_filename(scrutiny.slug, instrument.code, f"v{version.number}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def responses_import(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    current = current_version(instrument)
    form = WorkbookForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = workbooks.responses_import(
                instrument=instrument,
                file=form.cleaned_data["file"],
                user=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            _add_application_error(form, exc, field="file")
        else:
            messages.success(
                request,
                f"Responses imported to {instrument.code} version {current.number}: "
                f"{result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged.",
            )
            return redirect("instrument-detail", slug=scrutiny.slug, instrument_id=instrument.pk)
    return render(
        request,
        "scrutiny/scrutinies/workbook_upload.html",
        {
            "form": form,
            "scrutiny": scrutiny,
            "instrument": instrument,
            "current": current,
            "title": f"Upload responses to {instrument.code}",
            "which": "responses",
            "cancel_url": reverse("instrument-detail", args=[scrutiny.slug, instrument.pk]),
        },
    )


# ---------------------------------------------------------------------------------------------
# Preview: the respondent's pages, answers never saved


@method_decorator(login_required, name="dispatch")
class InstrumentPreview(InstrumentWizardView):
    """The pages a respondent sees, built by the one engine. Writes no Response: the answers
    live in this browser session only and are dropped at the end."""

    template_name = "scrutiny/scrutinies/instrument_preview.html"

    def get_compiled(self) -> CompiledVersion:
        scrutiny = permissions.access_scrutiny_for_user(self.request.user, self.kwargs["slug"])
        self.scrutiny = scrutiny
        self.instrument = instrument_in(scrutiny, self.kwargs["instrument_id"])
        return version_compile(current_version(self.instrument))

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"instrument_preview_{self.compiled.version_id}"

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context.update(scrutiny=self.scrutiny, instrument=self.instrument)
        return context

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        values = values_from_forms(form_list)
        # The same check a submission gets, without writing anything.
        _, errors = answers_clean(self.compiled, values, complete=True)
        return render(
            self.request,
            "scrutiny/scrutinies/instrument_preview_done.html",
            {
                "scrutiny": self.scrutiny,
                "instrument": self.instrument,
                "compiled": self.compiled,
                "answers": answer_display(self.compiled, values),
                "errors": list(errors.values()),
            },
        )


instrument_preview = InstrumentPreview.as_view()
