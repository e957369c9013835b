"""Reading audits: an auditor's own audits, and one audit with its answers and history.

- `audit-mine`: the auditor's own audits with their status in words (the business unit and the
  scrutineer reach it too);
- `audit-detail`: one audit, its answers in words and its trail (in the reader's language:
  audits.trail_words); reading it is recorded.

Each view checks permission (audits.permissions: a 404 for what the user may not see), calls one
selector, and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from audits import completion, permissions, selectors
from audits.models import AuditEvent
from audits.trail import audit_event_record
from audits.trail_words import trail_lines
from scrutiny.instruments import CompiledVersion, version_compile
from scrutiny.models import InstrumentVersion
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
    titles: list[str] = []
    if assignment.response is not None:
        compiled = _in_reader_language(completion.assignment_compiled(assignment))
        answers = answer_display(compiled, completion.audit_values(assignment))
        titles = [section.title for section in compiled.sections]
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
            "events": trail_lines(selectors.audit_events(assignment=assignment), titles=titles),
            "may_continue": own and row.status not in (selectors.SUBMITTED, selectors.MODERATED),
            "may_reopen": row.status == selectors.SUBMITTED
            and permissions.audit_may_reopen(request.user, assignment),
            "can_run_audits": permissions.can_run_audits(request.user),
        },
    )


def _in_reader_language(compiled: CompiledVersion) -> CompiledVersion:
    """The audit's tool in the page's language where the tool offers it (its answers and the
    trail's "resumes at page N"): compiled again only when the page's language is another one
    the tool offers. The answers' values, and so the scores, are the same in either language."""
    language = translation.get_language() or ""
    if compiled.offers(language) and compiled.language != language:
        return version_compile(InstrumentVersion(pk=compiled.version_id), language=language)
    return compiled
