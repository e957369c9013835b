"""What the business unit did about a child's answer that may mean harm (scrutiny.disclosure):
recorded once, so that the answer leaves the list of those still to look at."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scrutiny.models.evidence import Answer


class DisclosureReview(models.Model):
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="review")
    note = models.TextField(help_text="What was done, e.g. agreed with the safeguarding lead.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"Review of a possible disclosure ({self.reviewed_at:%Y-%m-%d})"
