"""Pages of an instrument: import one from a workbook, add one with its first question, read
it, export it, import its responses, and preview it as a respondent sees it.

Board members read an instrument's structure and preview it; the business unit and the
scrutineer also import and add. `instrument_in` and `current_version`, the fetches of an
instrument of a scrutiny, are shared with the builder's pages (views/instrument_builder.py).
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from scrutiny import imports, permissions, workbooks
from scrutiny import instrument_builder as builder
from scrutiny.errors import ApplicationError
from scrutiny.evidence import answers_clean
from scrutiny.forms_instruments import InstrumentNewForm
from scrutiny.forms_returns import ColumnMapForm, ResponsesFileForm, map_token, map_token_read
from scrutiny.forms_scrutinies import WorkbookForm
from scrutiny.imports.responses import responses_import_queue, upload_suffix
from scrutiny.imports.uploads import upload_delete, upload_path, upload_save
from scrutiny.instruments import (
    CompiledVersion,
    InstrumentDefinition,
    definition_from_version,
    instrument_current_version,
    option_list_is_scored,
    version_compile,
)
from scrutiny.models import Instrument, InstrumentVersion, Question, Scrutiny, User
from scrutiny.questionnaires import InstrumentWizardView, answer_display, values_from_forms
from scrutiny.views.addresses import number_in_address
from scrutiny.views.scrutinies.form_pages import (
    add_definition_errors,
    form_page,
    posted,
    posted_with_files,
)
from scrutiny.workbooks.responses import responses_columns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------------
# Permission-checked fetches


def instrument_in(scrutiny: Scrutiny, instrument_id: int) -> Instrument:
    instrument = get_object_or_404(Instrument, scrutiny=scrutiny, pk=instrument_id)
    instrument.scrutiny = scrutiny
    return instrument


def current_version(instrument: Instrument) -> InstrumentVersion:
    try:
        return instrument_current_version(instrument)
    except ApplicationError:
        raise Http404("The instrument has no version.") from None


# ---------------------------------------------------------------------------------------------
# Instruments: import, create, read, export


@login_required
@require_http_methods(["GET", "POST"])
def instrument_import(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    form = WorkbookForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        # Imported by a job (in the request when there is no broker), whose page shows the
        # instrument made or updated, or every problem found.
        job = imports.instrument_import_start(
            scrutiny=scrutiny, file=form.cleaned_data["file"], user=request.user
        )
        return redirect("job-detail", job_id=job.pk)
    return render(
        request,
        "scrutiny/scrutinies/workbook_upload.html",
        {
            "form": form,
            "scrutiny": scrutiny,
            "title": gettext("Upload an instrument workbook"),
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
            "title": gettext("Add an instrument"),
            "intro": gettext(
                "An instrument is saved with its first question; add the others next. "
                "Or upload an instrument workbook."
            ),
            "intro_url": reverse("instrument-import", args=[scrutiny.slug]),
            "intro_link": gettext("Upload an instrument workbook"),
            "submit": gettext("Add the instrument"),
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
        version = get_object_or_404(
            InstrumentVersion,
            instrument=instrument,
            number=number_in_address(number, unknown="No such version."),
        )
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
    """Upload a responses file (WORKBOOKS.md §3, §5). A file whose columns all match, with no
    personal data, is imported straight away; otherwise its columns that match nothing are
    shown for a map, and the personal-data columns that will be dropped are named, first."""
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    current = current_version(instrument)
    assert isinstance(request.user, User)  # one who may configure the scrutiny
    if request.method == "POST" and "token" in request.POST:
        return _responses_map(request, instrument, current)
    form = ResponsesFileForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = upload_save(file, suffix=upload_suffix(file))
        try:
            columns = responses_columns(instrument=instrument, file=upload_path(upload))
        except ApplicationError as exc:
            upload_delete(upload)
            form.add_error("file", exc.message)
        else:
            if not columns.unmatched and not columns.dropped:
                # A large file takes longer than a request may: it is imported by a job, whose
                # page shows its progress, then the rows imported or every problem found.
                job = responses_import_queue(
                    instrument=instrument, upload=upload, user=request.user
                )
                return redirect("job-detail", job_id=job.pk)
            token = map_token(
                upload=upload,
                instrument_id=instrument.pk,
                user_id=request.user.pk,
                columns=columns.unmatched,
            )
            map_form = ColumnMapForm(
                initial={"token": token},
                columns=columns.unmatched,
                compiled=version_compile(current),
            )
            return _responses_map_page(request, instrument, map_form, columns.dropped)
    return render(
        request,
        "scrutiny/scrutinies/workbook_upload.html",
        {
            "form": form,
            "scrutiny": instrument.scrutiny,
            "instrument": instrument,
            "current": current,
            "title": gettext("Upload responses to %(code)s") % {"code": instrument.code},
            "which": "responses",
            "cancel_url": reverse(
                "instrument-detail", args=[instrument.scrutiny.slug, instrument.pk]
            ),
        },
    )


def _responses_map(
    request: HttpRequest, instrument: Instrument, current: InstrumentVersion
) -> HttpResponse:
    """The posted map: the import of the kept upload queued with it."""
    assert isinstance(request.user, User)
    kept = map_token_read(
        request.POST.get("token", ""), instrument_id=instrument.pk, user_id=request.user.pk
    )
    if kept is None:
        messages.error(
            request,
            gettext("That upload is no longer kept (or is not yours): upload it again."),
        )
        return redirect("instrument-responses-import", instrument.scrutiny.slug, instrument.pk)
    form = ColumnMapForm(
        request.POST, columns=list(kept["columns"]), compiled=version_compile(current)
    )
    if not form.is_valid():
        dropped = responses_columns(instrument=instrument, file=upload_path(kept["upload"])).dropped
        return _responses_map_page(request, instrument, form, dropped)
    job = responses_import_queue(
        instrument=instrument, upload=kept["upload"], user=request.user, mapping=form.mapping()
    )
    return redirect("job-detail", job_id=job.pk)


def _responses_map_page(
    request: HttpRequest, instrument: Instrument, form: ColumnMapForm, dropped: list[str]
) -> HttpResponse:
    scrutiny = instrument.scrutiny
    return render(
        request,
        "scrutiny/scrutinies/responses_map.html",
        {
            "form": form,
            "scrutiny": scrutiny,
            "instrument": instrument,
            "dropped": dropped,
            "title": gettext("Check the columns of your responses to %(code)s")
            % {"code": instrument.code},
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
