"""The progress of a scrutiny's audits (a selector): per case file, how many of its audits are
not started, in draft, submitted, moderated and overdue, and the case file's stage in words.

An audit submitted after its case file was moderated counts as submitted, not moderated: the
meeting has not seen it, and the case file's moderation is stale until recorded again
(audits/moderation_sheet.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q

from audits.models import CaseFile, Moderation
from scrutiny.models import Response, Scrutiny


@dataclass(frozen=True)
class ProgressCounts:
    assignments: int = 0
    not_started: int = 0
    draft: int = 0
    submitted: int = 0  # submitted, not yet moderated (or submitted since the moderation)
    moderated: int = 0
    overdue: int = 0  # due before today and not submitted (a subset of not started and draft)

    def __add__(self, other: ProgressCounts) -> ProgressCounts:
        return ProgressCounts(
            *(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__)
        )


@dataclass(frozen=True)
class CaseProgress:
    case_id: int
    position: int
    case_ref: str
    group: str
    area: str
    counts: ProgressCounts
    moderated_at: dt.datetime | None

    @property
    def stale(self) -> bool:
        """Moderated, and an audit has been submitted since: moderate again to take it in."""
        return self.moderated_at is not None and self.counts.submitted > 0

    @property
    def status(self) -> str:
        """The case file's stage, in words."""
        counts = self.counts
        if self.stale:
            return "New audits since moderation: moderate again"
        if self.moderated_at is not None:
            return "Moderated"
        if counts.assignments == 0:
            return "No agencies assigned"
        if counts.submitted + counts.moderated == counts.assignments:
            return "Ready to moderate"
        if counts.not_started == counts.assignments:
            return "Not started"
        return "In progress"


@dataclass(frozen=True)
class AuditProgress:
    cases: tuple[CaseProgress, ...]
    totals: ProgressCounts

    @property
    def cases_moderated(self) -> int:
        return sum(1 for case in self.cases if case.moderated_at is not None)

    @property
    def cases_stale(self) -> int:
        return sum(1 for case in self.cases if case.stale)


def audit_progress(*, scrutiny: Scrutiny, today: dt.date) -> AuditProgress:
    """Per case file of the scrutiny's sample, how many of its audits are in each state, and
    the totals. One query, however many case files and audits."""
    submitted = Q(assignments__response__status=Response.Status.SUBMITTED)
    # Taken in by the moderation: submitted by the time the agreed answers were recorded.
    taken_in = Q(moderation__agreed_response__isnull=False) & Q(
        assignments__response__submitted_at__lte=F("moderation__moderated_at")
    )
    waiting = (
        Q(moderation__agreed_response__isnull=True)
        | Q(moderation__moderated_at__isnull=True)
        | Q(assignments__response__submitted_at__gt=F("moderation__moderated_at"))
    )
    not_submitted = Q(assignments__response__isnull=True) | Q(
        assignments__response__status=Response.Status.DRAFT
    )
    rows = (
        CaseFile.objects.filter(sample__scrutiny=scrutiny)
        .annotate(
            n_all=Count("assignments", distinct=True),
            n_not_started=Count(
                "assignments", filter=Q(assignments__response__isnull=True), distinct=True
            ),
            n_draft=Count(
                "assignments",
                filter=Q(assignments__response__status=Response.Status.DRAFT),
                distinct=True,
            ),
            n_submitted=Count("assignments", filter=submitted & waiting, distinct=True),
            n_moderated=Count("assignments", filter=submitted & taken_in, distinct=True),
            n_overdue=Count(
                "assignments",
                filter=not_submitted & Q(assignments__due__lt=today),
                distinct=True,
            ),
        )
        .select_related("area", "moderation")
        .order_by("position", "pk")
    )
    cases = tuple(
        CaseProgress(
            case_id=row.pk,
            position=row.position,
            case_ref=row.case_ref,
            group=row.group,
            area=row.area.code if row.area else "",
            counts=ProgressCounts(
                row.n_all,
                row.n_not_started,
                row.n_draft,
                row.n_submitted,
                row.n_moderated,
                row.n_overdue,
            ),
            moderated_at=_moderated_at(row),
        )
        for row in rows
    )
    return AuditProgress(cases=cases, totals=sum((c.counts for c in cases), ProgressCounts()))


def _moderated_at(case: CaseFile) -> dt.datetime | None:
    try:
        moderation = case.moderation
    except Moderation.DoesNotExist:
        return None
    return moderation.moderated_at if moderation.agreed_response_id else None
