"""Assigning auditors to sampled case files, and completing, submitting and reopening audits.

Every audit is a core Response written through scrutiny.evidence (channel "audit"), so that it
is validated and scored like every other source. The Assignment around it carries:

- `revision`, the optimistic lock: every save, submission and reopening raises it by one, and a
  save or a submission made on an older revision is refused (`StaleRevision`) with nothing
  written, so that two tabs or two people never overwrite each other silently;
- `current_step`, the page to open when the auditor comes back: the database draft, never the
  browser session, is what a page resumes from.

Immediate concerns are recorded here and the partnership's safeguarding lead is emailed at
once (a celery task enqueued on commit). The email never holds the case reference nor what the
auditor wrote: only that a concern was raised, by whom, when, and a link to read it on the
platform. Emails to auditors likewise name no case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audits.models import Assignment, AuditEvent, CaseFile, ImmediateConcern, Moderation, Sample
from audits.permissions import audit_may_reopen
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.evidence import (
    ResponseDetails,
    answer_values,
    response_reopen,
    response_save_draft,
    response_submit,
)
from scrutiny.instruments import CompiledVersion, instrument_current_version, version_compile
from scrutiny.models import (
    Agency,
    Instrument,
    InstrumentVersion,
    Partnership,
    Response,
    Scrutiny,
    Source,
    User,
)
from scrutiny.notifications import email_send, site_link

CHECK_STEP = "check"  # the check-your-answers page, after the instrument's own pages


class StaleRevision(ApplicationError):
    """The audit was saved after the page or client read it; nothing was written.

    `extra["revision"]` is the revision now stored. The API answers it with a 409.
    """


# ---------------------------------------------------------------------------------------------
# The audit tool of a sample, and of an assignment


def sample_instrument(sample: Sample) -> Instrument:
    """The audit tool the agencies complete for the sample's case files.

    The sample names it; a sample drawn without naming one uses the scrutiny's only case-file
    audit instrument.
    """
    if sample.instrument_id is not None:
        return sample.instrument  # type: ignore[return-value]
    tools = list(
        Instrument.objects.filter(scrutiny_id=sample.scrutiny_id, kind=Source.FILE_AUDIT).order_by(
            "code"
        )[:2]
    )
    if len(tools) == 1:
        return tools[0]
    if not tools:
        raise ApplicationError(
            "This scrutiny has no case-file audit tool yet: add a case-file audit instrument "
            "before assigning auditors."
        )
    raise ApplicationError(
        "This scrutiny has more than one case-file audit tool and the sample does not say "
        "which one the agencies complete: choose it for the sample first."
    )


def assignment_compiled(assignment: Assignment) -> CompiledVersion:
    """The instrument version of the audit: the one its draft answers, else the current one."""
    if assignment.response is not None:
        return version_compile(InstrumentVersion(pk=assignment.response.version_id))
    instrument = sample_instrument(assignment.case.sample)
    return version_compile(instrument_current_version(instrument))


def audit_values(assignment: Assignment) -> dict[str, Any]:
    """The answers saved so far (question code to raw value); empty before the first save."""
    if assignment.response is None:
        return {}
    return answer_values(response=assignment.response)


def audit_is_moderated(assignment: Assignment) -> bool:
    """Has the moderation meeting agreed this case file (so that its audits are final)?"""
    if assignment.response_id is not None and (
        Response.objects.filter(pk=assignment.response_id, superseded_by__isnull=False).exists()
    ):
        return True
    return Moderation.objects.filter(
        case_id=assignment.case_id, moderated_at__isnull=False
    ).exists()


# ---------------------------------------------------------------------------------------------
# Assigning


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


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _first_due(assignments: list[Assignment]) -> str:
    dates = [a.due for a in assignments if a.due is not None]
    if not dates:
        return ""
    first = min(dates)
    return f", the first due by {first.day} {first:%B %Y}"


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


# ---------------------------------------------------------------------------------------------
# Completing


def _locked(assignment: Assignment) -> Assignment:
    # of=("self",): PostgreSQL cannot lock the nullable side of the joins.
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("case__sample__scrutiny", "response", "agency")
        .get(pk=assignment.pk)
    )


def _last_change(assignment: Assignment) -> dt.datetime | None:
    return (
        AuditEvent.objects.filter(
            assignment=assignment,
            action__in=[
                AuditEvent.Action.CHANGED,
                AuditEvent.Action.SUBMITTED,
                AuditEvent.Action.REOPENED,
                AuditEvent.Action.ASSIGNED,
            ],
        )
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )


def _check_revision(assignment: Assignment, revision: int) -> None:
    if revision == assignment.revision:
        return
    changed = _last_change(assignment)
    when = ""
    if changed is not None:
        local = timezone.localtime(changed)
        when = f" at {local:%H:%M}"
        if local.date() != timezone.localdate():
            when += f" on {local.day} {local:%B %Y}"
    raise StaleRevision(
        f"This audit was changed in another tab or by someone else{when}. Nothing you typed on "
        "this page was saved. Reload the page to see the answers saved now, then make your "
        "changes again.",
        extra={"revision": assignment.revision},
    )


def _check_auditor(user: User, assignment: Assignment) -> None:
    if assignment.auditor_id != user.pk:
        raise ApplicationError("Only the auditor this audit is assigned to can change it.")


def _check_open(assignment: Assignment) -> None:
    response = assignment.response
    if response is not None and response.status == Response.Status.SUBMITTED:
        raise ApplicationError(
            "This audit has been submitted and is locked. Ask the business unit or the "
            "scrutineer to reopen it if something must change."
        )


def _details(assignment: Assignment) -> ResponseDetails:
    return ResponseDetails(
        agency_id=assignment.agency_id,
        area_id=assignment.case.area_id,
        case_ref=assignment.case.case_ref,
    )


def _step_words(compiled: CompiledVersion, step: str) -> str:
    if step == CHECK_STEP:
        return "the check of the answers"
    if step.isdigit() and int(step) < len(compiled.sections):
        return f"page {int(step) + 1}, “{compiled.sections[int(step)].title}”"
    return ""


@transaction.atomic
def audit_save_page(
    *,
    assignment: Assignment,
    revision: int,
    step: str,
    values: dict[str, Any],
    user: User,
) -> Assignment:
    """Save a draft of all the answers so far and the page to resume at.

    `values` are the whole audit's raw answers (what a page adds merged into the draft it was
    given); `revision` is the one the page was drawn with. Refused, with nothing written, when
    the audit changed since (StaleRevision), when it is submitted, or when an answer is wrong.
    """
    locked = _locked(assignment)
    _check_auditor(user, locked)
    _check_revision(locked, revision)
    _check_open(locked)
    compiled = assignment_compiled(locked)
    if step and step != CHECK_STEP and not _step_words(compiled, step):
        raise ApplicationError(f"{step!r} is not a page of this audit.")
    response = response_save_draft(
        compiled=compiled,
        values=values,
        details=_details(locked),
        channel=Response.Channel.AUDIT,
        user=user,
        response=locked.response,
    )
    locked.response = response
    locked.revision += 1
    if step:
        locked.current_step = step
    locked.save(update_fields=["response", "revision", "current_step"])
    where = _step_words(compiled, locked.current_step)
    audit_event_record(
        scrutiny=locked.case.sample.scrutiny,
        action=AuditEvent.Action.CHANGED,
        user=user,
        assignment=locked,
        detail=f"Draft saved; resumes at {where}" if where else "Draft saved",
    )
    return locked


@transaction.atomic
def audit_submit(*, assignment: Assignment, revision: int, user: User) -> Assignment:
    """Validate the whole audit as saved, and submit it: it is then locked until reopened."""
    locked = _locked(assignment)
    _check_auditor(user, locked)
    _check_revision(locked, revision)
    _check_open(locked)
    compiled = assignment_compiled(locked)
    response = response_submit(
        compiled=compiled,
        values=audit_values(locked),
        details=_details(locked),
        channel=Response.Channel.AUDIT,
        user=user,
        response=locked.response,
    )
    locked.response = response
    locked.revision += 1
    locked.save(update_fields=["response", "revision"])
    audit_event_record(
        scrutiny=locked.case.sample.scrutiny,
        action=AuditEvent.Action.SUBMITTED,
        user=user,
        assignment=locked,
    )
    return locked


@transaction.atomic
def audit_reopen(*, assignment: Assignment, reason: str, user: User) -> Assignment:
    """Make a submitted audit a draft again, for its auditor to correct; the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Give the reason for reopening the audit: it is kept in the audit's history."
        )
    if not audit_may_reopen(user, assignment):
        raise ApplicationError(
            "Only the business unit, the scrutineer or the audit's own auditor can reopen it."
        )
    locked = _locked(assignment)
    if audit_is_moderated(locked):
        raise ApplicationError(
            "This case file has been moderated: the agreed response was made from this audit, "
            "so it can no longer be reopened."
        )
    if locked.response is None or locked.response.status != Response.Status.SUBMITTED:
        raise ApplicationError("This audit has not been submitted, so there is nothing to reopen.")
    locked.response = response_reopen(response=locked.response)
    locked.revision += 1
    locked.save(update_fields=["revision"])
    audit_event_record(
        scrutiny=locked.case.sample.scrutiny,
        action=AuditEvent.Action.REOPENED,
        user=user,
        assignment=locked,
        detail=reason,
    )
    return locked


# ---------------------------------------------------------------------------------------------
# Immediate concerns


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
    by = _person(raiser)
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


@transaction.atomic
def concern_acknowledge(*, concern: ImmediateConcern, user: User) -> ImmediateConcern:
    """The lead (or the business unit, or the scrutineer) has read the concern and acts on it."""
    concern = ImmediateConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.acknowledged_at is not None:
        raise ApplicationError(
            f"{_person(concern.acknowledged_by)} already acknowledged this concern at "
            f"{_when(concern.acknowledged_at)}."
        )
    concern.acknowledged_by = user
    concern.acknowledged_at = timezone.now()
    concern.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return concern
