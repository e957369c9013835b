"""The audit trail: every view, change, submission, reopening and moderation of an audit,
recorded (`audit_event_record`) and read for a case file (`audit_trail`). What an event's detail
says is kept as data too (`params`), for pages to show it in the reader's language
(audits.trail_words)."""

from __future__ import annotations

from audits.models import Assignment, AuditEvent, CaseFile
from audits.trail_words import TrailLine, words_compose, words_parse
from scrutiny.instruments import version_compile
from scrutiny.models import InstrumentVersion, Scrutiny, User
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
        .select_related("user", "assignment__agency", "assignment__response")
        .order_by("-at", "-pk")
    )


def audit_trail_lines(*, case: CaseFile, language: str) -> list[TrailLine]:
    """The case's trail with each event's detail in `language` (audits.trail_words): a "page N"
    is named by the title of that page in the version of the tool its audit is answered with,
    in `language` where the version offers it. One query for the events, and one for each
    version they name (`version_compile` of a version given by its id; four queries the first
    time this process compiles it)."""
    titles: dict[int, list[str]] = {}
    lines = []
    for event in audit_trail(case=case):
        response = event.assignment.response if event.assignment is not None else None
        version_id = response.version_id if response is not None else 0
        if version_id and version_id not in titles:
            compiled = version_compile(InstrumentVersion(pk=version_id), language=language)
            titles[version_id] = [section.title for section in compiled.sections]
        words = words_compose(event.detail, event.params, titles=titles.get(version_id, ()))
        lines.append(TrailLine(event, words))
    return lines
