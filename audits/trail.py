"""The audit trail: every view, change, submission, reopening and moderation of an audit,
recorded (`audit_event_record`) and read for a case file (`audit_trail`). What an event's detail
says is kept as data too (`params`), for pages to show it in the reader's language
(audits.trail_words)."""

from __future__ import annotations

from audits.models import Assignment, AuditEvent, CaseFile
from audits.trail_words import words_parse
from scrutiny.models import Scrutiny, User
from scrutiny.permissions import AnyUser


def audit_event_record(
    *,
    scrutiny: Scrutiny,
    action: str,
    user: AnyUser | None = None,
    case: CaseFile | None = None,
    assignment: Assignment | None = None,
    detail: str = "",
) -> AuditEvent:
    if assignment is not None and case is None:
        case = assignment.case
    return AuditEvent.objects.create(
        scrutiny=scrutiny,
        action=action,
        user=user if isinstance(user, User) else None,
        case=case,
        assignment=assignment,
        detail=detail,
        params=words_parse(detail),
    )


def audit_trail(*, case: CaseFile) -> list[AuditEvent]:
    """Who viewed, changed, submitted, reopened or moderated the case's audits, newest first
    (one query)."""
    return list(
        AuditEvent.objects.filter(case=case)
        .select_related("user", "assignment__agency")
        .order_by("-at", "-pk")
    )
