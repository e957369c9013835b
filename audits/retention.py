"""The audits' kinds of personal data for a retention run (scrutiny.retention finds
`AuditsConfig.retention_run` through the app registry): audit contributions, case lists and the
audits' own trail of views and changes.

- Contributions: each agency's own audit of a case file, once the scrutiny ended past the
  period. One superseded by a moderated, agreed audit counts in no score (SCORING.md §5), so it
  goes; the agreed audit stays with the findings. One with no agreed audit counts in the scores,
  and one a quote was tagged from is quoted: those stay, and the report says why.
- Case lists: every sampled case reference becomes a neutral label ("Case file 3", its place in
  the sample), on the case file and on the responses that carried it, and the case list's other
  columns go. The draw's record (seed, filters, sizes) stays.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from audits.models import AuditEvent, CaseFile
from scrutiny.models import Partnership, Response
from scrutiny.retention import KEPT, REMOVED, Cutoffs, RetentionLine
from scrutiny.retention.report import ANONYMISED

CASE_LABEL = "Case file {position}"
CASE_LABEL_PATTERN = r"^Case file [0-9]+$"


def contributions_remove(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    contributions = Response.objects.filter(
        scrutiny__partnership=partnership,
        scrutiny__ends__lte=cutoffs.contributions,
        assignment__isnull=False,
        status=Response.Status.SUBMITTED,
    )
    quoted = contributions.filter(answers__quotes__isnull=False).distinct()
    superseded = contributions.filter(superseded_by__isnull=False).exclude(pk__in=quoted)
    removed = superseded.count()
    Response.objects.filter(pk__in=list(superseded.values_list("pk", flat=True))).delete()
    lines = [RetentionLine("contributions", "agencies' own audits", REMOVED, removed)]
    counting = contributions.filter(superseded_by__isnull=True).count()
    if counting:
        reason = "No agreed audit replaces them, so they count in the scores."
        lines.append(RetentionLine("contributions", "agencies' own audits", KEPT, counting, reason))
    if quoted_count := quoted.filter(superseded_by__isnull=False).count():
        reason = "A quote in the findings was tagged from them."
        lines.append(
            RetentionLine("contributions", "agencies' own audits", KEPT, quoted_count, reason)
        )
    return lines


def case_lists_anonymise(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    cases = (
        CaseFile.objects.filter(
            sample__scrutiny__partnership=partnership,
            sample__scrutiny__ends__lte=cutoffs.case_lists,
        )
        .exclude(Q(case_ref__regex=CASE_LABEL_PATTERN) & Q(data={}))
        .select_related("sample")
    )
    relabelled = 0
    for case in cases.order_by("pk"):
        label = CASE_LABEL.format(position=case.position)
        Response.objects.filter(scrutiny_id=case.sample.scrutiny_id, case_ref=case.case_ref).update(
            case_ref=label, updated_at=timezone.now()
        )
        relabelled += CaseFile.objects.filter(pk=case.pk).update(case_ref=label, data={})
    # A reference on a response that named no sampled case file (an imported audit) goes too.
    stray = (
        Response.objects.filter(
            scrutiny__partnership=partnership, scrutiny__ends__lte=cutoffs.case_lists
        )
        .exclude(case_ref="")
        .exclude(case_ref__regex=CASE_LABEL_PATTERN)
        .update(case_ref="", updated_at=timezone.now())
    )
    return [
        RetentionLine("case_lists", "sampled case references", ANONYMISED, relabelled),
        RetentionLine("case_lists", "case references on responses", ANONYMISED, stray),
    ]


def audit_events_expire(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    expired = AuditEvent.objects.filter(
        scrutiny__partnership=partnership, at__lte=cutoffs.trail
    )._expire()
    return [RetentionLine("trail", "audits' trail of views and changes", REMOVED, expired)]


def audits_retention_run(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    return [
        *contributions_remove(partnership=partnership, cutoffs=cutoffs),
        *case_lists_anonymise(partnership=partnership, cutoffs=cutoffs),
        *audit_events_expire(partnership=partnership, cutoffs=cutoffs),
    ]
