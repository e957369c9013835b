"""Reads for the sample, assigning and completing audits. Each decides its own joins, so a list
costs a fixed number of queries however many audits or case files it holds.

An audit's status, in words: not started (nothing saved), in draft, submitted, moderated (the
moderation meeting agreed the case file from it), overdue (not submitted and past its due date).
An audit submitted after its case file was moderated is "submitted" until the case file is
moderated again (audits/moderation_sheet.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from audits.models import Assignment, AuditEvent, CaseFile, Moderation, Sample
from audits.permissions import assignments_for_auditor
from scrutiny.errors import ApplicationError
from scrutiny.models import Instrument, Response, Scrutiny, Source, User
from scrutiny.permissions import AnyUser

NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED = "submitted"
MODERATED = "moderated"
OVERDUE = "overdue"

# In English, as the API gives them; marked (gettext_noop) so that pages show them in the active
# language (`{% translate row.status_words %}`).
STATUS_WORDS = {
    NOT_STARTED: gettext_noop("Not started"),
    DRAFT: gettext_noop("In draft"),
    SUBMITTED: gettext_noop("Submitted"),
    MODERATED: gettext_noop("Moderated"),
    OVERDUE: gettext_noop("Overdue"),
}


def _moderated_case() -> Exists:
    """Has the case file's moderation taken this audit in (recorded after it was submitted)?"""
    return Exists(
        Moderation.objects.filter(
            case_id=OuterRef("case_id"),
            moderated_at__gte=OuterRef("response__submitted_at"),
        )
    )


def assignment_status(
    assignment: Assignment, *, moderated: bool, today: dt.date | None = None
) -> str:
    """The audit's status (one of the constants above), from the assignment with its response
    loaded and whether its case file's moderation took it in."""
    today = today or timezone.localdate()
    response = assignment.response
    if response is not None and response.status == Response.Status.SUBMITTED:
        if moderated:
            return MODERATED
        return SUBMITTED
    if assignment.due is not None and assignment.due < today:
        return OVERDUE
    return DRAFT if response is not None else NOT_STARTED


@dataclass(frozen=True)
class AuditRow:
    assignment: Assignment
    status: str

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


def audit_list_for_auditor(*, user: AnyUser) -> list[AuditRow]:
    """The audits assigned to this person, soonest due first, with their status (one query)."""
    rows = (
        assignments_for_auditor(user)
        .select_related("case__sample__scrutiny", "agency", "response")
        .annotate(case_moderated=_moderated_case())
        .order_by(F("due").asc(nulls_last=True), "case__sample_id", "case__position", "pk")
    )
    today = timezone.localdate()
    return [
        AuditRow(row, assignment_status(row, moderated=row.case_moderated, today=today))
        for row in rows
    ]


def audit_detail(*, assignment_id: int) -> AuditRow:
    """One audit with its case, agency, auditor and response, and its status (one query)."""
    row = (
        Assignment.objects.select_related("case__sample__scrutiny", "agency", "auditor", "response")
        .annotate(case_moderated=_moderated_case())
        .get(pk=assignment_id)
    )
    return AuditRow(row, assignment_status(row, moderated=row.case_moderated))


def audit_events(*, assignment: Assignment) -> QuerySet[AuditEvent]:
    """The audit's history, newest first (one query)."""
    return (
        AuditEvent.objects.filter(assignment=assignment)
        .select_related("user")
        .order_by("-at", "-pk")
    )


# The assignment page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseAssignments:
    case: CaseFile
    rows: list[AuditRow]


def scrutiny_sample(*, scrutiny: Scrutiny) -> Sample | None:
    return Sample.objects.filter(scrutiny=scrutiny).select_related("instrument").first()


def sample_assignments(*, sample: Sample) -> list[CaseAssignments]:
    """Every sampled case file in order, each with its assignments (two queries)."""
    assignments = (
        Assignment.objects.select_related("agency", "auditor", "response")
        .annotate(case_moderated=_moderated_case())
        .order_by("agency__code", "role")
    )
    cases = (
        CaseFile.objects.filter(sample=sample)
        .select_related("area")
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="assignment_list"))
        .order_by("position")
    )
    today = timezone.localdate()
    return [
        CaseAssignments(
            case,
            [
                AuditRow(a, assignment_status(a, moderated=a.case_moderated, today=today))
                for a in case.assignment_list
            ],
        )
        for case in cases
    ]


def auditor_list(*, partnership_id: int) -> list[User]:
    """The partnership's active auditors, by agency and name, each with its agency (one query)."""
    return list(
        User.objects.filter(
            partnership_id=partnership_id,
            role=User.Role.AUDITOR,
            is_active=True,
            agency__isnull=False,
            agency__partnership_id=partnership_id,
        )
        .select_related("agency")
        .order_by("agency__code", "full_name", "email")
    )


# The sample page, the API and manage.py sample ------------------------------------------------


def sample_for_scrutiny(*, scrutiny: Scrutiny) -> Sample | None:
    """The scrutiny's sample with its audit tool and who drew it, or None: one query."""
    sample = (
        Sample.objects.select_related("instrument", "drawn_by").filter(scrutiny=scrutiny).first()
    )
    if sample is not None:
        sample.scrutiny = scrutiny
    return sample


def sample_cases() -> QuerySet[CaseFile]:
    """Case files in order, each with its area, `assignment_count` and `started_count`
    (assignments with a response)."""
    return (
        CaseFile.objects.select_related("area")
        .annotate(
            assignment_count=Count("assignments", distinct=True),
            started_count=Count(
                "assignments",
                filter=Q(assignments__response__isnull=False),
                distinct=True,
            ),
        )
        .order_by("position")
    )


def sample_case_list(*, sample: Sample) -> list[CaseFile]:
    """The sample's case files in order, each with its area, `assignment_count` and
    `started_count` (assignments with a response): one query."""
    return list(sample_cases().filter(sample=sample))


def audit_tools(*, scrutiny: Scrutiny) -> QuerySet[Instrument]:
    """The scrutiny's case-file audit tools (instruments of kind file_audit), by code."""
    return Instrument.objects.filter(scrutiny=scrutiny, kind=Source.FILE_AUDIT).order_by("code")


def audit_tool_by_code(*, scrutiny: Scrutiny, code: str) -> Instrument:
    """The scrutiny's audit tool with this code, or an error that lists those there are."""
    instrument = Instrument.objects.filter(scrutiny=scrutiny, code=code).first()
    if instrument is None:
        codes = list(audit_tools(scrutiny=scrutiny).values_list("code", flat=True))
        known = ", ".join(codes) if codes else "none yet: add an instrument of kind file_audit"
        raise ApplicationError(
            f"{scrutiny.title} has no instrument {code!r}. Its case-file audit tools: {known}."
        )
    instrument.scrutiny = scrutiny
    return instrument


def sample_document(*, sample: Sample) -> dict[str, Any]:
    """The sample as `manage.py sample --json` prints it (CLI.md): cases grouped in the order
    their groups first appear in the file. One query."""
    cases = (
        CaseFile.objects.filter(sample=sample).order_by("position").values_list("case_ref", "group")
    )
    return {
        "scrutiny": sample.scrutiny.slug,
        "seed": sample.seed,
        "by": sample.by,
        "per": sample.per,
        "file_sha256": sample.file_sha256,
        "cases": [{"case_ref": ref, "group": group} for ref, group in cases],
    }
