"""What the surveys hold about a person, for subject access and erasure (scrutiny.people_data
finds `SurveysConfig.personal_data` and `personal_data_erase` through the app registry).

An invitee's address goes for good: the invitation keeps its agency and role (the response
rates count it) under a placeholder address that names nobody, forgets any draft answers and,
for a survey that was not anonymous, which response it led to; an anonymous survey's keyed
draft (surveys.services.invited_drafts) forgets its draft answers as the invitation does. The
submitted answers stay as evidence that no longer points to anyone.
"""

from __future__ import annotations

from scrutiny.models import Partnership, User
from scrutiny.people_data import ErasureLine, HeldSection
from surveys import permissions
from surveys.models import Invitation, OpenDraft, Survey, YouthSession
from surveys.retention import invitation_placeholder
from surveys.services.invited_drafts import invited_drafts

_ANONYMOUS = "not shown: the survey is anonymous"


def _answering(invitation: Invitation) -> dict[str, object]:
    """Whether the person started and answered, and how often they were reminded. For an
    anonymous survey, not shown: the business unit makes this download, and those who run an
    anonymous survey see counts, not who has answered (surveys.permissions.
    invitation_progress_shown); a download before and after a response arrived would say whose
    it was. The person's unsubmitted draft answers, which are theirs alone, go on erasure."""
    if not permissions.invitation_progress_shown(invitation.survey):
        return dict.fromkeys(
            ("reminders", "started (day)", "answered", "draft answers held"), _ANONYMOUS
        )
    return {
        "reminders": invitation.reminders_sent,
        "started (day)": invitation.started_at,
        "answered": invitation.answered,
        "draft answers held": bool(invitation.draft_values),
    }


def surveys_personal_data(
    *, partnership: Partnership, email: str, user: User | None
) -> list[HeldSection]:
    invitations = Invitation.objects.filter(
        survey__scrutiny__partnership=partnership, email__iexact=email
    ).select_related("survey", "agency", "role")
    sections = [
        HeldSection.of(
            "Survey invitations",
            [
                {
                    "survey": i.survey.title,
                    "address": i.email,
                    "agency": i.agency.code,
                    "role": i.role.code if i.role else "",
                    "sent": i.sent_at,
                    **_answering(i),
                }
                for i in invitations
            ],
            "An anonymous survey's answers cannot be told apart from anyone else's, so they are "
            "not the person's to download.",
        )
    ]
    if user is not None:
        drafts = OpenDraft.objects.filter(
            entered_by=user, survey__scrutiny__partnership=partnership
        ).select_related("survey")
        surveys = Survey.objects.filter(created_by=user, scrutiny__partnership=partnership)
        sections += [
            HeldSection.of(
                "Questionnaires answered or entered while signed in",
                [
                    {
                        "survey": d.survey.title,
                        "started (day)": d.started_at,
                        "submitted": d.answered,
                    }
                    for d in drafts
                ],
            ),
            HeldSection.of(
                "Surveys set up", [{"survey": s.title, "opens": s.opens_at} for s in surveys]
            ),
            HeldSection.of(
                "Children's survey sessions arranged",
                [
                    {
                        "survey": s.survey.title,
                        "setting": s.setting,
                        "consent confirmed": s.consent_confirmed,
                        "started": s.opened_at,
                        "ended": s.closed_at,
                    }
                    for s in YouthSession.objects.filter(
                        arranged_by=user, survey__scrutiny__partnership=partnership
                    ).select_related("survey")
                ],
            ),
        ]
    return sections


def surveys_personal_data_erase(
    *, partnership: Partnership, email: str, user: User | None
) -> list[ErasureLine]:
    invitations = Invitation.objects.filter(
        survey__scrutiny__partnership=partnership, email__iexact=email
    ).select_related("survey")
    # An anonymous survey's draft answers are in the invitation's keyed draft: they go, and
    # the draft stays, as an invitation does (it counts as started; surveys.retention).
    keyed = [d.pk for d in invited_drafts(invitations).values() if not d.answered]
    erased = 0
    for pk in list(invitations.values_list("pk", flat=True)):
        erased += Invitation.objects.filter(pk=pk).update(
            email=invitation_placeholder(pk), draft_values={}, current_step="", response=None
        )
    OpenDraft.objects.filter(pk__in=keyed).update(draft_values={}, current_step="")
    lines = [
        ErasureLine(
            "survey invitations' address, draft answers and link to a response", erased, True
        )
    ]
    if user is not None:
        drafts = OpenDraft.objects.filter(
            entered_by=user, survey__scrutiny__partnership=partnership
        )
        removed = drafts.filter(answered=False).delete()[0]
        unlinked = drafts.update(entered_by=None)
        lines += [
            ErasureLine("questionnaire drafts of the person", removed, True),
            ErasureLine("submitted questionnaires' link to the person", unlinked, True),
        ]
    return lines
