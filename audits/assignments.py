"""Assigning auditors to sampled case files, and emailing each auditor about their new audits.

An assignment is one agency's audit of one case file, given to one of its auditors (the first
auditor, or an independent second auditor). Many are made at once, all or none, each checked
against those stored so far; every assignment is written in the audit trail. Each auditor is
then emailed once for all their new audits (a celery task enqueued on commit): the email names
no case, only how many audits, for which agency, and a link to the platform.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from audits.completion import sample_instrument
from audits.models import Assignment, AuditEvent, CaseFile, Sample
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.models import Agency, Scrutiny, User
from scrutiny.notifications import email_send, site_link


@dataclass(frozen=True)
class AssignmentRequest:
    """One agency's audit of one case file, as a page or the API asks for it."""

    case: CaseFile
    agency: Agency
    auditor: User
    due: dt.date | None
    role: str = Assignment.Role.FIRST


def _role_words(role: str) -> str:
    return "an independent second auditor" if role == Assignment.Role.SECOND else "an auditor"


def _person(user: User | None) -> str:
    if user is None:
        return "nobody"
    return user.full_name or user.email


def _assignment_error(request: AssignmentRequest, *, scrutiny_id: int, today: dt.date) -> str:
    """What is wrong with one request, given the assignments stored so far; "" when nothing."""
    case, agency, auditor, role = request.case, request.agency, request.auditor, request.role
    if role not in Assignment.Role.values:
        return "Choose the role: auditor or independent second auditor."
    if case.sample.scrutiny_id != scrutiny_id:
        return f"Case file {case.case_ref} is not in this scrutiny's sample."
    partnership_id = case.sample.scrutiny.partnership_id
    if agency.partnership_id != partnership_id:
        return f"{agency.name} is not an agency of this partnership."
    if not (
        auditor.is_active
        and auditor.role == User.Role.AUDITOR
        and auditor.agency_id == agency.pk
        and auditor.partnership_id == partnership_id
    ):
        return f"{_person(auditor)} is not an active auditor of {agency.name}."
    if request.due is None:
        return "Give the date the audit is due."
    if request.due < today:
        return f"The due date {request.due:%d/%m/%Y} has passed: give today or a later date."
    pair = {
        a.role: a
        for a in Assignment.objects.filter(case=case, agency=agency).select_related("auditor")
    }
    if role in pair:
        return (
            f"{agency.code} already has {_role_words(role)} for case file {case.case_ref}: "
            f"{_person(pair[role].auditor)}."
        )
    other_role = Assignment.Role.FIRST if role == Assignment.Role.SECOND else Assignment.Role.SECOND
    other = pair.get(other_role)
    if role == Assignment.Role.SECOND and other is None:
        return (
            f"Assign {agency.code}'s first auditor for case file {case.case_ref} before an "
            "independent second auditor."
        )
    if other is not None and other.auditor_id == auditor.pk:
        return (
            "The independent second auditor must be someone other than the first auditor "
            f"({_person(auditor)})."
        )
    return ""


def _assignments_make(
    *, scrutiny: Scrutiny, requests: Sequence[AssignmentRequest], user: User
) -> list[Assignment]:
    """Create the assignments in order (a first auditor before a second in the same batch),
    or raise with every row's error and create none. Call inside a transaction."""
    today = timezone.localdate()
    errors: dict[int, str] = {}
    made: list[Assignment] = []
    for index, request in enumerate(requests):
        error = _assignment_error(request, scrutiny_id=scrutiny.pk, today=today)
        if error:
            errors[index] = error
            continue
        assignment = Assignment.objects.create(
            case=request.case,
            agency=request.agency,
            auditor=request.auditor,
            due=request.due,
            role=request.role,
        )
        audit_event_record(
            scrutiny=scrutiny,
            action=AuditEvent.Action.ASSIGNED,
            user=user,
            assignment=assignment,
            detail=(
                f"{request.agency.code}: {_person(request.auditor)} "
                f"({assignment.get_role_display().lower()}), due {request.due:%d/%m/%Y}"
            ),
        )
        made.append(assignment)
    if errors:
        count = len(errors)
        raise ApplicationError(
            f"{count} assignment{'s' if count > 1 else ''} could not be made, so nothing was "
            "assigned: " + "; ".join(errors.values()),
            extra={"errors": errors},
        )
    return made


