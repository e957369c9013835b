"""Who may do what. Pages, the API and commands all ask here, and nowhere else.

Fetches named `access_<thing>_for_user` return the object only when the user may see it and raise
Http404 otherwise, so that changing an id in a URL neither reaches nor reveals another agency's
objects.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from scrutiny.models import (
    Action,
    ActionUpdate,
    Agency,
    Job,
    Partnership,
    Priority,
    Publication,
    Scrutiny,
    User,
)

AnyUser = User | AnonymousUser

PARTNERSHIP_WIDE_ROLES = (User.Role.ADMINISTRATOR, User.Role.SCRUTINEER)

_Row = TypeVar("_Row", bound=Model)


def _role(user: AnyUser) -> str | None:
    """The person's role in their partnership, the one rule every `can_*` and `*_visible_to`
    starts from. A superuser is the platform's operator: they add partnerships and their first
    administrators, and have no role in any partnership, so they read no case data."""
    if not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    if user.is_superuser:
        return None
    return user.role


def role_of(user: AnyUser) -> str | None:
    """The role the person acts in (`_role`): for the apps' permission modules, so that the one
    rule about the operator holds there too."""
    return _role(user)


def _of_own_partnership(user: User, rows: QuerySet[_Row]) -> QuerySet[_Row]:
    """The rows (each of one partnership) of the user's partnership; none for a user of none."""
    if user.partnership_id is None:
        return rows.none()
    return rows.filter(partnership_id=user.partnership_id)


def is_administrator(user: AnyUser) -> bool:
    """The partnership's business unit: configures everything."""
    return _role(user) == User.Role.ADMINISTRATOR


def is_scrutineer(user: AnyUser) -> bool:
    return _role(user) == User.Role.SCRUTINEER


def is_board_member(user: AnyUser) -> bool:
    return _role(user) == User.Role.BOARD_MEMBER


def is_agency_lead(user: AnyUser) -> bool:
    return _role(user) == User.Role.AGENCY_LEAD


def can_manage_partnership(user: AnyUser) -> bool:
    """Edit the partnership's details, public statements, agencies, areas and people."""
    return is_administrator(user)


def can_read_trail(user: AnyUser) -> bool:
    """Read and export the partnership's audit trail: the business unit."""
    return is_administrator(user)


def can_manage_people_data(user: AnyUser) -> bool:
    """Answer a subject access request and erase a person's data: the business unit."""
    return is_administrator(user)


def can_read_dpia(user: AnyUser) -> bool:
    """Write the record of processing and the DPIA draft: the business unit."""
    return is_administrator(user)


SECOND_FACTOR_ROLES = (
    User.Role.ADMINISTRATOR,
    User.Role.SCRUTINEER,
    User.Role.AUDITOR,
    User.Role.AGENCY_LEAD,
)


def needs_second_factor(user: AnyUser) -> bool:
    """Whether the person must prove a second factor before any page beyond signing in: the
    business unit and whoever administers people, the scrutineer, and everyone who can see case
    references (auditors, agency leads, and the partnership's named safeguarding lead, who reads
    immediate concerns whatever their role); the platform's operators too. Optional for others:
    board members, practitioners and young scrutineers (published results only, no case data)."""
    if not user.is_authenticated or not user.is_active:
        return False
    assert isinstance(user, User)
    if user.is_superuser or user.is_staff or user.role in SECOND_FACTOR_ROLES:
        return True
    return user.partnership is not None and user.partnership.is_safeguarding_lead(user)


def is_operator(user: AnyUser) -> bool:
    """The platform's operator (a superuser): manages partnerships and their first
    administrators in the admin site, and nothing of a partnership's own."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def can_manage_partnerships(user: AnyUser) -> bool:
    """Add a partnership, name its first administrator: the operator alone."""
    return is_operator(user)


def partnership_of(user: AnyUser) -> Partnership | None:
    """The partnership whose pages the person works in: their own, never another's; none for
    the operator, who works in none."""
    if _role(user) is None:
        return None
    assert isinstance(user, User)
    return user.partnership


def access_partnership_to_manage(user: AnyUser) -> Partnership:
    """The partnership whose details the business unit edits: its own."""
    if not can_manage_partnership(user):
        raise PermissionDenied("Only the partnership's business unit can edit its details.")
    partnership = partnership_of(user)
    if partnership is None:
        raise PermissionDenied("This account belongs to no partnership.")
    return partnership


def can_see_all_agencies(user: AnyUser) -> bool:
    return _role(user) in PARTNERSHIP_WIDE_ROLES


def can_see_agency_people(user: AnyUser, agency: Agency) -> bool:
    """Who works for an agency on the platform: the business unit and that agency's lead."""
    role = _role(user)
    if role == User.Role.ADMINISTRATOR:
        return True
    if role != User.Role.AGENCY_LEAD:
        return False
    assert isinstance(user, User)
    return user.agency_id == agency.pk


