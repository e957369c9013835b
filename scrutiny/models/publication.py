"""A scrutiny's results as published to its partnership's board when the findings are signed off.

The snapshot is the event pack's data (`scrutiny.packs.data.pack_data`: every number through the
small-number suppression, every text through the redaction) frozen as it stood at sign-off, so
that what the board reads never moves with evidence that arrives later. One a scrutiny: signing
off findings added since (a factor added after publishing) publishes it again in its place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scrutiny.models.jobs import Job
from scrutiny.models.scrutinies import Scrutiny


class Publication(models.Model):
    scrutiny = models.OneToOneField(Scrutiny, on_delete=models.CASCADE, related_name="publication")
    snapshot = models.JSONField(
        default=dict, help_text="The event pack's data as signed off: suppressed and redacted."
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The pack's PDF, rendered from the snapshot by a job (scrutiny.publishing), and the digest
    # of the redaction terms it was rendered with (`Redactor.digest`): a PDF of other terms than
    # today's is not served, and is rendered again.
    pdf = models.FileField(upload_to="published/", blank=True)
    pdf_redaction = models.CharField(max_length=64, blank=True, default="")
    job = models.OneToOneField(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="publication"
    )
    # The findings in plain words for young scrutineers (and anyone), written from the snapshot
    # and shown to young scrutineers only once the scrutineer has approved it.
    plain_summary = models.TextField(blank=True)
    plain_summary_approved_at = models.DateTimeField(null=True, blank=True)
    plain_summary_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The board members told by email, so that a retried email task tells nobody twice.
    emailed = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"Published results of {self.scrutiny}"
