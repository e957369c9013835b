"""The scrutineer's workspace: findings per success factor, quotes tagged from the comments,
qualitative notes the numbers miss, and the event packs built from them.

A signed-off finding is frozen with the data it was drawn from (`frozen`): the scorecard row
and evidence counts of its factor at that moment, so the finding can always be read beside the
numbers it was written about, whatever evidence arrives later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scrutiny.models.evidence import Answer
from scrutiny.models.jobs import Job
from scrutiny.models.scrutinies import Scrutiny, SuccessFactor


class Finding(models.Model):
    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="findings")
    factor = models.OneToOneField(SuccessFactor, on_delete=models.CASCADE, related_name="finding")
    drafted = models.TextField(blank=True, help_text="What the data says, drafted by the platform.")
    strengths = models.TextField(blank=True, help_text="One strength a line, each citing evidence.")
    improvements = models.TextField(
        blank=True, help_text="One area for improvement a line, each citing evidence."
    )
    frozen = models.JSONField(
        default=dict, blank=True, help_text="The factor's data when the finding was signed off."
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["factor__code"]

    def __str__(self) -> str:
        return f"Finding for {self.factor.code}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class Quote(models.Model):
    """A comment tagged for the pack. Its text is redacted when it is tagged (and again on the
    way out); `label` is the agency or area it could be shown with when it was tagged (what
    leaves the screen is the label it may carry then: `scrutiny.disclosure.QuoteLabels`)."""

    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="quotes")
    factor = models.ForeignKey(SuccessFactor, on_delete=models.CASCADE, related_name="quotes")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    source = models.CharField(max_length=30)
    label = models.CharField(max_length=200, blank=True)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["factor__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["factor", "answer"], name="quote_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"Quote for {self.factor.code}"


class EvidenceNote(models.Model):
    """Qualitative evidence the numbers miss: a practitioner forum, the scrutiny event itself."""

    class Kind(models.TextChoices):
        PRACTITIONER_FORUM = "practitioner_forum", _("Practitioner forum")
        SCRUTINY_EVENT = "scrutiny_event", _("Scrutiny event")
        # Recorded by a young scrutineer; shown with their role, never their name.
        YOUNG_SCRUTINEER = "young_scrutineer", _("Young scrutineers' observation")
        OTHER = "other", _("Other")

    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="notes")
    factors = models.ManyToManyField(SuccessFactor, related_name="notes")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} note"


class EventPack(models.Model):
    """A scrutiny event pack as built: its files, when, by whom, from which data."""

    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="packs")
    job = models.OneToOneField(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="pack"
    )
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    built_at = models.DateTimeField(null=True, blank=True)
    data_version = models.CharField(
        max_length=64, blank=True, help_text="A fingerprint of the data the pack was built from."
    )
    pdf = models.FileField(upload_to="packs/", blank=True)
    xlsx = models.FileField(upload_to="packs/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Event pack {self.pk} of {self.scrutiny}"
