"""The invitation and reminder emails, in the invitee's language: the invitation's own
(`Invitation.language`, from the invitation list's `language` column), else the partnership's
default language (docs/welsh.md). Each email is written inside `translation.override`, so the
language of the task or request that sends it is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from surveys.models import Invitation


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def invitation_language(invitation: Invitation) -> str:
    """The language the person is written to and shown the survey in, until they choose."""
    partnership = invitation.survey.scrutiny.partnership
    return invitation.language or partnership.default_language or "en"


def invitation_email(invitation: Invitation, link: str, *, reminder: bool = False) -> Email:
    """The first email (or a reminder) with the personal link, in the invitee's language."""
    with translation.override(invitation_language(invitation)):
        title = invitation.survey.title
        subject = (
            gettext("Reminder: please answer %(title)s")
            if reminder
            else gettext("Please answer: %(title)s")
        ) % {"title": title}
        return Email(subject=subject, body=_body(invitation, link, reminder=reminder))


def _body(invitation: Invitation, link: str, *, reminder: bool) -> str:
    survey = invitation.survey
    names = {"partnership": survey.scrutiny.partnership.name, "title": survey.title}
    asks = (
        gettext(
            "A reminder: %(partnership)s would still like you to answer “%(title)s”. If you "
            "have started, the link opens where you stopped."
        )
        if reminder
        else gettext("%(partnership)s asks you to answer “%(title)s”.")
    ) % names
    closes = ""
    if survey.closes_at is not None:
        local = timezone.localtime(survey.closes_at)
        closes = gettext("It closes on %(day)s at %(time)s.") % {
            "day": dateformat.format(local, "j F Y"),
            "time": dateformat.format(local, "H:i"),
        }
        closes += "\n\n"
    recorded = (
        gettext(
            "Your answers are anonymous: they are not linked to you, to this email or to this "
            "link once you submit them."
        )
        if survey.anonymous
        else gettext("Your answers are recorded with your name.")
    )
    return (
        gettext("Hello,")
        + f"\n\n{asks}\n\n"
        + gettext("Answer here (no account is needed):")
        + f"\n{link}\n\n{closes}{recorded}\n\n"
        + gettext(
            "This link is personal: please do not forward it. You can stop and come back to "
            "it; your answers are saved on every page."
        )
        + "\n"
    )
