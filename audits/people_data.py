"""What the audits hold about a person, for subject access and erasure (scrutiny.people_data
finds `AuditsConfig.personal_data` and `personal_data_erase` through the app registry).

An auditor's audits, moderations, the samples they drew and the immediate concerns they raised
are the partnership's record of its scrutiny: they stay after erasure, pointing at the
anonymised account. The address is taken out of the words stored (the trail's details, case
list columns, concerns, moderation rationales).
"""

from __future__ import annotations

from audits.models import Assignment, AuditEvent, CaseFile, ImmediateConcern, Moderation, Sample
from scrutiny.models import Partnership, User
from scrutiny.people_data import KEEP_REASON, ErasureLine, HeldSection, text_scrub

REMOVED = "[removed]"


def audits_personal_data(
    *, partnership: Partnership, email: str, user: User | None
) -> list[HeldSection]:
    if user is None:
        return []
    scoped = {"case__sample__scrutiny__partnership": partnership}
    assignments = Assignment.objects.filter(auditor=user, **scoped).select_related(
        "case__sample__scrutiny", "agency"
    )
    concerns = ImmediateConcern.objects.filter(raised_by=user, **scoped).select_related(
        "case__sample__scrutiny"
    )
    events = AuditEvent.objects.filter(user=user, scrutiny__partnership=partnership)
    return [
        HeldSection.of(
            "Case-file audits assigned",
            [
                {
                    "scrutiny": a.case.sample.scrutiny,
                    "case file": a.case.case_ref,
                    "agency": a.agency.code,
                    "role": a.get_role_display(),
                    "due": a.due,
                    "submitted": a.response_id is not None,
                }
                for a in assignments
            ],
        ),
        HeldSection.of(
            "Immediate concerns raised",
            [
                {
                    "scrutiny": c.case.sample.scrutiny,
                    "case file": c.case.case_ref,
                    "when": c.raised_at,
                }
                for c in concerns
            ],
            "What the concern says is about a child, not the person, and is not shown here.",
        ),
        HeldSection.of(
            "Audits' trail of views and changes",
            [{"when": e.at, "action": e.get_action_display(), "detail": e.detail} for e in events],
        ),
    ]


def audits_personal_data_erase(
    *, partnership: Partnership, email: str, user: User | None
) -> list[ErasureLine]:
    scrutinies = {"scrutiny__partnership": partnership}
    cases = {"case__sample__scrutiny__partnership": partnership}
    mentions = sum(
        text_scrub(rows, fields, [email], REMOVED)
        for rows, fields in (
            (AuditEvent.objects.filter(**scrutinies), ("detail",)),
            (CaseFile.objects.filter(sample__scrutiny__partnership=partnership), ("data",)),
            (ImmediateConcern.objects.filter(**cases), ("concern",)),
            (Moderation.objects.filter(**cases), ("rationales",)),
        )
    )
    lines = [ErasureLine("the address in the audits' records", mentions, True)]
    if user is not None:
        kept = (
            Assignment.objects.filter(auditor=user, **cases).count()
            + ImmediateConcern.objects.filter(raised_by=user, **cases).count()
            + Moderation.objects.filter(moderated_by=user, **cases).count()
            + Sample.objects.filter(drawn_by=user, **scrutinies).count()
        )
        lines.append(
            ErasureLine(
                "audits, moderations, samples and concerns of the person", kept, False, KEEP_REASON
            )
        )
    return lines
