"""Erasure of what the partnership holds about an email address, where the law allows
(UK GDPR Art. 17), and a plain list of what stays and why.

What goes: the address everywhere it is stored (accounts, invitations, the trail, jobs, the
admin's log, comments and notes that quote it); the account is deactivated and anonymised,
its sign-in records and second factors deleted, and the trail's and the admin's log's entries
about it no longer name it (they were labelled with its name) nor keep the network addresses
it signed in from. What stays: records the partnership must keep
under its public task (Art. 17(3)(b)) — signed-off findings, audits, moderations, immediate
concerns, the action plan — now pointing at an anonymised account or at nobody. A setting
naming the person goes too: the partnership's safeguarding lead, to be named again. Each app adds
its own through `personal_data_erase(partnership=..., email=..., user=...)`.

The trail records the erasure without the address or anything that could recover it: "an
invitee's address", "an account" and the counts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet

from scrutiny.errors import ApplicationError
from scrutiny.models import (
    Action,
    ActionUpdate,
    Answer,
    EvidenceNote,
    Finding,
    Partnership,
    Quote,
    TrailEntry,
    User,
)
from scrutiny.people_data.held import account_of, normalised, partnership_jobs
from scrutiny.people_data.scrub import CHUNK, JOB_FIELDS, TRAIL_FIELDS, rows_naming, text_scrub
from scrutiny.trail import trail_record

REMOVED = "[removed]"
ERASED_ACCOUNT = "an erased account"
KEEP_REASON = (
    "The partnership must keep this record under its public task (UK GDPR Art. 17(3)(b)); "
    "it no longer names the person."
)


@dataclass(frozen=True)
class ErasureLine:
    what: str
    count: int
    erased: bool
    reason: str = ""


@dataclass
class Erasure:
    description: str
    lines: list[ErasureLine] = field(default_factory=list)

    @property
    def erased(self) -> list[ErasureLine]:
        return [line for line in self.lines if line.erased and line.count]

    @property
    def kept(self) -> list[ErasureLine]:
        return [line for line in self.lines if not line.erased and line.count]

    def as_data(self) -> dict[str, Any]:
        return {
            "erased": [asdict(line) for line in self.erased],
            "kept": [asdict(line) for line in self.kept],
        }


def _account_erase(user: User) -> list[ErasureLine]:
    """The account stays (audits and concerns point at it) but names nobody and cannot sign in."""
    email = user.email
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save()
    # Its second factors and failed sign-ins name it too (any app's model pointing at it).
    devices = 0
    for model in apps.get_models():
        fields = {f.name for f in model._meta.get_fields()}
        if model._meta.app_label.startswith("otp_") and "user" in fields:
            devices += model._default_manager.filter(user=user).delete()[0]
    by_person = Q(user=user) | Q(actor__iexact=email)
    about = Q(object_type="user", object_id=str(user.pk))
    _network_addresses_remove(TrailEntry.objects.filter(by_person | about))
    described = TrailEntry.objects.filter(about)._anonymise(object_label=ERASED_ACCOUNT)
    trail = TrailEntry.objects.filter(by_person)._anonymise(actor=ERASED_ACCOUNT, user=None)
    # The admin's log names the account it changed by its name when it was changed.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=ERASED_ACCOUNT)
    return [
        ErasureLine("account (deactivated, name and address removed)", 1, True),
        ErasureLine("second factors", devices, True),
        ErasureLine("audit trail entries made by the person (no longer named)", trail, True),
        ErasureLine(
            "audit trail entries about the account (no longer named, no network address)",
            described,
            True,
        ),
    ]


def _network_addresses_remove(entries: QuerySet[TrailEntry]) -> None:
    """Signing in and out, and failed sign-ins, keep the network address they came from
    (`data["address"]`): it goes, the rest of the entry's data stays. Entries whose data is
    then the same are changed together, so the queries do not grow with the sign-ins."""
    groups: dict[str, list[int]] = defaultdict(list)
    for pk, data in entries.filter(data__has_key="address").values_list("pk", "data"):
        kept = {key: value for key, value in data.items() if key != "address"}
        groups[json.dumps(kept, sort_keys=True)].append(pk)
    for kept_data, pks in groups.items():
        for start in range(0, len(pks), CHUNK):
            TrailEntry.objects.filter(pk__in=pks[start : start + CHUNK])._anonymise(
                data=json.loads(kept_data)
            )


def _sign_in_records_erase(email: str) -> int:
    """Failed and successful sign-ins recorded under the address (django-axes)."""
    count = 0
    for model in apps.get_app_config("axes").get_models():
        if any(f.name == "username" for f in model._meta.get_fields()):
            count += model._default_manager.filter(username__iexact=email).delete()[0]
    return count


def _mentions_erase(partnership: Partnership, email: str) -> list[ErasureLine]:
    scoped = {"scrutiny__partnership": partnership}
    mentions = sum(
        text_scrub(rows, fields, [email], REMOVED)
        for rows, fields in (
            (Answer.objects.filter(response__scrutiny__partnership=partnership), ("text",)),
            (EvidenceNote.objects.filter(**scoped), ("text",)),
            (Quote.objects.filter(**scoped), ("text",)),
            (Finding.objects.filter(signed_off_at__isnull=True, **scoped), _FINDING_TEXT),
            (Action.objects.filter(partnership=partnership), ("text", "measures", "flag_reason")),
            (ActionUpdate.objects.filter(action__partnership=partnership), ("note", "evidence")),
            (partnership_jobs(partnership), JOB_FIELDS),
            (
                LogEntry.objects.filter(user__partnership=partnership),
                ("object_repr", "change_message"),
            ),
        )
    )
    trail = text_scrub(
        TrailEntry.objects.filter(partnership=partnership), TRAIL_FIELDS, [email], REMOVED
    )
    led = Action.objects.filter(partnership=partnership, lead_email__iexact=email)
    led_count = led.update(lead_email="")
    frozen = Finding.objects.filter(signed_off_at__isnull=False, **scoped)
    frozen_count = len(rows_naming(frozen, ("strengths", "improvements"), [email]))
    reason = (
        "A signed-off finding is frozen as the partnership agreed it (Art. 17(3)(b)); the "
        "address is removed from it wherever it leaves the platform."
    )
    return [
        ErasureLine("the address in comments, notes, jobs and the plan", mentions, True),
        ErasureLine("the address in the audit trail", trail, True),
        ErasureLine("the address as the lead of actions", led_count, True),
        ErasureLine(
            "the lead's name on those actions",
            led.exclude(lead_name="").count(),
            False,
            "The action plan is the partnership's record; change the lead on the action.",
        ),
        ErasureLine("signed-off findings that quote the address", frozen_count, False, reason),
    ]


_FINDING_TEXT = ("drafted", "strengths", "improvements")


def _safeguarding_lead_erase(partnership: Partnership, email: str) -> list[ErasureLine]:
    """The named safeguarding lead is a setting, not a record: who is told of an immediate
    concern now. It goes, name and address, so that nobody is told of concerns at an erased
    address or shown as a lead who is not; until the partnership names a new lead, concerns go
    to its contact address (audits.concerns)."""
    if partnership.safeguarding_lead_email.strip().lower() != email:
        return []
    Partnership.objects.filter(pk=partnership.pk).update(
        safeguarding_lead_name="", safeguarding_lead_email=""
    )
    partnership.safeguarding_lead_name = partnership.safeguarding_lead_email = ""
    what = (
        "the partnership's safeguarding lead, name and address (name a new lead on the "
        "partnership's details page; until then immediate concerns go to its contact address)"
    )
    return [ErasureLine(what, 1, True)]


@transaction.atomic
def erase(*, partnership: Partnership, email: str, user: User | None) -> Erasure:
    """Erases what the partnership holds about `email` where the law allows; says what stays.
    `user` is who asked (none from `manage.py subject_access --erase`)."""
    email = normalised(email)
    if not email or "@" not in email:
        raise ApplicationError("Enter the email address of the person whose data to erase.")
    if user is not None and user.email.lower() == email:
        raise ApplicationError("You cannot erase your own account: ask another administrator.")
    account = account_of(partnership=partnership, email=email)
    lines: list[ErasureLine] = []
    if account is not None:
        lines += _account_erase(account)
    if not User.objects.filter(email__iexact=email).exclude(partnership=partnership).exists():
        lines.append(ErasureLine("sign-in records", _sign_in_records_erase(email), True))
    for config in apps.get_app_configs():
        hook = getattr(config, "personal_data_erase", None)
        if hook is not None:
            lines += hook(partnership=partnership, email=email, user=account)
    lines += _mentions_erase(partnership, email)
    lines += _safeguarding_lead_erase(partnership, email)
    description = "an account holder's" if account is not None else "a person's"
    erasure = Erasure(description=f"{description} data", lines=lines)
    who = "an account holder" if account is not None else "a person (for example an invitee)"
    trail_record(
        action="erasure",
        user=user,
        partnership=partnership,
        detail=f"The data held about {who} was erased on request; the address is not recorded.",
        data=erasure.as_data(),
    )
    return erasure
