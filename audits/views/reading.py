"""Reading audits: an auditor's own audits, and one audit with its answers and history.

- `audit-mine`: the auditor's own audits with their status in words (the business unit and the
  scrutineer reach it too);
- `audit-detail`: one audit, its answers in words and its trail; reading it is recorded.

Each view checks permission (audits.permissions: a 404 for what the user may not see), calls one
selector, and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from audits import completion, permissions, selectors
from audits.models import AuditEvent
from audits.trail import audit_event_record
from scrutiny.questionnaires import answer_display


@login_required
def audit_mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (permissions.is_auditor(user) or permissions.can_run_audits(user)):
        raise Http404("No such page.")
    return render(
        request,
        "audits/completion/audit_mine.html",
        {
            "rows": selectors.audit_list_for_auditor(user=user),
            "can_run_audits": permissions.can_run_audits(user),
        },
    )


@login_required
def audit_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.access_assignment_for_user(request.user, assignment_id)
    row = selectors.audit_detail(assignment_id=assignment.pk)
    assignment = row.assignment
    answers: list[dict[str, Any]] = []
    if assignment.response is not None:
        compiled = completion.assignment_compiled(assignment)
        answers = answer_display(compiled, completion.audit_values(assignment))
    audit_event_record(
        scrutiny=assignment.case.sample.scrutiny,
        action=AuditEvent.Action.VIEWED,
        user=request.user,
        assignment=assignment,
    )
    own = assignment.auditor_id == request.user.pk
    return render(
        request,
        "audits/completion/detail.html",
        {
            "row": row,
            "assignment": assignment,
            "case": assignment.case,
            "scrutiny": assignment.case.sample.scrutiny,
            "answers": answers,
            "events": selectors.audit_events(assignment=assignment),
            "may_continue": own and row.status not in (selectors.SUBMITTED, selectors.MODERATED),
            "may_reopen": row.status == selectors.SUBMITTED
            and permissions.audit_may_reopen(request.user, assignment),
            "can_run_audits": permissions.can_run_audits(request.user),
        },
    )
