"""The audits part of the demo: the twelve case files the core demo audited, as a sample with
each agency's assignment and the moderation that agreed them, so that the audit pages show what
the scores are drawn from. Idempotent: a scrutiny that already has a sample is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from audits.models import Assignment, AuditEvent, CaseFile, Moderation, Sample
from scrutiny.demo.respondents import CASES
from scrutiny.models import Agency, Area, Instrument, Response, Scrutiny, User

DRAWN_AT = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
SEED = 20260105


@transaction.atomic
def demo_audits_load(*, scrutiny: Scrutiny) -> str | None:
    if Sample.objects.filter(scrutiny=scrutiny).exists():
        return None
    instrument = Instrument.objects.filter(scrutiny=scrutiny, kind="file_audit").first()
    if instrument is None:
        return None
    partnership = scrutiny.partnership
    scrutineer = User.objects.filter(
        partnership=partnership, role=User.Role.SCRUTINEER, is_active=True
    ).first()
    auditors = {
        user.agency_id: user
        for user in User.objects.filter(partnership=partnership, role=User.Role.AUDITOR)
    }
    agencies = {a.code: a for a in Agency.objects.filter(partnership=partnership)}
    areas = {a.code: a for a in Area.objects.filter(partnership=partnership)}
    responses = {
        r.ref: r
        for r in Response.objects.filter(instrument=instrument, ref__startswith="demo-cfa-")
    }
    sample = Sample.objects.create(
        scrutiny=scrutiny,
        instrument=instrument,
        file_name="demo-case-list.csv",
        file_sha256="0" * 64,
        columns=["case_ref", "council", "area"],
        by="council",
        per=6,
        seed=SEED,
        population=len(CASES),
        drawn_by=scrutineer,
        drawn_at=DRAWN_AT,
    )
    for position, (case_ref, council, area) in enumerate(CASES, start=1):
        case = CaseFile.objects.create(
            sample=sample,
            position=position,
            case_ref=case_ref,
            group=council,
            area=areas.get(area),
            data={"council": council, "area": area},
        )
        prefix = f"demo-cfa-{case_ref}-"
        for ref, response in responses.items():
            code = ref.removeprefix(prefix)
            if not ref.startswith(prefix) or code == "agreed" or code not in agencies:
                continue
            agency = agencies[code]
            Assignment.objects.create(
                case=case,
                agency=agency,
                auditor=auditors.get(agency.pk),
                due=dt.date(2026, 2, 13),
                response=response,
                revision=1,
            )
        agreed = responses.get(f"{prefix}agreed")
        if agreed is not None:
            Moderation.objects.create(
                case=case,
                agreed_response=agreed,
                moderated_by=scrutineer,
                moderated_at=agreed.submitted_at,
            )
    AuditEvent.objects.create(
        scrutiny=scrutiny,
        action=AuditEvent.Action.SAMPLED,
        user=scrutineer,
        detail=f"{len(CASES)} case files, 6 per council, seed {SEED}",
    )
    return f"Audits: a sample of {len(CASES)} case files, assigned to their agencies, moderated."
