"""Retention as the partnership has set it: every `retain_*` field of the Partnership, by its
own words (verbose name and help text), so a period added there shows here with no change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Field
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext

from scrutiny.models import Partnership

_UNIT = re.compile(r"^(?P<label>.+?)\s*\((?P<unit>[a-z]+)\)$")

# The retention fields' own English words (`Partnership`'s verbose names and help texts) in the
# active language; words not here (a field added since) stay as the model says them.
FIELD_WORDS = frozenset(
    (
        gettext_noop("Raw survey answers"),
        gettext_noop("Survey, board and family answers, counted from the scrutiny's end."),
        gettext_noop("Drafts never submitted"),
        gettext_noop("Answers started and never sent, counted from their last change."),
        gettext_noop("Invitation emails"),
        gettext_noop("The addresses a survey was sent to, counted from the survey's close."),
        gettext_noop("Audit contributions"),
        gettext_noop(
            "Each agency's own audit of a case file, counted from the scrutiny's end; the "
            "moderated, agreed audit is kept with the findings."
        ),
        gettext_noop("Case lists"),
        gettext_noop("The sampled case references, counted from the scrutiny's end."),
        gettext_noop("Uploaded evidence"),
        gettext_noop("Documents attached to action updates, counted from their upload."),
        gettext_noop("Audit trail"),
        gettext_noop("Entries of the audit trail, counted from the day they were written."),
    )
)


def _word(english: str) -> str:
    return gettext(english) if english in FIELD_WORDS else english


# What the partnership must keep: no retention run removes it, so no period is set on the
# platform; the partnership decides (and the DPO records) how long it keeps each.
KEPT = (
    (
        gettext_lazy("Signed-off findings"),
        gettext_lazy("Frozen with the data they were signed off on."),
    ),
    (gettext_lazy("Scores"), gettext_lazy("Each success factor's scores, as signed off.")),
    (
        gettext_lazy("Event packs"),
        gettext_lazy("The PDF and workbook of each scrutiny event (suppressed and redacted)."),
    ),
    (
        gettext_lazy("The action plan"),
        gettext_lazy("Priorities, outcomes, actions and their updates."),
    ),
    (
        gettext_lazy("Moderated case-file audits"),
        gettext_lazy("The agreed audit of each case file, kept with the findings."),
    ),
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
        if self.unit == "months":
            return ngettext("%(n)s month", "%(n)s months", self.value) % {"n": self.value}
        if self.unit == "days":
            return ngettext("%(n)s day", "%(n)s days", self.value) % {"n": self.value}
        unit = self.unit[:-1] if self.value == 1 and self.unit.endswith("s") else self.unit
        return f"{self.value} {unit}"


def _period(partnership: Partnership, field: Field) -> Period:
    name = str(field.verbose_name)
    match = _UNIT.match(name)
    label, unit = (match["label"], match["unit"]) if match else (name, "")
    return Period(
        field=field.name,
        label=_word(label[:1].upper() + label[1:]),
        value=int(getattr(partnership, field.name)),
        unit=unit,
        counted=_word(str(field.help_text)),
    )


def retention_periods(*, partnership: Partnership) -> dict[str, Period]:
    """Each retention field's period, by field name, in the model's order."""
    return {
        field.name: _period(partnership, field)
        for field in Partnership._meta.concrete_fields
        if field.name.startswith("retain_")
    }
