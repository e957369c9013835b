"""A scrutiny of one theme, its agreed success factors, and the partnership's practitioner roles."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scrutiny.models.people import Partnership, code_validator

slug_validator = RegexValidator(
    r"^[a-z0-9-]+$",
    "Use lower-case letters, numbers and hyphens only, e.g. learning-from-practice.",
)


class Source(models.TextChoices):
    """An instrument's kind is the source of its evidence (SCORING.md)."""

    FILE_AUDIT = "file_audit", _("Multi-agency case-file audit")
    PRACTITIONER_SURVEY = "practitioner_survey", _("Practitioner survey")
    BOARD_QUESTIONNAIRE = "board_questionnaire", _("Board questionnaire")
    FAMILY_FEEDBACK = "family_feedback", _("Family feedback")
    YOUNG_PEOPLE = "young_people", _("Children and young people")


class Scrutiny(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        EVIDENCE = "evidence", _("Evidence gathering")
        ANALYSIS = "analysis", _("Analysis")
        EVENT = "event", _("Scrutiny event")
        ACTION_PLANNING = "action_planning", _("Action planning")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="scrutinies"
    )
    slug = models.SlugField(max_length=80, validators=[slug_validator])
    title = models.CharField(max_length=200)
    priority = models.CharField(
        max_length=300, blank=True, help_text="The partnership priority this scrutiny tests."
    )
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    strong_threshold = models.FloatField(
        default=75, help_text="Scores at or above this are strong evidence."
    )
    some_threshold = models.FloatField(
        default=50, help_text="Scores at or above this (and below strong) are some evidence."
    )
    min_responses = models.PositiveIntegerField(
        default=5, help_text="Fewer counting responses than this: insufficient evidence."
    )
    suppression_threshold = models.PositiveIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Breakdown cells with fewer responses than this are hidden outside the "
        "scrutineer's screen.",
    )
    source_weights = models.JSONField(
        default=dict,
        blank=True,
        help_text='Weight of each source in the factor score, e.g. {"file_audit": 2}. Missing: 1.',
    )
    redaction_terms = models.TextField(
        blank=True,
        help_text="One term a line (names of people, places, schools) removed from every comment "
        "that leaves the scrutineer's screen.",
    )
    divergence_margin = models.FloatField(
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="A factor whose sources' scores differ by more than this many points is "
        "flagged as divergent.",
    )
    event_date = models.DateField(
        null=True, blank=True, help_text="The day of the multi-agency scrutiny event."
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An earlier scrutiny to compare with, factor by factor (by factor code).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts", "slug"]
        verbose_name_plural = _("scrutinies")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"],
                name="scrutiny_slug_unique",
                violation_error_message="The partnership already has a scrutiny with this slug.",
            ),
            models.CheckConstraint(
                condition=models.Q(some_threshold__lte=models.F("strong_threshold")),
                name="scrutiny_thresholds_ordered",
                violation_error_message="The some threshold cannot be above the strong one.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def source_weight(self, source: str) -> float:
        return float(self.source_weights.get(source, 1))

    @property
    def redaction_list(self) -> list[str]:
        return [term.strip() for term in self.redaction_terms.splitlines() if term.strip()]


class SuccessFactor(models.Model):
    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=20, validators=[code_validator])
    statement = models.TextField()

    class Meta:
        ordering = ["scrutiny", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scrutiny", "code"], name="factor_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class PractitionerRole(models.Model):
    """A role respondents choose from (e.g. SW Social worker): the partnership's own list."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="practitioner_roles"
    )
    code = models.CharField(max_length=20, validators=[code_validator])
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="role_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
