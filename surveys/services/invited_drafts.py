"""Where a person invited to an anonymous survey is in answering it: never on their invitation.

On PostgreSQL every row carries the id of the transaction that last wrote it (`xmin`), readable
by anyone who may read the table. Were the invitation written when its person saves a page or
submits, its transaction id would sit next to (or equal) that of the response, and link the
two. So for an anonymous survey the draft answers, the page to resume at and whether it was
answered live in an `OpenDraft` (`by_invitation`) whose key is an HMAC of the invitation's id
under the secret key (`surveys.models.invited_draft_key`): nothing written while the person
answers names the invitation, and only the platform can find the draft from it
(docs/surveys.md, "What anonymous means").

Everything that asks whether an invitation was started or answered asks here: for a named
survey the invitation itself says; for an anonymous one, its keyed draft.
"""

from __future__ import annotations

from collections.abc import Iterable

from surveys.models import Invitation, OpenDraft, invited_draft_key


def invited_drafts(invitations: Iterable[Invitation]) -> dict[int, OpenDraft]:
    """The keyed drafts of the anonymous surveys' invitations among `invitations` (their
    `survey` loaded), by invitation id, in one query: the drafts of those surveys, matched to
    their invitations by the keys computed here (a list of keys would meet the database's
    limit on parameters)."""
    keys: dict[str, int] = {}
    survey_ids: set[int] = set()
    for invitation in invitations:
        if invitation.survey.anonymous:
            keys[invited_draft_key(invitation.pk)] = invitation.pk
            survey_ids.add(invitation.survey_id)
    if not keys:
        return {}
    drafts = OpenDraft.objects.filter(survey_id__in=survey_ids, by_invitation=True).only(
        "pk", "key_sha256", "answered"
    )
    return {keys[d.key_sha256]: d for d in drafts.iterator() if d.key_sha256 in keys}


def invitations_answered(invitations: Iterable[Invitation]) -> set[int]:
    """The ids of those of `invitations` (their `survey` loaded) whose answers were submitted."""
    invitations = list(invitations)
    answered = {i.pk for i in invitations if not i.survey.anonymous and i.answered}
    drafts = invited_drafts(invitations)
    return answered | {pk for pk, draft in drafts.items() if draft.answered}


def invitation_answered(invitation: Invitation) -> bool:
    """Whether this one invitation's answers were submitted: its own row, or its keyed draft
    looked up by its key alone (the first email and each reminder ask, one by one)."""
    if not invitation.survey.anonymous:
        return invitation.answered
    key = invited_draft_key(invitation.pk)
    return OpenDraft.objects.filter(key_sha256=key, by_invitation=True, answered=True).exists()
