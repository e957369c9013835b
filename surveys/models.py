"""Surveys: an instrument sent to practitioners, board members or families, by an open link
and by personal invitations.

Every answer is a core Response written through scrutiny.evidence (channel "survey"). What is
around it here:

- `Survey`: which instrument, when it is open, whether it is anonymous, and the open link's
  unguessable public key;
- `Invitation`: one person invited by email. Its single-use token is stored only as a SHA-256
  hash (the plain token is in the emails only); it is an HMAC of the invitation and a random
  salt under the secret key, so a reminder can carry the same link as the first email. While
  the person answers a named survey, their answers so far are kept here (`draft_values`), never
  as a Response, so that the same link resumes from any browser; for an anonymous survey they
  are kept in an `OpenDraft` under `invited_draft_key`, and the invitation is never written
  while the person answers;
- `OpenDraft`: an open-link respondent's draft, found again by a random resume key kept in a
  cookie in their browser and stored here hashed, the draft of someone signed in (a board
  member, or a rights officer entering a family's feedback), or that of a person invited to an
  anonymous survey (`by_invitation`), under a key only the secret key makes from the
  invitation.

Unlinkable by construction (docs/surveys.md, "What anonymous means"): the Response of an
anonymous survey is created only when the answers are submitted, with a random identifier (its
answers too) and no time finer than the day; the invitation or open draft then forgets the
answers and keeps only that it was answered (`answered`); an anonymous survey's invitation
holds none of this (its keyed draft does, with no day). Nothing the platform stores orders or
matches a response to the invitation it came from, PostgreSQL's transaction ids included: the
only rows written while an invitee answers name no invitation (docs/surveys.md).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.crypto import salted_hmac

from scrutiny.models import (
    Agency,
    Instrument,
    InstrumentVersion,
    PractitionerRole,
    Response,
    Scrutiny,
    Source,
)

SURVEY_KINDS = (
    Source.PRACTITIONER_SURVEY,
    Source.BOARD_QUESTIONNAIRE,
    Source.FAMILY_FEEDBACK,
    Source.YOUNG_PEOPLE,
)
# Children and young people answer anonymously, always: never by name, never by an emailed
# invitation; in a session a school or youth worker runs (`YouthSession`), or by the open link.
ANONYMOUS_ONLY_KINDS = (Source.YOUNG_PEOPLE,)

# A session's code is typed by a child from a screen: no letters or digits that look alike
# (no I, L, O, 0 or 1).
SESSION_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SESSION_CODE_LENGTH = 6


def new_public_key() -> str:
    return secrets.token_urlsafe(16)


def new_token() -> str:
    """A single-use token or resume key (plain: never stored)."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invited_draft_key(invitation_pk: int) -> str:
    """The `OpenDraft.key_sha256` of an anonymous survey's invitation: an HMAC of the
    invitation's id under the secret key. Only the platform can make it, so nothing in the
    tables (not even PostgreSQL's transaction ids: docs/surveys.md) ties the draft, or the
    response submitted from it, to the invitation."""
    return salted_hmac("surveys.invited-draft", str(invitation_pk), algorithm="sha256").hexdigest()


class Survey(models.Model):
    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="surveys")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=200)
    opens_at = models.DateTimeField(help_text="Answers are taken from this moment.")
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="No answers are taken after this moment."
    )
    anonymous = models.BooleanField(
        default=True,
        help_text="A submitted response keeps no link to the person, the link they used, "
        "nor a time finer than the day.",
    )
    open_link_enabled = models.BooleanField(
        default=True, help_text="Anyone with the open link may answer."
    )
    reminder_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=7,
        help_text="Days between reminders to people invited who have not submitted; empty for "
        "no reminders.",
    )
    reminder_limit = models.PositiveSmallIntegerField(
        default=2, help_text="How many reminders each person is sent at most."
    )
    public_key = models.CharField(max_length=40, unique=True, default=new_public_key)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scrutiny", "-opens_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Answering(models.Model):
    """Where someone is in answering a survey, whether by invitation (`Invitation`) or not
    (`OpenDraft`): the page to resume at, the answers so far (never a Response: see the
    module's docstring), and, once submitted, that it was answered."""

    current_step = models.CharField(max_length=20, blank=True)
    draft_version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The version being answered, while the answers are a draft.",
    )
    draft_values = models.JSONField(
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="The answers so far (question code to value); emptied on submitting.",
    )
    response = models.ForeignKey(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The submitted response, for surveys that are not anonymous only.",
    )
    answered = models.BooleanField(default=False, help_text="Whether the answers were submitted.")

    class Meta:
        abstract = True


