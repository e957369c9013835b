"""The DPIA's closing sections: where the data is stored, the controls, the risks and the
sign-off, in the active language."""

from __future__ import annotations

from django.utils.translation import gettext

from scrutiny.dpia.controls import control_rows, risk_rows, storage_rows
from scrutiny.dpia.document import TO_COMPLETE, Section, Table
from scrutiny.dpia.periods import Period


def _tables_only(key: str, title: str, table: Table, paragraph: str) -> Section:
    return Section(key=key, title=title, paragraphs=(paragraph,), tables=(table,))


def closing_sections(periods: dict[str, Period]) -> tuple[Section, ...]:
    """Storage, controls, risks and the sign-off."""
    return (
        _tables_only(
            "storage",
            gettext("Where it is stored"),
            Table(
                caption=gettext("Storage"),
                header=(gettext("What"), gettext("Where"), gettext("Partnership's notes")),
                rows=tuple(storage_rows()),
                widths=(40, 60, 40),
            ),
            gettext(
                "Where this installation keeps each kind of data; the partnership completes "
                "hosting and backups."
            ),
        ),
        _tables_only(
            "controls",
            gettext("Controls"),
            Table(
                caption=gettext("Controls"),
                header=(gettext("Control"), gettext("How"), gettext("On this installation")),
                rows=tuple(control_rows(periods)),
                widths=(30, 70, 40),
            ),
            gettext("The technical and organisational measures the platform provides."),
        ),
        _tables_only(
            "risks",
            gettext("Risks and mitigations"),
            Table(
                caption=gettext("Risks"),
                header=(
                    gettext("Risk"),
                    gettext("Mitigation"),
                    gettext("Likelihood"),
                    gettext("Severity"),
                    gettext("Residual risk"),
                    gettext("DPO notes"),
                ),
                rows=tuple(risk_rows()),
                widths=(44, 50, 12, 12, 14, 30),
            ),
            gettext("A starting list: the DPO adds risks and rates each one."),
        ),
        _tables_only(
            "sign-off",
            gettext("Sign-off"),
            Table(
                caption=gettext("Sign-off"),
                header=(gettext("Item"), gettext("Entry")),
                rows=(
                    (gettext("DPO's advice"), TO_COMPLETE),
                    (gettext("Measures approved by"), TO_COMPLETE),
                    (gettext("Residual risks approved by"), TO_COMPLETE),
                    (gettext("Consultation with the ICO needed?"), TO_COMPLETE),
                    (gettext("Date"), TO_COMPLETE),
                    (gettext("To be reviewed by"), TO_COMPLETE),
                ),
                widths=(40, 80),
            ),
            gettext("Completed by the data protection officer and the partnership."),
        ),
    )
