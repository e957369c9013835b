"""Subject access: everything the platform holds about an email address in one partnership,
as sections of rows (`subject_access`), the core's own and each app's.

An app's config may offer `personal_data(partnership=..., email=..., user=...)` returning its
`HeldSection`s (audits: assignments, concerns; surveys: invitations, drafts). Nothing of
another partnership is ever read: every query is scoped to the partnership, and an account
of another partnership with the address is not this partnership's to disclose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from scrutiny.models import (
    Action,
    ActionUpdate,
    EventPack,
    EvidenceNote,
    Finding,
    Job,
    Partnership,
    Quote,
    Response,
    TrailEntry,
    User,
)
from scrutiny.people_data.scrub import (
    JOB_FIELDS,
    TRAIL_FIELDS,
    address_pattern,
    rows_naming,
    texts_naming,
)


def shown(value: Any) -> str:
    """A value as the download shows it: dates and times in ISO 8601, empty for none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class HeldSection:
    """One kind of thing held about the person, a row each, with a note on why it is held."""

    title: str
    rows: list[dict[str, str]]
    note: str = ""

    @classmethod
    def of(cls, title: str, rows: list[dict[str, Any]], note: str = "") -> HeldSection:
        return cls(title, [{k: shown(v) for k, v in row.items()} for row in rows], note)


@dataclass
class PersonalData:
    email: str
    partnership: str
    sections: list[HeldSection] = field(default_factory=list)

    @property
    def held(self) -> list[HeldSection]:
        """The sections with something in them."""
        return [section for section in self.sections if section.rows]

    def as_data(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "partnership": self.partnership,
            "sections": [asdict(section) for section in self.held],
        }


def normalised(email: str) -> str:
    return email.strip().lower()


def account_of(*, partnership: Partnership, email: str) -> User | None:
    return User.objects.filter(partnership=partnership, email__iexact=normalised(email)).first()


def _account(user: User | None) -> list[HeldSection]:
    if user is None:
        return []
    row = {
        "email": user.email,
        "name": user.full_name,
        "role": user.get_role_display(),
        "agency": user.agency.name if user.agency else "",
        "active": user.is_active,
        "joined": user.date_joined,
        "last signed in": user.last_login,
    }
    return [HeldSection.of("Account", [row], "The account the person signs in with.")]


def _trail(partnership: Partnership, email: str, user: User | None) -> list[HeldSection]:
    """What the person did (as the account, or under the address), what was done to their
    account (its role, its password, its second factors) and what names the address."""
    entries = TrailEntry.objects.filter(partnership=partnership)
    own = Q(actor__iexact=email)
    if user is not None:
        own |= Q(user=user) | Q(object_type="user", object_id=str(user.pk))
    found = {e.pk: e for e in entries.filter(own)}
    found.update((e.pk, e) for e in rows_naming(entries, TRAIL_FIELDS, [email]))
    rows = [
        {"when": e.at, "action": e.action, "object": e.object_label, "detail": e.detail}
        for e in sorted(found.values(), key=lambda e: (e.at, e.pk))
    ]
    note = (
        "What the person did, what was done to their account, or what named them, in the "
        "partnership's audit trail."
    )
    return [HeldSection.of("Audit trail", rows, note)]


def partnership_jobs(partnership: Partnership) -> QuerySet[Job]:
    """The partnership's background work: recorded as its own, or started by its people."""
    return Job.objects.filter(Q(partnership=partnership) | Q(created_by__partnership=partnership))


def _jobs_naming(partnership: Partnership, email: str) -> list[HeldSection]:
    """Jobs whose words name the address, whoever started them: a list's import refused
    because of the person's row keeps the row's error ("x@y is also in row 2")."""
    pattern = address_pattern([email])
    jobs = rows_naming(partnership_jobs(partnership), JOB_FIELDS, [email])
    rows = [
        {
            "what": j.kind,
            "when": j.created_at,
            "status": j.get_status_display(),
            "naming the person": "\n".join(
                text for f in JOB_FIELDS for text in texts_naming(getattr(j, f), pattern)
            ),
        }
        for j in sorted(jobs, key=lambda j: (j.created_at, j.pk))
    ]
    note = "Background work whose message or result names the address."
    return [HeldSection.of("Background work naming the person", rows, note)]


