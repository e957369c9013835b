"""Immediate concerns about a child, raised by an auditor during a case-file audit.

A concern is recorded (and written in the audit trail) and the partnership's safeguarding lead
is emailed at once (a celery task enqueued on commit), or the partnership's contact address when
no lead email is set. The email never holds the case reference nor what the auditor wrote: only
that a concern was raised, by whom, when, and a link to read it on the platform. The lead (or
the business unit, or the scrutineer) then acknowledges it there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from audits.models import Assignment, AuditEvent, CaseFile, ImmediateConcern
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.models import Partnership, User
from scrutiny.notifications import email_send, site_link


@dataclass(frozen=True)
class ConcernRecipient:
    email: str
    name: str
    is_lead: bool  # False: the partnership's contact address stands in for the lead


def concern_recipient(partnership: Partnership) -> ConcernRecipient | None:
    """Who is told of an immediate concern: the named safeguarding lead, else the
    partnership's contact address, else nobody (the concern is still recorded)."""
    if partnership.safeguarding_lead_email:
        return ConcernRecipient(
            partnership.safeguarding_lead_email, partnership.safeguarding_lead_name, True
        )
    if partnership.contact_email:
        return ConcernRecipient(partnership.contact_email, partnership.name, False)
    return None


@dataclass(frozen=True)
class ConcernRaised:
    concern: ImmediateConcern
    recipient: ConcernRecipient | None


@transaction.atomic
def concern_raise(*, assignment: Assignment, concern: str, user: User) -> ConcernRaised:
    """Record an immediate concern about the child of a case file and tell the lead at once."""
    text = (concern or "").strip()
    if not text:
        raise ApplicationError(
            "Describe the concern: what you found and why you think the child is at risk now."
        )
    case = CaseFile.objects.select_related("sample__scrutiny__partnership").get(
        pk=assignment.case_id
    )
    row = ImmediateConcern.objects.create(
        case=case, assignment=assignment, raised_by=user, concern=text
    )
    recipient = concern_recipient(case.sample.scrutiny.partnership)
    if recipient is None:
        told = "nobody could be emailed: the partnership has no safeguarding lead or contact email"
    elif recipient.is_lead:
        told = "the safeguarding lead is emailed"
    else:
        told = "the partnership's contact address is emailed (no safeguarding lead email is set)"
    audit_event_record(
        scrutiny=case.sample.scrutiny,
        action=AuditEvent.Action.CONCERN,
        user=user,
        case=case,
        assignment=assignment,
        detail=f"Immediate concern {row.pk} raised; {told}.",
    )
    if recipient is not None:
        from audits.tasks import concern_email

        transaction.on_commit(lambda: concern_email.delay(concern_id=row.pk), robust=True)
    return ConcernRaised(row, recipient)


def _when(moment: dt.datetime) -> str:
    """A moment for the lead's email, which is written in English only: the month named in
    English whatever the active language or the server's locale."""
    with translation.override("en"):
        return date_format(timezone.localtime(moment), r"H:i \o\n j F Y")


def concern_notify(*, concern_id: int) -> bool:
    """Email the safeguarding lead that a concern was raised, by whom and when, with a link.

    Never the case reference nor the concern's words. Returns False when there is nobody to
    email or the lead was told already (a retried task sends once).
    """
    concern = ImmediateConcern.objects.select_related(
        "case__sample__scrutiny__partnership", "raised_by__agency"
    ).get(pk=concern_id)
    if concern.lead_notified_at is not None:
        return False
    scrutiny = concern.case.sample.scrutiny
    recipient = concern_recipient(scrutiny.partnership)
    if recipient is None:
        return False
    raiser = concern.raised_by
    by = str(raiser)  # the name, else the email address
    if raiser.agency is not None:
        by += f" ({raiser.agency.name})"
    greeting = (
        f"Dear {recipient.name or 'safeguarding lead'},"
        if recipient.is_lead
        else f"To {scrutiny.partnership.name}:"
    )
    forward = (
        ""
        if recipient.is_lead
        else "No safeguarding lead email is set for the partnership, so this comes to its "
        "contact address: please pass it to the safeguarding lead now.\n\n"
    )
    body = (
        f"{greeting}\n\n"
        "An auditor has raised an immediate concern about a child during a case-file audit.\n\n"
        f"Raised by: {by}\n"
        f"Raised at: {_when(concern.raised_at)}\n"
        f"Scrutiny: {scrutiny.title}\n\n"
        f"{forward}"
        "Sign in to read the concern and act on it:\n"
        f"{site_link('audit-concern-detail', concern.pk)}\n\n"
        "To keep the child's details safe, they stay on the platform and are never sent by "
        "email.\n"
    )
    email_send(
        subject="Immediate concern about a child raised in a case-file audit",
        body=body,
        to=[recipient.email],
    )
    ImmediateConcern.objects.filter(pk=concern.pk, lead_notified_at__isnull=True).update(
        lead_notified_at=timezone.now()
    )
    return True


def _acknowledged_already(concern: ImmediateConcern) -> str:
    """Shown on the reader's page, so in their language, the month's name too."""
    assert concern.acknowledged_at is not None
    local = timezone.localtime(concern.acknowledged_at)
    when = {"time": date_format(local, "H:i"), "date": date_format(local, "j F Y")}
    if concern.acknowledged_by is None:
        return gettext("This concern was already acknowledged at %(time)s on %(date)s.") % when
    return gettext("%(person)s already acknowledged this concern at %(time)s on %(date)s.") % {
        "person": str(concern.acknowledged_by),
        **when,
    }


@transaction.atomic
def concern_acknowledge(*, concern: ImmediateConcern, user: User) -> ImmediateConcern:
    """The lead (or the business unit, or the scrutineer) has read the concern and acts on it."""
    concern = ImmediateConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.acknowledged_at is not None:
        raise ApplicationError(_acknowledged_already(concern))
    concern.acknowledged_by = user
    concern.acknowledged_at = timezone.now()
    concern.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return concern
