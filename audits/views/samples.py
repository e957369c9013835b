"""The sample pages: the scrutiny's sample of case files, and drawing it from a case list.

Drawing takes two steps on one address: upload the case list (.xlsx or .csv), checked whole with
its errors by row on the form, then choose the filters, the column to stratify by, how many per
group, the seed and the audit tool, and draw. Between the steps the case list is kept in the
private uploads folder; the session holds only the kept file's name, the name it was uploaded
with and its checksum (audits.imports.KeptCaseList), never case data. The checksum is repeated in
the second step's form, so that a list replaced in another tab is never drawn from by mistake.
The draw runs as a job (audits.imports), and the page goes to the job's page. Only the business
unit and the scrutineer reach these pages; anyone else gets a 404 (audits.permissions). The
forms are in audits/forms/samples.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audits import imports, samples, selectors
from audits.forms.samples import AuditToolForm, CaseListForm, SampleOptionsForm
from audits.models import Sample
from audits.permissions import access_scrutiny_audits_for_user
from scrutiny.errors import ApplicationError
from scrutiny.models import Instrument, Scrutiny, User
from scrutiny.workbooks.lists import CaseList
from scrutiny.workbooks.reading import normal_name


def _add_application_error(form: forms.Form, exc: ApplicationError, *, field: str | None) -> None:
    """A service's message on a form: its first line, then each error it lists by row."""
    details = exc.extra.get("errors") or []
    form.add_error(field, exc.message.splitlines()[0] if exc.message else "Something is wrong.")
    for detail in details:
        form.add_error(field, str(detail))


# ---------------------------------------------------------------------------------------------
# What the session holds of the kept case list between the two steps: its name, never its data


def _session_key(scrutiny: Scrutiny) -> str:
    return f"audits.sample_upload.{scrutiny.pk}"


def _kept(session: SessionBase, scrutiny: Scrutiny) -> imports.KeptCaseList | None:
    return imports.KeptCaseList.from_session(session.get(_session_key(scrutiny)))


def _kept_load(
    session: SessionBase, scrutiny: Scrutiny
) -> tuple[imports.KeptCaseList, CaseList] | None:
    """The kept case list, read again; None when it is no longer kept (drawn from, or cleaned
    up a day after), so that the page asks for it again (a read: the session is left as it is,
    and the next upload replaces what it names)."""
    kept = _kept(session, scrutiny)
    case_list = imports.case_list_load(kept=kept) if kept is not None else None
    if kept is None or case_list is None:
        return None
    return kept, case_list


def _kept_replace(session: SessionBase, scrutiny: Scrutiny, kept: imports.KeptCaseList) -> None:
    earlier = _kept(session, scrutiny)
    session[_session_key(scrutiny)] = kept.as_session()
    if earlier is not None and earlier.upload != kept.upload:
        imports.case_list_discard(kept=earlier)


# ---------------------------------------------------------------------------------------------
# Pages


