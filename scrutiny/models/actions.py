"""Action plans: the partnership's delivery plan of priorities and outcomes, and the actions
that scrutinies' findings start, each tracked with BRAG status and a history of updates.

BRAG (this partnership's delivery plan): Blue complete, Green on track, Amber at risk, Red off
track. Every change of status carries an update note, kept as history; Blue needs evidence of
impact (`scrutiny.plan.action_update` enforces both), so "done" means done and evidenced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scrutiny.models.people import Agency, Partnership
from scrutiny.models.scrutinies import Scrutiny, SuccessFactor


class Brag(models.TextChoices):
    BLUE = "blue", _("Blue: complete")
    GREEN = "green", _("Green: on track")
    AMBER = "amber", _("Amber: at risk")
    RED = "red", _("Red: off track")


class Priority(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    measuring_impact = models.TextField(
        blank=True, help_text="How the partnership will know the priority made a difference."
    )
    related_work = models.TextField(blank=True, help_text="Other work the priority draws on.")

    class Meta:
        ordering = ["partnership", "position", "pk"]
        verbose_name_plural = _("priorities")

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="outcomes")
    text = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["priority", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Action(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    scrutiny = models.ForeignKey(
        Scrutiny, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    factor = models.ForeignKey(
        SuccessFactor, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Its number in the delivery plan, as published."
    )
    text = models.TextField(help_text="What will be done.")
    responsible = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The agency responsible, where one is.",
    )
    responsible_group = models.CharField(
        max_length=200, blank=True, help_text="A group of the partnership, where it leads."
    )
    lead_name = models.CharField(max_length=200, blank=True, help_text="The named lead.")
    lead_email = models.EmailField(blank=True)
    timescale = models.DateField(null=True, blank=True)
    measures = models.TextField(blank=True, help_text="How its impact will be measured.")
    status = models.CharField(max_length=10, choices=Brag.choices, default=Brag.GREEN)
    flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last flagged as overdue or drifting."
    )
    flag_reason = models.CharField(max_length=300, blank=True, help_text="Why it was flagged.")
    carried_from = models.ForeignKey(
        Scrutiny,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earlier scrutiny of the theme it was carried from, still open.",
    )
    scrutiny_trail = models.ManyToManyField(
        Scrutiny,
        blank=True,
        related_name="+",
        help_text="Every scrutiny whose plan it has been in: its words may carry identifiers of "
        "any of them, so the redaction of each applies wherever it leaves the platform.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "timescale", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionUpdate(models.Model):
    class Evidence(models.TextChoices):
        NONE = "", _("No evidence of impact")
        SCRUTINY = "scrutiny", _("A later scrutiny's factor moving")
        AUDIT = "audit", _("An audit")
        DOCUMENT = "document", _("A document")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=10, choices=Brag.choices)
    note = models.TextField()
    evidence_kind = models.CharField(max_length=20, choices=Evidence.choices, blank=True)
    evidence = models.TextField(blank=True, help_text="What shows the impact, and where.")
    evidence_scrutiny = models.ForeignKey(
        Scrutiny,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The later scrutiny whose factor moved.",
    )
    document = models.FileField(upload_to="action-evidence/%Y/%m/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    link = models.URLField(blank=True, help_text="Where the document is kept.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.note[:40]}"
