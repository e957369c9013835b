"""Many responses submitted in batches, inside the caller's transaction: the workbook import of
responses and the demo's evidence (`ResponseWriter`). Each row is checked as a single response is
(`scrutiny.evidence.cleaning.answers_clean`) and stored as one is, in bulk.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from scrutiny.disclosure.flagged import disclosure_told
from scrutiny.evidence.cleaning import CleanAnswer, answers_clean
from scrutiny.evidence.responses import (
    ResponseDetails,
    answer_rows,
    answers_disclose,
    response_fingerprint,
)
from scrutiny.instruments import CompiledVersion
from scrutiny.models import Answer, Response, User


class ResponseWriter:
    """Submits many responses in batches (imports). Use inside the caller's transaction.

    `add` validates one row and returns its errors by question code, writing nothing for a row
    with errors; the caller collects them and raises to roll everything back. A row whose ref
    was written before updates that response, and is skipped when nothing in it changed.
    """

    BATCH = 2000

    def __init__(
        self, *, compiled: CompiledVersion, channel: str, user: User | None = None
    ) -> None:
        self.compiled = compiled
        self.channel = channel
        self.user = user
        self.existing: dict[str, tuple[int, str, int]] = {
            ref: (pk, fingerprint, version_id)
            for ref, pk, fingerprint, version_id in Response.objects.filter(
                instrument_id=compiled.instrument_id
            )
            .exclude(ref="")
            .values_list("ref", "pk", "fingerprint", "version_id")
        }
        self.seen_refs: set[str] = set()
        self.pending: list[tuple[Response, list[CleanAnswer]]] = []
        self.replaced: list[int] = []
        self.created = 0
        self.updated = 0
        self.unchanged = 0

    def knows(self, ref: str) -> bool:
        return ref in self.existing

    def recognise(self, ref: str, *, response_id: int, fingerprint: str, version_id: int) -> None:
        """Treat `ref` as naming an existing response (one stored without a ref of its own)."""
        self.existing[ref] = (response_id, fingerprint, version_id)

    def add(self, *, values: dict[str, Any], details: ResponseDetails) -> dict[str, str]:
        compiled = self.compiled
        if details.ref in self.seen_refs:
            return {"ref": f"ref {details.ref!r} is used by an earlier row"}
        answers, errors = answers_clean(compiled, values, complete=True)
        if errors:
            return errors
        if details.ref:
            self.seen_refs.add(details.ref)
        fingerprint = response_fingerprint(details, Response.Status.SUBMITTED, answers)
        response = Response(
            scrutiny_id=compiled.scrutiny_id,
            instrument_id=compiled.instrument_id,
            version_id=compiled.version_id,
            source=compiled.kind,
            status=Response.Status.SUBMITTED,
            channel=self.channel,
            ref=details.ref,
            agency_id=details.agency_id,
            area_id=details.area_id,
            role_id=details.role_id,
            case_ref=details.case_ref,
            submitted_at=details.submitted_at or timezone.now(),
            fingerprint=fingerprint,
            created_by=self.user,
        )
        previous = self.existing.get(details.ref) if details.ref else None
        if previous is not None:
            pk, old_fingerprint, version_id = previous
            if old_fingerprint == fingerprint and version_id == compiled.version_id:
                self.unchanged += 1
                return {}
            response.pk = pk
            self.replaced.append(pk)
            self.updated += 1
        else:
            self.created += 1
        self.pending.append((response, answers))
        if len(self.pending) >= self.BATCH:
            self.flush()
        return {}

    def flush(self) -> None:
        if not self.pending:
            return
        if self.replaced:
            replaced = set(self.replaced)
            Answer.objects.filter(response_id__in=replaced).delete()
            Response.objects.bulk_update(
                [r for r, _ in self.pending if r.pk in replaced],
                [
                    "version",
                    "agency",
                    "area",
                    "role",
                    "case_ref",
                    "submitted_at",
                    "fingerprint",
                    "status",
                    "channel",
                ],
            )
        new = [r for r, _ in self.pending if r.pk is None]
        Response.objects.bulk_create(new)
        rows: list[Answer] = []
        for response, answers in self.pending:
            rows += answer_rows(response.pk, answers)
        if answers_disclose(self.compiled, rows):
            disclosure_told(scrutiny_id=self.compiled.scrutiny_id)
        Answer.objects.bulk_create(rows, batch_size=5000)
        self.pending.clear()
        self.replaced.clear()
