"""The surveys' kinds of personal data for a retention run (scrutiny.retention finds
`SurveysConfig.retention_run` through the app registry): drafts never submitted and the
addresses invitations were sent to.

A survey's drafts keep only the day they were started (surveys.models: nothing finer may be
stored), and none can change once the survey closes, so their period counts from the close: an
open-ended survey keeps its drafts while it is open. An invitation's draft answers go and the
invitation stays, so that the response rates (invited, started, submitted) are unchanged; an
open-link draft, nothing but a draft, goes whole.

Invitation emails: once the survey closed past the period each address becomes a placeholder
that names nobody (unique, as the table requires); the invitation's agency and role stay for
the response rates, and the trail's mentions of the address go with it.
"""

from __future__ import annotations

from django.db.models import Q

from scrutiny.models import Partnership
from scrutiny.people_data import trail_scrub
from scrutiny.retention import ANONYMISED, REMOVED, Cutoffs, RetentionLine
from surveys.models import Invitation, OpenDraft

REMOVED_DOMAIN = "@removed.invalid"


def invitation_placeholder(pk: int) -> str:
    return f"invitee-{pk}{REMOVED_DOMAIN}"


def drafts_remove(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    closed = Q(survey__scrutiny__partnership=partnership, survey__closes_at__lte=cutoffs.drafts)
    invited = (
        Invitation.objects.filter(closed, answered=False)
        .exclude(draft_values={}, current_step="")
        .update(draft_values={}, current_step="")
    )
    open_drafts = OpenDraft.objects.filter(closed, answered=False)
    removed = open_drafts.count()
    open_drafts.delete()
    return [
        RetentionLine("drafts", "invitations' draft answers", REMOVED, invited),
        RetentionLine("drafts", "open-link and signed-in drafts", REMOVED, removed),
    ]


def invitation_emails_remove(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    invitations = Invitation.objects.filter(
        survey__scrutiny__partnership=partnership, survey__closes_at__lte=cutoffs.invitations
    ).exclude(email__endswith=REMOVED_DOMAIN)
    rows = list(invitations.values_list("pk", "email"))
    for pk, _ in rows:
        Invitation.objects.filter(pk=pk).update(email=invitation_placeholder(pk))
    emails = {email for _, email in rows}
    trail_scrub(partnership=partnership, emails=emails, replacement="[an invitee's address]")
    return [RetentionLine("invitations", "invitation email addresses", ANONYMISED, len(rows))]


def surveys_retention_run(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    return [
        *drafts_remove(partnership=partnership, cutoffs=cutoffs),
        *invitation_emails_remove(partnership=partnership, cutoffs=cutoffs),
    ]
