"""The partnership's audit trail: who did what to which object, and when. Append-only.

Written only through `scrutiny.trail.trail_record`; never changed or deleted, except by a
retention run removing entries past the partnership's period (and recording that it did).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Rows of an audit trail: never deleted or changed in bulk, except by the retention run
    (`_expire`) and by erasure (`_anonymise`). The partnership's trail and the audits' own."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit trail is append-only: use scrutiny.retention to expire it.")

    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit trail is append-only: its entries are never changed.")

    def _expire(self) -> int:
        """Deletes these entries: for the retention run alone."""
        return models.QuerySet.delete(self)[0]

    def _anonymise(self, **kwargs: Any) -> int:
        """Changes these entries' person columns: for erasure alone."""
        return models.QuerySet.update(self, **kwargs)


class TrailEntryQuerySet(AppendOnlyQuerySet):
    pass


class TrailEntry(models.Model):
    partnership = models.ForeignKey(
        "scrutiny.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank for the platform's own events (e.g. a failed sign-in of no account).",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The person as they were named when it happened, so the entry outlives the account.
    actor = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=50, db_index=True)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    detail = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = TrailEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("trail entries")
        indexes = [models.Index(fields=["partnership", "-at"], name="trail_partnership_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'someone'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The audit trail is append-only: its entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit trail is append-only: use scrutiny.retention to expire it.")
