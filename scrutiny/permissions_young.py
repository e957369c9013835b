"""Who may do what for young scrutineers (issue 16), beside `scrutiny.permissions`, whose rules
these build on (that module is at the house's 400-line limit).

A young scrutineer reads their partnership's published results (`can_read_published`) and the
pages made for them, and nothing else: no workspace, no set-up, no audits or surveys, no
agency's people, no API, no plan. What they read comes from a publication's snapshot only, so a
scrutiny not yet published to the board, a case reference or a named board answer never
reaches them. They see no case data, so a second factor is optional for them.

- `access_publication_for_young_scrutineer`: a published scrutiny's young scrutineers' pages
  (their observations, their feedback): 404 for anyone who may not read it, 403 for a reader of
  published results who is not a young scrutineer;
- `access_publication_for_plain_summary`: the plain-language summary, written by the business
  unit or the scrutineer and approved by the scrutineer alone (`can_approve_plain_summary`);
- `can_read_young_feedback`: the young scrutineers' feedback over time, for the business unit,
  the scrutineer and the board.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from scrutiny.models import Partnership, Publication, User
from scrutiny.permissions import (
    PARTNERSHIP_WIDE_ROLES,
    AnyUser,
    access_publication_for_user,
    is_scrutineer,
    partnership_of,
    role_of,
)

FEEDBACK_READERS = (*PARTNERSHIP_WIDE_ROLES, User.Role.BOARD_MEMBER)


def is_young_scrutineer(user: AnyUser) -> bool:
    return role_of(user) == User.Role.YOUNG_SCRUTINEER


def access_publication_for_young_scrutineer(user: AnyUser, slug: str) -> Publication:
    """A published scrutiny, for a young scrutineer of its partnership; 404 for a scrutiny not
    published or another partnership's, 403 for a reader who is not a young scrutineer."""
    publication = access_publication_for_user(user, slug)
    if not is_young_scrutineer(user):
        raise PermissionDenied(_("These pages are for the partnership's young scrutineers."))
    return publication


def can_write_plain_summary(user: AnyUser) -> bool:
    """Write the plain-language summary of a scrutiny's findings: the business unit and the
    scrutineer."""
    return role_of(user) in PARTNERSHIP_WIDE_ROLES


def can_approve_plain_summary(user: AnyUser) -> bool:
    """Approve it for the young scrutineers: the Independent Scrutineer alone."""
    return is_scrutineer(user)


def access_publication_for_plain_summary(user: AnyUser, slug: str) -> Publication:
    """A published scrutiny whose plain-language summary the person writes: 404 for anyone who
    may not read it, 403 for a reader who may not write it."""
    publication = access_publication_for_user(user, slug)
    if not can_write_plain_summary(user):
        raise PermissionDenied(
            "Only the business unit and the scrutineer write the plain-language summary."
        )
    return publication


def can_read_young_feedback(user: AnyUser) -> bool:
    """The young scrutineers' feedback over time (counts, small numbers suppressed)."""
    return role_of(user) in FEEDBACK_READERS


def access_young_feedback_partnership(user: AnyUser) -> Partnership:
    """The partnership whose young scrutineers' feedback the person reads: 404 for anyone else."""
    partnership = partnership_of(user)
    if not can_read_young_feedback(user) or partnership is None:
        raise Http404("No such page.")
    return partnership
