"""Importing a delivery plan into the business plan (WORKBOOKS.md §7): `plan-import` takes the
workbook the partnership publishes (or the one the plan page downloads) and imports it as a job,
whose page shows what was created, updated and left unchanged, or every problem with nothing
changed. Whoever may change the plan may import one (`permissions.access_plan_to_change`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from scrutiny import permissions
from scrutiny.forms_scrutinies import WorkbookForm
from scrutiny.models import User
from scrutiny.plan.brag import key_entries
from scrutiny.plan.importing_job import plan_import_start
from scrutiny.views.scrutinies.form_pages import posted_with_files


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_page(request: HttpRequest) -> HttpResponse:
    partnership = permissions.access_plan_to_change(request.user)
    form = WorkbookForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # one who may change the plan
        job = plan_import_start(
            partnership=partnership, file=form.cleaned_data["file"], user=request.user
        )
        return redirect("job-detail", job_id=job.pk)
    return render(
        request,
        "scrutiny/plan/import.html",
        {"form": form, "partnership": partnership, "key": key_entries(partnership.brag_key)},
    )
