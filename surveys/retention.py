"""The surveys' kinds of personal data for a retention run (scrutiny.retention finds
`SurveysConfig.retention_run` through the app registry): drafts never submitted and the
addresses invitations were sent to.

A survey's drafts keep only the day they were started (surveys.models: nothing finer may be
stored), and none can change once the survey closes, so their period counts from the close: an
open-ended survey keeps its drafts while it is open. An invitation's draft answers go and the
invitation stays, so that the response rates (invited, started, submitted) are unchanged; an
open-link draft, nothing but a draft, goes whole. The keyed draft of an anonymous survey's
invitation (surveys.services.invited_drafts) is as the invitation: its answers go, it stays.

Invitation emails: once the survey closed past the period each address becomes a placeholder
that names nobody (unique, as the table requires); the invitation's agency and role stay for
the response rates, and the trail's mentions of the address go with it, as do the rows of the
survey's refused invitation lists that their jobs kept (each names an address, invited or not).
"""

from __future__ import annotations

from django.db.models import Q

from scrutiny.models import Job, Partnership
from scrutiny.people_data import trail_scrub
from scrutiny.retention import ANONYMISED, REMOVED, Cutoffs, RetentionLine
from surveys.imports import INVITATION_LIST
from surveys.models import Invitation, OpenDraft, Survey

REMOVED_DOMAIN = "@removed.invalid"


def invitation_placeholder(pk: int) -> str:
    return f"invitee-{pk}{REMOVED_DOMAIN}"


def drafts_remove(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    closed = Q(survey__scrutiny__partnership=partnership, survey__closes_at__lte=cutoffs.drafts)
    # An invitation's draft answers go and the invitation stays (it counts as started); so does
    # an anonymous survey's invitation's keyed draft (surveys.services.invited_drafts).
    invited = sum(
        model.objects.filter(closed, answered=False, **keyed)
        .exclude(draft_values={}, current_step="")
        .update(draft_values={}, current_step="")
        for model, keyed in ((Invitation, {}), (OpenDraft, {"by_invitation": True}))
    )
    open_drafts = OpenDraft.objects.filter(closed, answered=False, by_invitation=False)
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


def invitation_list_jobs_clean(
    *, partnership: Partnership, cutoffs: Cutoffs
) -> list[RetentionLine]:
    """A refused invitation list's job keeps every row's error, and an error names the address
    it was about, invited or not ("x@y is also in row 2"). By the rule of the invitations'
    addresses (the survey closed past the period) those rows go; how many there were stays."""
    closed = Survey.objects.filter(
        scrutiny__partnership=partnership, closes_at__lte=cutoffs.invitations
    )
    jobs = Job.objects.filter(
        kind=INVITATION_LIST,
        status__in=(Job.Status.DONE, Job.Status.FAILED),
        arguments__survey_id__in=list(closed.values_list("pk", flat=True)),
    )
    cleaned = 0
    for pk, result in jobs.values_list("pk", "result"):
        if isinstance(result, dict) and (result.get("problems") or result.get("errors")):
            rest = {k: v for k, v in result.items() if k not in ("problems", "errors")}
            cleaned += Job.objects.filter(pk=pk).update(
                result={**rest, "problems": [], "errors": []}
            )
    return [
        RetentionLine("invitations", "refused invitation lists' rows in jobs", REMOVED, cleaned)
    ]


def surveys_retention_run(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    return [
        *drafts_remove(partnership=partnership, cutoffs=cutoffs),
        *invitation_emails_remove(partnership=partnership, cutoffs=cutoffs),
        *invitation_list_jobs_clean(partnership=partnership, cutoffs=cutoffs),
    ]
