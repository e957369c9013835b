"""The audit trail: every view, change, submission, reopening and moderation of an audit."""

from __future__ import annotations

from audits.models import Assignment, AuditEvent, CaseFile
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
    )
