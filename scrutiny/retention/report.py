"""What a retention run did (or, dry, would do): a line for each thing removed, anonymised or
kept, by kind of personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The kinds of personal data with a period on the partnership, in the privacy notice's order.
KINDS: dict[str, str] = {
    "answers": "Raw survey answers",
    "drafts": "Drafts never submitted",
    "invitations": "Invitation emails",
    "contributions": "Audit contributions",
    "case_lists": "Case lists",
    "uploads": "Uploaded evidence",
    "trail": "Audit trail",
}

REMOVED = "removed"
ANONYMISED = "anonymised"
KEPT = "kept"


@dataclass(frozen=True)
class RetentionLine:
    """`count` things of one `kind`: removed, anonymised, or kept past their period (`reason`)."""

    kind: str
    what: str
    outcome: str
    count: int
    reason: str = ""

    @property
    def changes(self) -> bool:
        return self.outcome in (REMOVED, ANONYMISED) and self.count > 0


@dataclass
class RetentionReport:
    partnership: str
    now: dt.datetime
    dry_run: bool
    lines: list[RetentionLine] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """How many things were removed or anonymised."""
        return sum(line.count for line in self.lines if line.changes)

    def by_kind(self) -> dict[str, list[RetentionLine]]:
        grouped: dict[str, list[RetentionLine]] = {kind: [] for kind in KINDS}
        for line in self.lines:
            grouped.setdefault(line.kind, []).append(line)
        return grouped

    def counts(self) -> dict[str, dict[str, int]]:
        """Kind → "what (outcome)" → count, for the trail and for tests."""
        return {
            kind: {f"{line.what} ({line.outcome})": line.count for line in lines}
            for kind, lines in self.by_kind().items()
        }

    def as_data(self) -> dict[str, Any]:
        return {"now": self.now.isoformat(), "dry_run": self.dry_run, "counts": self.counts()}