def _notify_on_commit(assignments: Iterable[Assignment]) -> None:
    from audits.tasks import assignments_email

    ids = [a.pk for a in assignments]
    if ids:
        # robust: a mail server that is down must not turn the committed change into an error
        # page when tasks run in-process; the task retries on a worker.
        transaction.on_commit(lambda: assignments_email.delay(assignment_ids=ids), robust=True)


@transaction.atomic
def assignment_create(
    *,
    case: CaseFile,
    agency: Agency,
    auditor: User,
    due: dt.date | None,
    role: str = Assignment.Role.FIRST,
    user: User,
) -> Assignment:
    """Assign one agency's audit of a case file to one of its auditors, and email them."""
    sample_instrument(case.sample)  # the audit can be completed
    scrutiny = case.sample.scrutiny
    (assignment,) = _assignments_make(
        scrutiny=scrutiny,
        requests=[AssignmentRequest(case, agency, auditor, due, role)],
        user=user,
    )
    _notify_on_commit([assignment])
    return assignment


@transaction.atomic
def assignments_assign(
    *, scrutiny: Scrutiny, requests: Sequence[AssignmentRequest], user: User
) -> list[Assignment]:
    """Make many assignments at once, all or none; each auditor gets one email for all of
    theirs. Raises ApplicationError with `extra["errors"]` (request index to message)."""
    if not requests:
        raise ApplicationError("Choose an auditor for at least one case file.")
    sample = Sample.objects.filter(scrutiny=scrutiny).first()
    if sample is None:
        raise ApplicationError("Draw the scrutiny's sample of case files before assigning.")
    sample_instrument(sample)
    made = _assignments_make(scrutiny=scrutiny, requests=requests, user=user)
    _notify_on_commit(made)
    return made


def _first_due(assignments: list[Assignment]) -> str:
    dates = [a.due for a in assignments if a.due is not None]
    if not dates:
        return ""
    # The email is written in English only: its month too, whatever the active language.
    with translation.override("en"):
        return f", the first due by {date_format(min(dates), 'j F Y')}"


def assignments_notify(*, assignment_ids: Sequence[int]) -> int:
    """Email each auditor once about their new audits; returns how many emails were sent.

    Assignments already notified are skipped, so that a task retried after a partial send
    does not email anyone twice. No case reference is written: the link opens the platform.
    """
    rows = (
        Assignment.objects.filter(pk__in=assignment_ids, notified_at__isnull=True)
        .select_related("auditor", "agency", "case__sample__scrutiny")
        .order_by("auditor_id", "due", "pk")
    )
    by_auditor: dict[int, list[Assignment]] = {}
    for row in rows:
        if row.auditor is not None and row.auditor.email:
            by_auditor.setdefault(row.auditor.pk, []).append(row)
    sent = 0
    for assignments in by_auditor.values():
        auditor = assignments[0].auditor
        assert auditor is not None
        count = len(assignments)
        lines: dict[tuple[str, str], list[Assignment]] = {}
        for a in assignments:
            lines.setdefault((a.case.sample.scrutiny.title, a.agency.name), []).append(a)
        listed = "\n".join(
            f"- {len(group)} for {agency} in the scrutiny “{title}”{_first_due(group)}"
            for (title, agency), group in lines.items()
        )
        plural = "s" if count > 1 else ""
        body = (
            f"Hello {auditor.get_short_name()},\n\n"
            f"You have been asked to complete {count} case-file audit{plural}:\n{listed}\n\n"
            f"See your audits and start them here (you will need to sign in):\n"
            f"{site_link('audit-mine')}\n\n"
            "The case references are shown on the platform only, never by email.\n"
        )
        email_send(
            subject=f"You have {count} case-file audit{plural} to complete",
            body=body,
            to=[auditor.email],
        )
        # Marked per auditor as soon as their email has gone: a retry skips them.
        Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
            notified_at=timezone.now()
        )
        sent += 1
    return sent