class Invitation(Answering):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.ForeignKey(
        PractitionerRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    token_salt = models.CharField(
        max_length=40,
        default=new_public_key,
        help_text="With the secret key, makes the link's token again for a reminder; the token "
        "itself is never stored.",
    )
    language = models.CharField(
        max_length=8,
        blank=True,
        help_text="The language of the emails and the pages when the link is opened (en, cy); "
        "empty for the partnership's default language.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateField(
        null=True,
        blank=True,
        help_text="The day only, for surveys that are not anonymous only: an anonymous "
        "survey's invitation keeps no day (surveys.services.answering).",
    )
    used_at = models.DateField(
        null=True,
        blank=True,
        help_text="The day the answers were submitted, for surveys that are not anonymous only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "email"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="invitation_email_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.survey}"


class OpenDraft(Answering):
    """Answers in progress without an invitation row to hold them: an open-link respondent's,
    found again by their resume key; those of someone signed in (`entered_by`): a board member
    answering the board questionnaire by name, or a rights officer entering what a child or
    family said; or those of a person invited to an anonymous survey (`by_invitation`), found
    by `invited_draft_key`, which keep no day (their `started_at` is the survey's opening day)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="open_drafts")
    key_sha256 = models.CharField(max_length=64, unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who answered or entered it, signed in; empty for the open link.",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.ForeignKey(
        PractitionerRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        "YouthSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        help_text="The children's session it was answered in, if any: a group and a setting, "
        "never a child.",
    )
    by_invitation = models.BooleanField(
        default=False,
        help_text="The answering of an anonymous survey's invitation, kept apart from it.",
    )
    started_at = models.DateField(help_text="The day only.")
    used_at = models.DateField(
        null=True,
        blank=True,
        help_text="The day the answers were submitted (none for an invitation's).",
    )

    class Meta:
        ordering = ["survey", "pk"]

    def __str__(self) -> str:
        return f"Open-link draft {self.pk} of {self.survey}"


def new_session_code() -> str:
    return "".join(secrets.choice(SESSION_CODE_ALPHABET) for _ in range(SESSION_CODE_LENGTH))


class YouthSession(models.Model):
    """A children's survey answered together in a setting (a class, a youth group): an adult
    with an account starts it and shows its code on a screen; children type the code at
    `/young/` and answer without an account, anonymously.

    It records that the session was arranged with the consent the setting requires, by whom
    and where, and never who the children were: their answers are anonymous responses, and
    their open drafts keep only that they were answered in this session and the day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="youth_sessions")
    code = models.CharField(
        max_length=SESSION_CODE_LENGTH,
        default=new_session_code,
        help_text="Typed by the children; unique among the sessions not ended.",
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The adult who started it; empty once their account is erased.",
    )
    setting = models.CharField(
        max_length=200, help_text="Where it runs, for example “Fernhill Academy, Year 8”."
    )
    consent_confirmed = models.BooleanField(
        default=False,
        help_text="The adult confirmed the session is arranged with the consent the setting "
        "requires.",
    )
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField(help_text="No child starts answering after this moment.")
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the adult ended it, if they did."
    )

    class Meta:
        ordering = ["survey", "-opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(closed_at__isnull=True),
                name="youth_session_code_unique_while_open",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_confirmed=True),
                name="youth_session_consent_confirmed",
                violation_error_message="A session needs the consent the setting requires.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.setting} ({self.code})"
