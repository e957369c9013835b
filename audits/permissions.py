"""Who may see and do what in case-file audits. Built on scrutiny.permissions; pages, the API
and commands of the audits app ask here and nowhere else.

- The business unit and the Independent Scrutineer draw samples, assign, moderate and see all.
- An auditor sees the audits assigned to them and their own agency's contributions to the same
  case files, except that an independent second auditor's audit and the first auditor's are
  hidden from each other until both are submitted (blind second audit).
- Nobody else sees case references.
- A submitted audit is reopened by the business unit, the scrutineer or its own auditor; not by
  its auditor once the other audit of its blind pair is submitted (they could copy it).
- An immediate concern is read by the business unit and the scrutineer of its partnership, the
  partnership's named safeguarding lead and the person who raised it while an auditor of that
  partnership; acknowledged by the lead, the business unit and the scrutineer (not by the
  raiser alone).
- Everything is within the person's partnership now: someone moved to another keeps nothing of
  the first one's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from audits.models import Assignment, ImmediateConcern
from scrutiny import permissions
from scrutiny.models import Partnership, Response, Scrutiny, User
from scrutiny.permissions import AnyUser
from scrutiny.prepared import Prepared


def can_run_audits(user: AnyUser) -> bool:
    """Draw samples, assign auditors, moderate: the business unit and the scrutineer."""
    return permissions.can_configure_scrutinies(user)


def is_auditor(user: AnyUser) -> bool:
    return bool(
        permissions.role_of(user) == User.Role.AUDITOR
        and isinstance(user, User)
        and user.agency_id is not None
    )


def access_scrutiny_audits_for_user(user: AnyUser, slug: str) -> Scrutiny:
    """The scrutiny, for someone who runs its audits; 404 for everyone else."""
    if not can_run_audits(user):
        raise Http404("No such scrutiny.")
    return permissions.access_scrutiny_for_user(user, slug)


def _within(partnership_id: int) -> Q:
    """Assignments of the person's partnership now: someone moved to another partnership keeps
    none of the first one's audits, not even those they did."""
    return Q(case__sample__scrutiny__partnership_id=partnership_id)


def assignments_visible_to(user: AnyUser) -> QuerySet[Assignment]:
    """Assignments whose case reference and contribution the user may see (before the blind
    rule, which `can_see_contribution` applies to one assignment at a time)."""
    everything = Assignment.objects.select_related("case__sample__scrutiny", "agency", "auditor")
    if can_run_audits(user):
        assert isinstance(user, User)
        if user.partnership_id is None:
            return everything.none()
        return everything.filter(_within(user.partnership_id))
    if is_auditor(user):
        assert isinstance(user, User)
        if user.partnership_id is None:
            return everything.none()
        return everything.filter(
            Q(auditor=user) | Q(agency_id=user.agency_id), _within(user.partnership_id)
        )
    return everything.none()


