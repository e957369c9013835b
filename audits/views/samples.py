"""The sample pages: the scrutiny's sample of case files, and drawing it from a case list.

Drawing takes two steps on one address: upload the case list (.xlsx or .csv), then choose the
filters, the column to stratify by, how many per group, the seed and the audit tool, and draw.
Between the steps the uploaded file is kept in the session (its bytes, base64), with its
checksum repeated in the second step's form, so that a list replaced in another tab is never
drawn from by mistake. Only the business unit and the scrutineer reach these pages; anyone
else gets a 404 (audits.permissions). The forms are in audits/forms/samples.py.
"""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audits import samples, selectors
from audits.forms.samples import AuditToolForm, CaseListForm, SampleOptionsForm
from audits.models import Sample
from audits.permissions import access_scrutiny_audits_for_user
from scrutiny.errors import ApplicationError
from scrutiny.models import Instrument, Scrutiny, User
from scrutiny.workbooks.lists import (
    case_list_read,
    list_sha256,
    list_upload_content,
)
from scrutiny.workbooks.reading import normal_name


def _add_application_error(form: forms.Form, exc: ApplicationError, *, field: str | None) -> None:
    """A service's message on a form: its first line, then each error it lists by row."""
    details = exc.extra.get("errors") or []
    form.add_error(field, exc.message.splitlines()[0] if exc.message else "Something is wrong.")
    for detail in details:
        form.add_error(field, str(detail))


# ---------------------------------------------------------------------------------------------
# The upload kept in the session between the two steps


def _session_key(scrutiny: Scrutiny) -> str:
    return f"audits.sample_upload.{scrutiny.pk}"


def _upload_keep(session: SessionBase, scrutiny: Scrutiny, name: str, content: bytes) -> None:
    session[_session_key(scrutiny)] = {
        "name": name,
        "sha256": list_sha256(content),
        "content": base64.b64encode(content).decode("ascii"),
    }


def _upload_load(session: SessionBase, scrutiny: Scrutiny) -> tuple[str, bytes] | None:
    kept = session.get(_session_key(scrutiny))
    if not isinstance(kept, dict):
        return None
    try:
        content = base64.b64decode(kept["content"], validate=True)
    except (KeyError, TypeError, ValueError):
        return None
    if list_sha256(content) != kept.get("sha256"):
        return None
    return str(kept.get("name") or "case list"), content


def _upload_forget(session: SessionBase, scrutiny: Scrutiny) -> None:
    session.pop(_session_key(scrutiny), None)


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
                f"The audit tool is {tool.code} {tool.title}." if changed else "Nothing changed.",
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
    upload = _upload_load(request.session, scrutiny)
    step = (request.POST if request.method == "POST" else request.GET).get("step")
    if upload is None or step == "upload":
        return _upload_step(request, scrutiny, current)
    return _options_step(request, scrutiny, current, upload)


def _upload_step(request: HttpRequest, scrutiny: Scrutiny, current: Sample | None) -> HttpResponse:
    is_upload = request.method == "POST" and request.POST.get("step") == "upload"
    form = CaseListForm(*((request.POST, request.FILES) if is_upload else (None, None)))
    if is_upload and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            content = list_upload_content(file)
            case_list_read(content=content, file_name=file.name)
        except ApplicationError as exc:
            _add_application_error(form, exc, field="file")
        else:
            _upload_keep(request.session, scrutiny, file.name, content)
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
    upload: tuple[str, bytes],
) -> HttpResponse:
    file_name, content = upload
    try:
        case_list = case_list_read(content=content, file_name=file_name)
    except ApplicationError:
        _upload_forget(request.session, scrutiny)
        return redirect("audit-sample-draw", slug=scrutiny.slug)
    tools = list(selectors.audit_tools(scrutiny=scrutiny))
    is_draw = request.method == "POST" and request.POST.get("step") == "draw"
    # Options chosen for another upload (replaced in another tab since) are not drawn with.
    stale = is_draw and request.POST.get("file_sha256") != case_list.file_sha256
    form = SampleOptionsForm(
        request.POST if is_draw and not stale else None,
        case_list=case_list,
        tools=tools,
        current=current,
    )
    if is_draw and not stale and form.is_valid():
        response = _draw(request, scrutiny, form, tools, file_name, content)
        if response is not None:
            return response
    return render(
        request,
        "audits/samples/sample_options.html",
        {
            "scrutiny": scrutiny,
            "sample": current,
            "form": form,
            "file_name": file_name,
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
    file_name: str,
    content: bytes,
) -> HttpResponse | None:
    code = form.cleaned_data.get("instrument") or ""
    tool = next((t for t in tools if t.code == code), None)
    try:
        result = samples.sample_draw(
            scrutiny=scrutiny,
            file_name=file_name,
            content=content,
            by=form.cleaned_data["by"],
            per=form.cleaned_data["per"],
            seed=form.cleaned_data["seed"],
            filters=form.filters(),
            instrument=tool,
            user=request.user if isinstance(request.user, User) else None,
        )
    except ApplicationError as exc:
        _add_application_error(form, exc, field=None)
        return None
    _upload_forget(request.session, scrutiny)
    messages.success(request, _draw_message(result))
    return redirect("audit-sample", slug=scrutiny.slug)


def _draw_message(result: samples.SampleDrawResult) -> str:
    sample = result.sample
    if not result.drawn:
        message = "Nothing changed: the sample was already drawn from this file with these options."
        return message + (" The audit tool is saved." if result.instrument_changed else "")
    n = sample.cases.count()
    message = (
        f"Drew {n} case file{'s' if n != 1 else ''} of {sample.population}: {sample.per} per "
        f"{sample.by}, seed {sample.seed}."
    )
    if result.replaced:
        message += " It replaces the earlier draw"
        removed = result.assignments_removed
        if removed:
            message += f" and its {removed} assignment{'s' if removed != 1 else ''}"
        message += "."
    return message
