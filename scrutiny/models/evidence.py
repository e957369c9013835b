"""Evidence: responses and their answers, stored once whatever the channel.

Each answer carries its score (SCORING.md §2) fixed when it is saved. That is safe because a
version with responses is never changed, and it makes every score a database aggregate.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scrutiny.models.instruments import Instrument, InstrumentVersion, Option, Question
from scrutiny.models.people import Agency, Area
from scrutiny.models.scrutinies import PractitionerRole, Scrutiny, Source


def counting_q(prefix: str = "") -> models.Q:
    """SCORING.md §5, the one place it is written: a response counts when it is submitted and
    not superseded by a moderated, agreed response. `prefix` reaches a response through a
    relation (``"response__"`` from an answer)."""
    return models.Q(
        **{f"{prefix}status": Response.Status.SUBMITTED, f"{prefix}superseded_by__isnull": True}
    )


class ResponseQuerySet(models.QuerySet["Response"]):
    def counting(self) -> ResponseQuerySet:
        """The counting responses (SCORING.md §5)."""
        return self.filter(counting_q())


class AnswerQuerySet(models.QuerySet["Answer"]):
    def counting(self) -> AnswerQuerySet:
        """The answers of counting responses (SCORING.md §5)."""
        return self.filter(counting_q("response__"))

    def counting_in(self, scrutiny: Scrutiny | int) -> AnswerQuerySet:
        """The answers of one scrutiny's counting responses (SCORING.md §5), found through its
        responses: ``response_id IN (its counting responses)``, which reads the responses' index
        first. A join on the response lets SQLite scan every scrutiny's answers instead, when
        one scrutiny is far larger than the rest (its statistics average them all)."""
        responses = Response.objects.counting().filter(scrutiny=scrutiny).values("pk")
        return self.filter(response_id__in=responses)


def random_number() -> int:
    """A number that says nothing of when its row was written: random, below 2**52 so that
    every JSON reader keeps it exact, and above 2**40, clear of the sequences' own numbers."""
    return 2**40 + secrets.randbelow(2**52 - 2**40)


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("status", "Submitted")

    class Channel(models.TextChoices):
        WORKBOOK = "workbook", _("Workbook import")
        AUDIT = "audit", _("Case-file audit")
        SURVEY = "survey", _("Questionnaire")
        API = "api", _("API")
        DEMO = "demo", _("Demo data")

    # scrutiny, instrument and source repeat what the version says, so that scoring a
    # scrutiny reads one table without joins through versions and instruments.
    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.RESTRICT, related_name="responses"
    )
    source = models.CharField(max_length=30, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    ref = models.CharField(max_length=100, blank=True, help_text="The response's own reference.")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    role = models.ForeignKey(
        PractitionerRole, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    case_ref = models.CharField(
        max_length=100, blank=True, help_text="Pseudonymised case reference."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        max_length=8,
        blank=True,
        help_text="The language the answers were given in (en, cy); empty when not known.",
    )
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="Of the answers and details, so an unchanged re-import is skipped.",
    )
    # The name the response leaves under in row-level outputs (scrutiny.disclosure.pseudonyms):
    # random, so that nothing of it orders the responses by when they came.
    pseudonym = models.BigIntegerField(default=random_number, editable=False)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text="The moderated, agreed response that replaces this contribution.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "ref"],
                condition=~models.Q(ref=""),
                name="response_ref_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["scrutiny", "status", "source"], name="response_counting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} response {self.ref or self.pk}"


class Answer(models.Model):
    """One answer. A multiple-choice answer is one row per chosen option."""

    # No index of their own: the unique (response, question, option) and the distribution's
    # (question, option) indexes begin with them and serve every lookup by either. Two fewer
    # indexes to keep on the largest table make a million answers import faster.
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.RESTRICT, related_name="answers", db_index=False
    )
    option = models.ForeignKey(
        Option, on_delete=models.RESTRICT, null=True, blank=True, related_name="answers"
    )
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    score = models.FloatField(
        null=True, blank=True, help_text="0 to 1 for a scored option (SCORING.md §2), else empty."
    )
    # A free-text answer that may mean a child is being harmed (the partnership's disclosure
    # phrases): flagged to the business unit, and its text never leaves the scrutineer's screen.
    disclosure = models.BooleanField(default=False)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "option"], name="answer_option_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["question", "option"], name="answer_distribution_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.option or self.text or self.number or self.date}"
