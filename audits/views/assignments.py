"""Assigning auditors to the sample's case files (`audit-assign`): one row a case file, an
agency's auditor, the due date and the role; every row chosen is assigned at once, all or none
(audits.assignments), and each auditor is emailed once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from audits import assignments, permissions, selectors
from audits.forms.completion import AssignForm
from audits.models import Assignment
from scrutiny.errors import ApplicationError
from scrutiny.models import User


def _default_due(sample_id: int) -> dt.date:
    """The due date last given for this sample, if still ahead; else four weeks from today."""
    today = timezone.localdate()
    last = (
        Assignment.objects.filter(case__sample_id=sample_id, due__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("due", flat=True)
        .first()
    )
    return last if last and last >= today else today + dt.timedelta(days=28)


@login_required
@require_http_methods(["GET", "POST"])
def audit_assign(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_audits_for_user(request.user, slug)
    assert isinstance(request.user, User)  # one who runs the scrutiny's audits
    sample = selectors.scrutiny_sample(scrutiny=scrutiny)
    context: dict[str, Any] = {"scrutiny": scrutiny, "sample": sample}
    if sample is None:
        return render(request, "audits/completion/assign.html", context)
    sheet = selectors.sample_assignments(sample=sample)
    auditors = selectors.auditor_list(partnership_id=scrutiny.partnership_id)
    for item in sheet:
        item.case.sample = sample
        sample.scrutiny = scrutiny
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        cases=[item.case for item in sheet],
        auditors=auditors,
        default_due=_default_due(sample.pk),
    )
    if request.method == "POST" and form.is_valid():
        requests, fields = form.requests()
        if not requests:
            form.add_error(None, _("Choose an auditor for at least one case file."))
        else:
            try:
                made = assignments.assignments_assign(
                    scrutiny=scrutiny,
                    requests=requests,
                    user=request.user,
                )
            except ApplicationError as exc:
                errors = exc.extra.get("errors") or {}
                if not errors:
                    form.add_error(None, exc.message)
                for index, message in errors.items():
                    form.add_error(fields[int(index)], message)
            else:
                count = len(made)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d audit assigned. Each auditor is emailed once, with a link to "
                        "their audits and no case references.",
                        "%(count)d audits assigned. Each auditor is emailed once, with a link to "
                        "their audits and no case references.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("audit-assign", scrutiny.slug)
    blocks = [
        {
            "case": item.case,
            "rows": item.rows,
            "fields": [
                form[f"c{item.case.pk}-auditor"],
                form[f"c{item.case.pk}-due"],
                form[f"c{item.case.pk}-role"],
            ],
        }
        for item in sheet
    ]
    context.update(form=form, blocks=blocks, auditors=auditors)
    return render(request, "audits/completion/assign.html", context)
