"""Reopening a submitted audit (`audit-reopen`), for its auditor to correct it.

The business unit, the scrutineer or the audit's own auditor give the reason, which is kept in
the audit's history; a moderated case file's audits are not reopened (audits.completion), nor by
its auditor an audit whose blind pair's other audit is submitted (audits.permissions).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audits import completion, permissions, selectors
from audits.forms.completion import ReopenForm
from scrutiny.errors import ApplicationError
from scrutiny.models import User


@login_required
@require_http_methods(["GET", "POST"])
def audit_reopen(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.access_assignment_to_reopen(request.user, assignment_id)
    assert isinstance(request.user, User)  # one who may reopen the audit
    row = selectors.audit_detail(assignment_id=assignment.pk)
    if row.status == selectors.MODERATED:
        messages.info(
            request, _("This case file has been moderated: its audits cannot be reopened.")
        )
        return redirect("audit-detail", assignment.pk)
    if row.status != selectors.SUBMITTED:
        messages.info(
            request, _("This audit has not been submitted, so there is nothing to reopen.")
        )
        return redirect("audit-detail", assignment.pk)
    if not permissions.audit_may_reopen(request.user, assignment):
        # Its own auditor, once the other audit of its blind pair is submitted.
        messages.error(request, str(permissions.PAIR_SUBMITTED))
        return redirect("audit-detail", assignment.pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            completion.audit_reopen(
                assignment=row.assignment,
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, _("The audit is reopened: its auditor can change it again."))
            return redirect("audit-detail", assignment.pk)
    return render(
        request,
        "audits/completion/reopen.html",
        {"form": form, "assignment": row.assignment, "case": row.assignment.case},
    )
