"""Who may read possible disclosures of harm in children's answers (issue 16), beside
`scrutiny.permissions`, whose rules these build on (that module is at the house's 400-line
limit).

A flagged answer's words are read by the partnership's business unit, who act on them with the
safeguarding lead, and by the scrutineer, on whose screen the answer already is. Nobody else:
not the board, an agency lead, an auditor, a young scrutineer, nor another partnership.

- `can_read_disclosures`: the business unit and the scrutineer;
- `disclosures_visible_to`: the flagged answers of the person's partnership they may read
  (none for anyone else), for the list and the home page's count.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from scrutiny.models import Answer, User
from scrutiny.permissions import PARTNERSHIP_WIDE_ROLES, AnyUser, role_of


def can_read_disclosures(user: AnyUser) -> bool:
    """Read the possible disclosures of the partnership's children: the business unit and the
    scrutineer."""
    return role_of(user) in PARTNERSHIP_WIDE_ROLES


def can_review_disclosures(user: AnyUser) -> bool:
    """Record what was done about a possible disclosure: the business unit, who acts on them
    with the safeguarding lead."""
    return role_of(user) == User.Role.ADMINISTRATOR


def disclosures_visible_to(user: AnyUser) -> QuerySet[Answer]:
    """The flagged answers of submitted responses of the person's own partnership, for one who
    may read them; none otherwise."""
    if not can_read_disclosures(user):
        return Answer.objects.none()
    assert isinstance(user, User)
    if user.partnership_id is None:
        return Answer.objects.none()
    return Answer.objects.filter(
        disclosure=True,
        response__scrutiny__partnership_id=user.partnership_id,
        response__status="submitted",
    )


def access_disclosure_to_review(user: AnyUser, answer_id: int) -> Answer:
    """A possible disclosure the business unit may record a review of; 404 otherwise, the same
    as for an answer that does not exist."""
    if not can_review_disclosures(user):
        raise Http404("No such page.")
    answer = disclosures_visible_to(user).filter(pk=answer_id).first()
    if answer is None:
        raise Http404("No such possible disclosure.")
    return answer