def can_use_api_docs(user: AnyUser) -> bool:
    """Offered the API and its documentation: those who set up and run scrutinies through it
    (the business unit and the scrutineer). The documentation shows only the API's schema; each
    operation checks its own permission, whoever calls it."""
    return _role(user) in PARTNERSHIP_WIDE_ROLES


def agencies_visible_to(user: AnyUser) -> QuerySet[Agency]:
    """Agencies whose pages the user may open: all of the partnership's for the business unit and
    the scrutineer, their own agency for agency staff, none for anyone else."""
    role = _role(user)
    agencies = Agency.objects.all()
    if role is None:
        return agencies.none()
    assert isinstance(user, User)
    if role in PARTNERSHIP_WIDE_ROLES:
        return _of_own_partnership(user, agencies)
    if (
        role in (User.Role.AUDITOR, User.Role.AGENCY_LEAD, User.Role.PRACTITIONER)
        and user.agency_id
    ):
        return agencies.filter(pk=user.agency_id)
    return agencies.none()


def access_agency_for_user(user: AnyUser, agency_id: int) -> Agency:
    try:
        return agencies_visible_to(user).get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404("No such agency.") from None


def jobs_visible_to(user: AnyUser) -> QuerySet[Job]:
    """A job's progress is for the person who started it, and for the business unit of the
    partnership it is the work of (its starter's when it started: `Job.partnership`), and only
    within that partnership: someone moved to another partnership takes none of its jobs."""
    role = _role(user)
    if role is None:
        return Job.objects.none()
    assert isinstance(user, User)
    if user.partnership_id is None:
        return Job.objects.filter(partnership__isnull=True, created_by_id=user.pk)
    mine = Job.objects.filter(partnership_id=user.partnership_id)
    return mine if role == User.Role.ADMINISTRATOR else mine.filter(created_by_id=user.pk)


def access_job_for_user(user: AnyUser, job_id: int) -> Job:
    """A job the user may follow; 404 otherwise, the same as for a job that does not exist."""
    try:
        return jobs_visible_to(user).get(pk=job_id)
    except Job.DoesNotExist:
        raise Http404("No such job.") from None


def can_restart_job(user: AnyUser, job: Job) -> bool:
    """Start a stalled job again: the person who started it, and the business unit of their
    partnership (a job fetched through `access_job_for_user`)."""
    return _role(user) is not None and (job.created_by_id == user.pk or is_administrator(user))


# Scrutinies -----------------------------------------------------------------------------------

SCRUTINY_READERS = (User.Role.ADMINISTRATOR, User.Role.SCRUTINEER, User.Role.BOARD_MEMBER)


def can_read_scrutinies(user: AnyUser) -> bool:
    """Whether the person may read scrutinies at all (even before any exists)."""
    return _role(user) in SCRUTINY_READERS


def can_read_published(user: AnyUser) -> bool:
    """The results published to the board when the findings are signed off (`published-list`):
    the board, the business unit, the scrutineer and the young scrutineers of the partnership."""
    return _role(user) in (*SCRUTINY_READERS, User.Role.YOUNG_SCRUTINEER)


def publications_visible_to(user: AnyUser) -> QuerySet[Publication]:
    """The published results the person may read: their partnership's, for those who may read
    published results; 404 for anyone else, so that the pages reveal nothing to them."""
    if not can_read_published(user):
        raise Http404("No published results.")
    assert isinstance(user, User)
    publications = Publication.objects.select_related("scrutiny")
    if user.partnership_id is None:
        return publications.none()
    return publications.filter(scrutiny__partnership_id=user.partnership_id)


def access_publication_for_user(user: AnyUser, slug: str) -> Publication:
    """A scrutiny's published results (by the scrutiny's slug); 404 for a scrutiny not
    published, another partnership's, or a person who may not read published results."""
    try:
        return publications_visible_to(user).get(scrutiny__slug=slug)
    except Publication.DoesNotExist:
        raise Http404("No such published results.") from None


def can_configure_scrutinies(user: AnyUser) -> bool:
    """Set up scrutinies and instruments, import evidence: the business unit and the scrutineer."""
    return _role(user) in PARTNERSHIP_WIDE_ROLES


def scrutinies_visible_to(user: AnyUser) -> QuerySet[Scrutiny]:
    """Scrutinies whose instruments and (suppressed) scores the user may read."""
    role = _role(user)
    if role not in SCRUTINY_READERS:
        return Scrutiny.objects.none()
    assert isinstance(user, User)
    return _of_own_partnership(user, Scrutiny.objects.all())