def assignments_for_auditor(user: AnyUser) -> QuerySet[Assignment]:
    """The audits assigned to this person: their own page."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return assignments_visible_to(user).filter(auditor=user)


def _blind_hidden(user: User, assignment: Assignment) -> bool:
    """True while an independent second audit and the first audit of the same agency hide
    each other from their auditors, i.e. until both are submitted."""
    if assignment.auditor_id == user.pk:
        return False
    own = Assignment.objects.filter(
        case_id=assignment.case_id, agency_id=assignment.agency_id, auditor=user
    ).exclude(role=assignment.role)
    if not own.exists():
        return False
    pair = Assignment.objects.filter(case_id=assignment.case_id, agency_id=assignment.agency_id)
    submitted = pair.filter(response__status=Response.Status.SUBMITTED).count()
    return submitted < pair.count()


def can_see_contribution(user: AnyUser, assignment: Assignment) -> bool:
    if can_run_audits(user):
        return True
    if not is_auditor(user):
        return False
    assert isinstance(user, User)
    if assignment.auditor_id != user.pk and assignment.agency_id != user.agency_id:
        return False
    return not _blind_hidden(user, assignment)


def access_assignment_for_user(user: AnyUser, assignment_id: int) -> Assignment:
    """An assignment the user may see; 404 otherwise, so an id changed in a URL reveals
    nothing."""
    try:
        assignment = assignments_visible_to(user).get(pk=assignment_id)  # no ordering: `get`
    except Assignment.DoesNotExist:
        raise Http404("No such audit.") from None
    if not can_see_contribution(user, assignment):
        raise Http404("No such audit.")
    return assignment


def _own_assignment(pk: int, auditor: int, partnership: int) -> QuerySet[Assignment]:
    """One's own assignment as `assignments_visible_to` shows it to someone who may see any
    (the business unit, the scrutineer, an auditor): for their own, both of its rules come to
    `_within` their partnership. Its draft response with the version it answers, and the
    sample's audit tool, come with it (the audit's pages read them); the auditor does not,
    being the person asking (one joined table fewer, which PostgreSQL plans in about half the
    time: bench/RESULTS.md)."""
    return Assignment.objects.select_related(
        "case__sample__scrutiny",
        "case__sample__instrument",
        "agency",
        "response__version__instrument",
    ).filter(_within(partnership), pk=pk, auditor_id=auditor)


# Read on every request of an audit's pages: its SQL made once a process (scrutiny.prepared;
# compiling it was most of the audit page's own CPU).
_OWN_ASSIGNMENT = Prepared(
    _own_assignment,
    pk=Assignment._meta.pk,
    auditor=User._meta.pk,
    partnership=Partnership._meta.pk,
)


def access_assignment_to_complete(user: AnyUser, assignment_id: int) -> Assignment:
    """An assignment the user may fill in: only its own auditor, while it is visible to them
    (`assignments_visible_to`: its partnership is theirs). 404 otherwise."""
    if not (can_run_audits(user) or is_auditor(user)):
        raise Http404("No such audit.")
    assert isinstance(user, User)  # both are people
    if user.partnership_id is None:
        raise Http404("No such audit.")
    assignment = _OWN_ASSIGNMENT.one(
        pk=assignment_id, auditor=user.pk, partnership=user.partnership_id
    )
    if assignment is None:
        raise Http404("No such audit.")
    assignment.auditor = user
    return assignment


PAIR_SUBMITTED = gettext_lazy(
    "The other audit of this case file for your agency has been submitted, so you can read its "
    "answers now: only the business unit or the scrutineer can reopen yours. Ask them, and say "
    "why."
)


def _reopens_by_role(user: AnyUser, assignment: Assignment) -> bool:
    """The business unit and the scrutineer, for any audit; its own auditor, for theirs."""
    return can_run_audits(user) or (
        user.is_authenticated and user.is_active and assignment.auditor_id == user.pk
    )


def audit_reopen_barred_by_pair(user: AnyUser, assignment: Assignment) -> bool:
    """True when the audit is one of a blind pair (the same case file and agency, the other
    role) whose other audit is submitted, and the person is not one who runs the audits. Both
    auditors can then read each other's answers (`_blind_hidden`): an auditor who reopened
    their own could copy the other's and resubmit, and the pair's agreement (Cohen's kappa,
    audits.agreement) would count the copy as an independent audit agreeing."""
    if can_run_audits(user):
        return False
    return (
        Assignment.objects.filter(
            case_id=assignment.case_id,
            agency_id=assignment.agency_id,
            response__status=Response.Status.SUBMITTED,
        )
        .exclude(role=assignment.role)
        .exists()
    )


def audit_may_reopen(user: AnyUser, assignment: Assignment) -> bool:
    """The business unit and the scrutineer may reopen any audit; an auditor their own, unless
    its blind pair's other audit is submitted (`audit_reopen_barred_by_pair`)."""
    return _reopens_by_role(user, assignment) and not audit_reopen_barred_by_pair(user, assignment)


def access_assignment_to_reopen(user: AnyUser, assignment_id: int) -> Assignment:
    """An assignment the user may see (404 otherwise) and reopen (403 otherwise). Its own
    auditor passes here even when `audit_may_reopen` refuses them, so that the page and the
    service say why (PAIR_SUBMITTED)."""
    assignment = access_assignment_for_user(user, assignment_id)
    if not _reopens_by_role(user, assignment):
        raise PermissionDenied(
            "Only the business unit, the scrutineer or the audit's own auditor can reopen it."
        )
    return assignment


# Immediate concerns -----------------------------------------------------------------------------


def _is_named_lead(user: User, concern: ImmediateConcern) -> bool:
    """The concern's partnership's named safeguarding lead: who must, for that, prove a second
    factor (scrutiny.permissions.needs_second_factor), as every other reader of a concern."""
    return concern.case.sample.scrutiny.partnership.is_safeguarding_lead(user)


def access_concern_for_user(user: AnyUser, concern_id: int) -> ImmediateConcern:
    """An immediate concern, for the business unit and the scrutineer of its partnership, the
    partnership's named safeguarding lead (by their email address) and the person who raised
    it; 404 for everyone else."""
    concern = (
        ImmediateConcern.objects.select_related(
            "case__sample__scrutiny__partnership",
            "case__area",
            "assignment__agency",
            "raised_by__agency",
            "acknowledged_by",
        )
        .filter(pk=concern_id)
        .first()
    )
    if concern is None or not user.is_authenticated or not user.is_active:
        raise Http404("No such concern.")
    assert isinstance(user, User)
    partnership_id = concern.case.sample.scrutiny.partnership_id
    same_partnership = user.partnership_id == partnership_id
    if (
        # The person who raised it, while still an auditor of its partnership: not once moved
        # to another partnership, nor in a role that sees no case file (and so signs in with
        # no second factor).
        (concern.raised_by_id == user.pk and is_auditor(user) and same_partnership)
        or (can_run_audits(user) and same_partnership)
        or _is_named_lead(user, concern)
    ):
        return concern
    raise Http404("No such concern.")


def concern_may_acknowledge(user: AnyUser, concern: ImmediateConcern) -> bool:
    """The lead, the business unit and the scrutineer acknowledge; the raiser alone does not."""
    if not isinstance(user, User):
        return False
    return can_run_audits(user) or _is_named_lead(user, concern)


def concern_may_open_audit(user: AnyUser, concern: ImmediateConcern) -> bool:
    """Whether the concern's page links to the audit it was raised in: for those who run the
    audits and for that audit's own auditor."""
    return concern.assignment is not None and (
        can_run_audits(user) or concern.assignment.auditor_id == user.pk
    )
