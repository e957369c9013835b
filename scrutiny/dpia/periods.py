"""Retention as the partnership has set it: every `retain_*` field of the Partnership, by its
own words (verbose name and help text), so a period added there shows here with no change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Field

from scrutiny.models import Partnership

_UNIT = re.compile(r"^(?P<label>.+?)\s*\((?P<unit>[a-z]+)\)$")

# What the partnership must keep: no retention run removes it, so no period is set on the
# platform; the partnership decides (and the DPO records) how long it keeps each.
KEPT = (
    ("Signed-off findings", "Frozen with the data they were signed off on."),
    ("Scores", "Each success factor's scores, as signed off."),
    ("Event packs", "The PDF and workbook of each scrutiny event (suppressed and redacted)."),
    ("The action plan", "Priorities, outcomes, actions and their updates."),
    ("Moderated case-file audits", "The agreed audit of each case file, kept with the findings."),
)


@dataclass(frozen=True)
class Period:
    field: str
    label: str  # "Raw survey answers"
    value: int
    unit: str  # "months", "days"
    counted: str  # the field's help text: what it covers and when it starts

    @property
    def text(self) -> str:
        unit = self.unit[:-1] if self.value == 1 and self.unit.endswith("s") else self.unit
        return f"{self.value} {unit}"


def _period(partnership: Partnership, field: Field) -> Period:
    name = str(field.verbose_name)
    match = _UNIT.match(name)
    label, unit = (match["label"], match["unit"]) if match else (name, "")
    return Period(
        field=field.name,
        label=label[:1].upper() + label[1:],
        value=int(getattr(partnership, field.name)),
        unit=unit,
        counted=str(field.help_text),
    )


def retention_periods(*, partnership: Partnership) -> dict[str, Period]:
    """Each retention field's period, by field name, in the model's order."""
    return {
        field.name: _period(partnership, field)
        for field in Partnership._meta.concrete_fields
        if field.name.startswith("retain_")
    }