def _authored(partnership: Partnership, user: User | None) -> list[HeldSection]:
    if user is None:
        return []
    scoped = {"scrutiny__partnership": partnership}
    jobs = Job.objects.filter(created_by=user).order_by("created_at")
    notes = EvidenceNote.objects.filter(recorded_by=user, **scoped).select_related("scrutiny")
    quotes = Quote.objects.filter(tagged_by=user, **scoped).select_related("scrutiny", "factor")
    findings = Finding.objects.filter(Q(signed_off_by=user) | Q(updated_by=user), **scoped)
    responses = Response.objects.filter(created_by=user, **scoped).select_related("instrument")
    packs = EventPack.objects.filter(built_by=user, **scoped).select_related("scrutiny")
    updates = ActionUpdate.objects.filter(by=user, action__partnership=partnership)
    return [
        HeldSection.of(
            "Background work started",
            [
                {"what": j.kind, "when": j.created_at, "status": j.get_status_display()}
                for j in jobs
            ],
        ),
        HeldSection.of(
            "Evidence notes recorded",
            [{"scrutiny": n.scrutiny, "when": n.recorded_at, "text": n.text} for n in notes],
        ),
        HeldSection.of(
            "Quotes tagged",
            [
                {"scrutiny": q.scrutiny, "factor": q.factor.code, "when": q.created_at}
                for q in quotes
            ],
        ),
        HeldSection.of(
            "Findings written or signed off",
            [
                {"factor": f.factor.code, "signed off": f.signed_off_at, "by": "the person"}
                for f in findings.select_related("factor")
            ],
        ),
        HeldSection.of(
            "Responses entered",
            [
                {"instrument": r.instrument.code, "status": r.status, "submitted": r.submitted_at}
                for r in responses
            ],
        ),
        HeldSection.of(
            "Event packs built", [{"scrutiny": p.scrutiny, "when": p.built_at} for p in packs]
        ),
        HeldSection.of(
            "Action plan updates written",
            [{"when": u.at, "status": u.status, "note": u.note} for u in updates],
        ),
    ]


def _actions_led(partnership: Partnership, email: str) -> list[HeldSection]:
    actions = Action.objects.filter(partnership=partnership, lead_email__iexact=email)
    rows = [
        {"action": a.text, "lead": a.lead_name, "timescale": a.timescale, "status": a.status}
        for a in actions
    ]
    return [HeldSection.of("Actions led", rows, "The person is the named lead of these actions.")]


def _safeguarding_lead(partnership: Partnership, email: str) -> list[HeldSection]:
    if partnership.safeguarding_lead_email.strip().lower() != email:
        return []
    row = {
        "name": partnership.safeguarding_lead_name,
        "email": partnership.safeguarding_lead_email,
    }
    note = (
        "The partnership names the person as its safeguarding lead: they are emailed at once "
        "when an auditor raises an immediate concern about a child."
    )
    return [HeldSection.of("Safeguarding lead", [row], note)]


def subject_access(*, partnership: Partnership, email: str) -> PersonalData:
    """Everything the partnership holds about the address: its account, what it did and what
    names it, from the core and every app."""
    email = normalised(email)
    user = account_of(partnership=partnership, email=email)
    data = PersonalData(email=email, partnership=partnership.name)
    data.sections += _account(user)
    data.sections += _trail(partnership, email, user)
    data.sections += _authored(partnership, user)
    data.sections += _jobs_naming(partnership, email)
    data.sections += _actions_led(partnership, email)
    data.sections += _safeguarding_lead(partnership, email)
    for config in apps.get_app_configs():
        hook = getattr(config, "personal_data", None)
        if hook is not None:
            data.sections += hook(partnership=partnership, email=email, user=user)
    return data