def _case_rows(sample: Sample, cases: list[Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns shown besides reference, group and area, and each case's values of them."""
    shown = [c for c in sample.columns if normal_name(c) != "case_ref" and c != sample.by]
    rows = [{"case": case, "values": [case.data.get(c, "") for c in shown]} for case in cases]
    return shown, rows


@login_required
@require_http_methods(["GET", "POST"])
def sample_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = access_scrutiny_audits_for_user(request.user, slug)
    sample = selectors.sample_for_scrutiny(scrutiny=scrutiny)
    if sample is None:
        if request.method == "POST":
            return redirect("audit-sample", slug=scrutiny.slug)
        return render(
            request,
            "audits/samples/sample_detail.html",
            {"scrutiny": scrutiny, "sample": None, "upload_form": CaseListForm()},
        )
    tools = list(selectors.audit_tools(scrutiny=scrutiny))
    started = samples.sample_started(sample=sample)
    tool_form = AuditToolForm(
        request.POST if request.method == "POST" else None,
        tools=tools,
        initial={"instrument": sample.instrument.code if sample.instrument is not None else None},
    )
    if request.method == "POST" and tool_form.is_valid():
        tool = next(t for t in tools if t.code == tool_form.cleaned_data["instrument"])
        try:
            changed = samples.sample_set_instrument(
                sample=sample,
                instrument=tool,
                user=request.user if isinstance(request.user, User) else None,
            )
        except ApplicationError as exc:
            tool_form.add_error("instrument", exc.message)
        else:
            messages.success(
                request,
                _("The audit tool is %(code)s %(title)s.")
                % {"code": tool.code, "title": tool.title}
                if changed
                else _("Nothing changed."),
            )
            return redirect("audit-sample", slug=scrutiny.slug)
    cases = selectors.sample_case_list(sample=sample)
    columns, rows = _case_rows(sample, cases)
    return render(
        request,
        "audits/samples/sample_detail.html",
        {
            "scrutiny": scrutiny,
            "sample": sample,
            "cases": cases,
            "columns": columns,
            "rows": rows,
            "started": started,
            "tools": tools,
            "tool_form": tool_form,
            # Lets the 64-digit checksum wrap on a narrow screen without changing what is copied.
            "sha_chunks": [sample.file_sha256[i : i + 16] for i in range(0, 64, 16)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sample_draw(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = access_scrutiny_audits_for_user(request.user, slug)
    current = selectors.sample_for_scrutiny(scrutiny=scrutiny)
    if current is not None and samples.sample_started(sample=current):
        return render(
            request,
            "audits/samples/sample_closed.html",
            {"scrutiny": scrutiny, "sample": current},
        )
    loaded = _kept_load(request.session, scrutiny)
    step = (request.POST if request.method == "POST" else request.GET).get("step")
    if loaded is None or step == "upload":
        return _upload_step(request, scrutiny, current)
    return _options_step(request, scrutiny, current, *loaded)


def _upload_step(request: HttpRequest, scrutiny: Scrutiny, current: Sample | None) -> HttpResponse:
    is_upload = request.method == "POST" and request.POST.get("step") == "upload"
    form = CaseListForm(*((request.POST, request.FILES) if is_upload else (None, None)))
    if is_upload and form.is_valid():
        try:
            kept = imports.case_list_keep(file=form.cleaned_data["file"])
        except ApplicationError as exc:
            _add_application_error(form, exc, field="file")
        else:
            _kept_replace(request.session, scrutiny, kept)
            return redirect("audit-sample-draw", slug=scrutiny.slug)
    return render(
        request,
        "audits/samples/sample_upload.html",
        {"scrutiny": scrutiny, "sample": current, "form": form},
    )


def _options_step(
    request: HttpRequest,
    scrutiny: Scrutiny,
    current: Sample | None,
    kept: imports.KeptCaseList,
    case_list: CaseList,
) -> HttpResponse:
    tools = list(selectors.audit_tools(scrutiny=scrutiny))
    is_draw = request.method == "POST" and request.POST.get("step") == "draw"
    # Options chosen for another upload (replaced in another tab since) are not drawn with.
    stale = is_draw and request.POST.get("file_sha256") != kept.sha256
    form = SampleOptionsForm(
        request.POST if is_draw and not stale else None,
        case_list=case_list,
        tools=tools,
        current=current,
    )
    if is_draw and not stale and form.is_valid():
        return _draw(request, scrutiny, form, tools, kept)
    return render(
        request,
        "audits/samples/sample_options.html",
        {
            "scrutiny": scrutiny,
            "sample": current,
            "form": form,
            "file_name": kept.file_name,
            "case_list": case_list,
            "cases_count": len(case_list.cases),
            "stale": stale,
        },
    )


def _draw(
    request: HttpRequest,
    scrutiny: Scrutiny,
    form: SampleOptionsForm,
    tools: list[Instrument],
    kept: imports.KeptCaseList,
) -> HttpResponse:
    """Start the draw as a job, and follow it on its page: the case list stays kept until the
    draw finishes, so that a refused draw's options can be changed without uploading again."""
    assert isinstance(request.user, User)  # one who runs the scrutiny's audits
    code = form.cleaned_data.get("instrument") or ""
    job = imports.sample_draw_start(
        scrutiny=scrutiny,
        kept=kept,
        by=form.cleaned_data["by"],
        per=form.cleaned_data["per"],
        seed=form.cleaned_data["seed"],
        filters=form.filters(),
        instrument=next((t for t in tools if t.code == code), None),
        user=request.user,
    )
    return redirect("job-detail", job_id=job.pk)
