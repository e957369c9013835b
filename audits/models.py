"""Case-file audits: the sample of case files, each agency's audit of a case, the moderation
that agrees one response, immediate concerns and the audit trail.

Answers are never stored here: each contribution and each agreed response is a core Response,
written through scrutiny.evidence, so that audits are scored like every other source.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scrutiny.models import Agency, Area, Instrument, Response, Scrutiny
from scrutiny.models.trail import AppendOnlyQuerySet


class Sample(models.Model):
    """The scrutiny's draw of case files from the performance team's case list.

    Everything needed to repeat the draw is kept: the file's checksum, the filters, the column
    stratified by, how many per group and the seed.
    """

    scrutiny = models.OneToOneField(Scrutiny, on_delete=models.CASCADE, related_name="sample")
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samples",
        help_text="The audit tool the agencies complete for each case file.",
    )
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    columns = models.JSONField(default=list, help_text="The case list's columns, in order.")
    filters = models.JSONField(
        default=dict,
        blank=True,
        help_text='Column → the values kept, e.g. {"repeat_plan": ["yes"]}.',
    )
    by = models.CharField(max_length=100, help_text="The column the draw is stratified by.")
    per = models.PositiveIntegerField(help_text="How many case files from each group.")
    seed = models.BigIntegerField()
    population = models.PositiveIntegerField(help_text="Case files in the list after filtering.")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    drawn_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Sample of {self.scrutiny.slug}: {self.per} per {self.by}, seed {self.seed}"


class CaseFile(models.Model):
    """One sampled case file, known by its pseudonymised reference only; never a name."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveIntegerField(help_text="Order in the drawn sample.")
    case_ref = models.CharField(max_length=100)
    group = models.CharField(max_length=200, help_text="Its value of the stratifying column.")
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_files",
        help_text="The partnership area whose code (or name) the group or area column gives.",
    )
    data = models.JSONField(default=dict, help_text="The case list's other columns, as given.")

    class Meta:
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "case_ref"], name="case_file_ref_unique"),
        ]

    def __str__(self) -> str:
        return self.case_ref


class Assignment(models.Model):
    """One agency's audit of one case file, by its assigned auditor.

    `response` is the auditor's contribution (a core Response, draft then submitted).
    `revision` goes up on every save: a page or a client that saves on an older revision is
    refused, so that two tabs or two people never overwrite each other silently.
    """

    class Role(models.TextChoices):
        FIRST = "first", _("Auditor")
        SECOND = "second", _("Independent second auditor")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.FIRST)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    due = models.DateField(null=True, blank=True)
    response = models.OneToOneField(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment",
    )
    revision = models.PositiveIntegerField(default=0)
    current_step = models.CharField(
        max_length=40, blank=True, help_text="The page the auditor was on, to resume there."
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "agency__code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency", "role"], name="assignment_case_agency_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.case_ref}: {self.agency.code} ({self.get_role_display()})"


class Moderation(models.Model):
    """The multi-agency meeting's agreement on one case file: one agreed response that
    supersedes the contributions in scoring (SCORING.md §5), with the reason for each
    disagreement settled."""

    case = models.OneToOneField(CaseFile, on_delete=models.CASCADE, related_name="moderation")
    agreed_response = models.OneToOneField(
        Response, on_delete=models.PROTECT, null=True, blank=True, related_name="moderation"
    )
    rationales = models.JSONField(
        default=dict, blank=True, help_text="Question code → why the agreed answer was chosen."
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Moderation of {self.case.case_ref}"


class ImmediateConcern(models.Model):
    """A child an auditor believes is at risk now. The details stay here; the safeguarding lead
    is emailed a link, never the case."""

    case = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="concerns")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    concern = models.TextField(help_text="What the auditor found. Never sent by email.")
    lead_notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Immediate concern on {self.case.case_ref}"


class AuditEventQuerySet(AppendOnlyQuerySet):
    """Append-only, like the partnership's trail (scrutiny.models.TrailEntry)."""


class AuditEvent(models.Model):
    """The audit trail: who viewed, changed, submitted, reopened or moderated what, and when.
    Append-only: an event is never changed or deleted, except by the retention run."""

    class Action(models.TextChoices):
        SAMPLED = "sampled", pgettext_lazy("audit trail", "Sample drawn")
        ASSIGNED = "assigned", pgettext_lazy("audit trail", "Assigned")
        VIEWED = "viewed", pgettext_lazy("audit trail", "Viewed")
        CHANGED = "changed", pgettext_lazy("audit trail", "Changed")
        SUBMITTED = "submitted", pgettext_lazy("audit trail", "Submitted")
        REOPENED = "reopened", pgettext_lazy("audit trail", "Reopened")
        MODERATED = "moderated", pgettext_lazy("audit trail", "Moderated")
        CONCERN = "concern", pgettext_lazy("audit trail", "Immediate concern raised")

    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="audit_events")
    case = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.TextField(blank=True, help_text="E.g. the reason for reopening.")
    # What `detail` says, as data, so that pages compose it in the reader's language
    # (audits.trail_words); {} for what a person wrote and for events recorded before it existed.
    params = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "at"], name="audit_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The audit trail is append-only: its entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit trail is append-only: use the retention run to expire it.")
