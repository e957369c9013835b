"""Completing, submitting and reopening audits, and the audit tool they are completed in.

Every audit is a core Response written through scrutiny.evidence (channel "audit"), so that it
is validated and scored like every other source. The Assignment around it carries:

- `revision`, the optimistic lock: every save, submission and reopening raises it by one, and a
  save or a submission made on an older revision is refused (`StaleRevision`) with nothing
  written, so that two tabs or two people never overwrite each other silently;
- `current_step`, the page to open when the auditor comes back: the database draft, never the
  browser session, is what a page resumes from.

Assigning auditors: audits/assignments.py; immediate concerns: audits/concerns.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audits.models import Assignment, AuditEvent, CaseFile, Moderation, Sample
from audits.moderation import moderation_case_locked, moderation_supersede_late
from audits.permissions import PAIR_SUBMITTED, audit_may_reopen
from audits.stale import stale_message
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.evidence import (
    ResponseDetails,
    answer_values,
    answers_stored,
    response_reopen,
    response_save_draft,
    response_submit,
)
from scrutiny.instruments import (
    BASE_LANGUAGE,
    CompiledVersion,
    instrument_current_version,
    version_compile,
)
from scrutiny.models import Instrument, InstrumentVersion, Response, Source, User
from scrutiny.prepared import Prepared

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
    if sample.instrument is not None:
        return sample.instrument
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


def assignment_compiled(
    assignment: Assignment,
    *,
    compiled: CompiledVersion | None = None,
    language: str = BASE_LANGUAGE,
) -> CompiledVersion:
    """The instrument version of the audit: the one its draft answers, else the current one,
    its texts in `language` where the version offers it (the values, and so the scores, are the
    same in every language).

    `compiled` is the version the page was drawn with: when it is that version it is used as it
    is (a version's id always names the same questions: a changed definition replaces a version
    by a new one, never edits it), so saving a page or submitting compiles the version once.
    Before the first save the current version is read again: a version nobody has answered is
    deleted when its instrument is changed, and the draft must start in one that exists."""
    response = assignment.response
    if response is not None:
        # The version itself when the page's read brought it, else its id (read once compiled).
        cached = Response.version.is_cached(response)
        version = response.version if cached else InstrumentVersion(pk=response.version_id)
    else:
        version = instrument_current_version(sample_instrument(assignment.case.sample))
    if compiled is not None and compiled.version_id == version.pk:
        return compiled
    return version_compile(version, language=language)


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
# Completing


def _holds_its_case(assignment: Assignment) -> bool:
    """Does `assignment` hold its agency and case file, with the sample's scrutiny and audit
    tool (as the audit's pages read it: `audits.permissions.access_assignment_to_complete`)?"""
    if not (Assignment.case.is_cached(assignment) and Assignment.agency.is_cached(assignment)):
        return False
    case = assignment.case
    if not CaseFile.sample.is_cached(case):
        return False
    return Sample.scrutiny.is_cached(case.sample) and Sample.instrument.is_cached(case.sample)


def _locked(assignment: Assignment) -> Assignment:
    """The assignment read again and locked until the transaction ends, with its draft
    response, if it has one, locked too: what a page changes (its revision, page and draft) as
    it is now, for `response_save_draft` and `response_submit` to write without reading the
    draft again. Its agency and case file, with the sample's scrutiny and audit tool, which no
    page changes, are those `assignment` holds when it holds them (the page's own read, moments
    before): the lock then reads one row and its response, not six joined tables, which
    PostgreSQL takes several times longer to plan."""
    locked, with_response = _read_locked(assignment)
    if locked.response_id is not None and not with_response:
        locked.response = Response.objects.select_for_update().get(pk=locked.response_id)
    return locked


# of=("self",): PostgreSQL cannot lock the nullable side of an outer join.
_FRESH = Assignment.objects.select_for_update(of=("self",))
# The reads of a page's save and submit, their SQL made once a process (scrutiny.prepared): the
# assignment with no draft yet (any started since comes with it, unlocked), and the assignment
# with the draft the page read it with, both locked in one statement (an inner join; none when
# its draft is another since).
_ALONE = Prepared(
    lambda pk: _FRESH.select_related("response").filter(pk=pk), pk=Assignment._meta.pk
)
_WITH_RESPONSE = Prepared(
    lambda pk, response: (
        Assignment.objects.select_for_update(of=("self", "response"))
        .select_related("response")
        .filter(pk=pk, response_id=response)
    ),
    pk=Assignment._meta.pk,
    response=Response._meta.pk,
)


def _read_locked(assignment: Assignment) -> tuple[Assignment, bool]:
    """The assignment locked, and whether its response was locked with it."""
    if _holds_its_case(assignment):
        locked: Assignment | None
        if assignment.response_id is None:
            locked = _ALONE.one(pk=assignment.pk)
        else:
            locked = _WITH_RESPONSE.one(pk=assignment.pk, response=assignment.response_id)
        if locked is not None and (locked.case_id, locked.agency_id) == (
            assignment.case_id,
            assignment.agency_id,
        ):
            locked.case = assignment.case
            locked.agency = assignment.agency
            return locked, assignment.response_id is not None
    full = ("case__sample__scrutiny", "case__sample__instrument", "response", "agency")
    return _FRESH.select_related(*full).get(pk=assignment.pk), False


def _check_revision(assignment: Assignment, revision: int) -> None:
    if revision != assignment.revision:
        raise StaleRevision(
            stale_message(assignment),
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
    if step.isdecimal() and int(step) < len(compiled.sections):
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
    compiled: CompiledVersion | None = None,
) -> Assignment:
    """Save a draft of all the answers so far and the page to resume at.

    `values` are the whole audit's raw answers (what a page adds merged into the draft it was
    given); `revision` is the one the page was drawn with, `compiled` the version it was drawn
    in (compiled again when not given, or when the draft now answers another). Refused, with
    nothing written, when the audit changed since (StaleRevision), when it is submitted, or
    when an answer is wrong.
    """
    locked = _locked(assignment)
    _check_auditor(user, locked)
    _check_revision(locked, revision)
    _check_open(locked)
    compiled = assignment_compiled(locked, compiled=compiled)
    if step and step != CHECK_STEP and not _step_words(compiled, step):
        raise ApplicationError(f"{step!r} is not a page of this audit.")
    response = response_save_draft(
        compiled=compiled,
        values=values,
        details=_details(locked),
        channel=Response.Channel.AUDIT,
        user=user,
        response=locked.response,
        locked=True,
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
def audit_submit(
    *,
    assignment: Assignment,
    revision: int,
    user: User,
    compiled: CompiledVersion | None = None,
) -> Assignment:
    """Validate the whole audit as saved, and submit it: it is then locked until reopened.

    `compiled`, as for `audit_save_page`: the version the check page was drawn in.

    An audit of a case file already moderated is kept but does not count: the agreed response
    supersedes it at once, until the case file is moderated again
    (`audits.moderation.moderation_supersede_late`)."""
    locked = _locked(assignment)
    _check_auditor(user, locked)
    _check_revision(locked, revision)
    _check_open(locked)
    # Locks: the assignment and its draft (`_locked`), then the case file, where moderating
    # takes the case file, then the responses it agrees. No deadlock, as long as each refuses
    # first: a submitted audit here (`_check_open`, before the case file's lock), a draft there.
    agreed_id = moderation_case_locked(locked.case_id)
    compiled = assignment_compiled(locked, compiled=compiled)
    # The draft as saved, read once under its lock: submitted, and compared with what it was.
    stored = answers_stored(locked.response_id) if locked.response_id is not None else None
    response = response_submit(
        compiled=compiled,
        values=stored.values if stored is not None else {},
        details=_details(locked),
        channel=Response.Channel.AUDIT,
        user=user,
        response=locked.response,
        locked=True,
        stored=stored,
    )
    late = moderation_supersede_late(agreed_id=agreed_id, response=response)
    locked.response = response
    locked.revision += 1
    locked.save(update_fields=["response", "revision"])
    audit_event_record(
        scrutiny=locked.case.sample.scrutiny,
        action=AuditEvent.Action.SUBMITTED,
        user=user,
        assignment=locked,
        detail="Submitted after the case file was moderated: it counts in the scores once the "
        "case file is moderated again"
        if late
        else "",
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
        if assignment.auditor_id == user.pk:  # its blind pair's other audit is submitted
            raise ApplicationError(str(PAIR_SUBMITTED))
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