def access_scrutiny_for_user(user: AnyUser, slug: str) -> Scrutiny:
    try:
        return scrutinies_visible_to(user).get(slug=slug)
    except Scrutiny.DoesNotExist:
        raise Http404("No such scrutiny.") from None


def access_scrutiny_to_configure(user: AnyUser, slug: str) -> Scrutiny:
    """The scrutiny, for someone who may change it; 404 for anyone who may not see it, 403 for
    a reader who may not change it."""
    scrutiny = access_scrutiny_for_user(user, slug)
    if not can_configure_scrutinies(user):
        raise PermissionDenied("Only the business unit and the scrutineer can change a scrutiny.")
    return scrutiny


# The action plan --------------------------------------------------------------------------------

PLAN_READERS = (*SCRUTINY_READERS, User.Role.AGENCY_LEAD)


def can_read_plan(user: AnyUser) -> bool:
    """The delivery plan: the whole of it for the business unit, the scrutineer and the board;
    their own agency's actions for an agency lead."""
    return _role(user) in PLAN_READERS


def access_plan_partnership(user: AnyUser) -> Partnership:
    """The partnership whose plan the person reads (404 for anyone who may not read one)."""
    if not can_read_plan(user):
        raise Http404("No such plan.")
    partnership = partnership_of(user)
    if partnership is None:
        raise Http404("No plan: this account belongs to no partnership.")
    return partnership


def can_plan(user: AnyUser) -> bool:
    """Draft, write and assign actions, priorities and outcomes: the business unit and the
    scrutineer (and the scrutiny event, through them)."""
    return _role(user) in PARTNERSHIP_WIDE_ROLES


def access_plan_to_change(user: AnyUser) -> Partnership:
    """The partnership whose plan the person changes: 404 for anyone who may not read a plan,
    403 for a reader who may not change it."""
    partnership = access_plan_partnership(user)
    if not can_plan(user):
        raise PermissionDenied("Only the business unit and the scrutineer can change the plan.")
    return partnership


def actions_visible_to(user: AnyUser) -> QuerySet[Action]:
    role = _role(user)
    if role not in PLAN_READERS:
        return Action.objects.none()
    assert isinstance(user, User)
    actions = _of_own_partnership(user, Action.objects.all())
    if role == User.Role.AGENCY_LEAD:
        return actions.filter(responsible_id=user.agency_id) if user.agency_id else actions.none()
    return actions


def priorities_visible_to(user: AnyUser) -> QuerySet[Priority]:
    role = _role(user)
    if role not in PLAN_READERS:
        return Priority.objects.none()
    assert isinstance(user, User)
    return _of_own_partnership(user, Priority.objects.all())


def access_action_for_user(user: AnyUser, action_id: int) -> Action:
    try:
        return actions_visible_to(user).select_related("partnership").get(pk=action_id)
    except Action.DoesNotExist:
        raise Http404("No such action.") from None


def can_update_action(user: AnyUser, action: Action) -> bool:
    """Give an action an update (its status, a note, evidence): the business unit, the
    scrutineer, and the lead of the agency responsible for it."""
    role = _role(user)
    if role in PARTNERSHIP_WIDE_ROLES:
        return True
    if role != User.Role.AGENCY_LEAD:
        return False
    assert isinstance(user, User)
    return user.agency_id is not None and action.responsible_id == user.agency_id


def access_action_to_update(user: AnyUser, action_id: int) -> Action:
    action = access_action_for_user(user, action_id)
    if not can_update_action(user, action):
        raise PermissionDenied(
            "Only the business unit, the scrutineer and the responsible agency's lead can "
            "update this action."
        )
    return action


def access_action_to_edit(user: AnyUser, action_id: int) -> Action:
    action = access_action_for_user(user, action_id)
    if not can_plan(user):
        raise PermissionDenied(
            "Only the business unit and the scrutineer can change what an action is and who "
            "leads it."
        )
    return action


def access_priority_for_user(user: AnyUser, priority_id: int) -> Priority:
    try:
        return priorities_visible_to(user).get(pk=priority_id)
    except Priority.DoesNotExist:
        raise Http404("No such priority.") from None


def access_update_document_for_user(user: AnyUser, update_id: int) -> ActionUpdate:
    """An update's document, for anyone who may see its action."""
    try:
        return ActionUpdate.objects.select_related("action").get(
            pk=update_id, action__in=actions_visible_to(user)
        )
    except ActionUpdate.DoesNotExist:
        raise Http404("No such document.") from None
