"""`dpia_document`: the record of processing and a DPIA draft, from the partnership's own
configuration. Reads only (it writes nothing, not even a person of each role: those are made
in memory), in a number of queries that does not grow with the scrutinies or instruments.
"""

from __future__ import annotations

from django.utils import timezone

from scrutiny.disclosure import HeldTerms
from scrutiny.dpia.collection import (
    DATA_SUBJECTS,
    RETENTION_FIELDS,
    WHO_ANSWERS,
    InstrumentCollection,
    agency_types,
    instrument_collections,
)
from scrutiny.dpia.controls import control_rows, risk_rows, storage_rows
from scrutiny.dpia.document import TO_COMPLETE, DpiaDocument, Section, Table
from scrutiny.dpia.lawful import PUBLIC_TASK, special_category
from scrutiny.dpia.periods import KEPT, Period, retention_periods
from scrutiny.dpia.roles import role_capabilities
from scrutiny.models import Partnership, Scrutiny, Source

PURPOSE = (
    "Multi-agency scrutiny of how well the partnership's arrangements safeguard children: "
    "case-file audits, surveys of practitioners, board questionnaires and feedback from "
    "families are scored against agreed success factors, discussed at a scrutiny event and "
    "turned into an action plan."
)


def _about(partnership: Partnership) -> Section:
    return Section(
        key="about",
        title="About this document",
        paragraphs=(
            f"The record of processing and a draft data protection impact assessment for "
            f"{partnership.name}, written by the platform from the partnership's own "
            "configuration on the day shown. It is a starting point: the data protection "
            "officer checks every statement, completes the blank cells (hosting, backups, "
            "likelihood and severity of each risk, residual risk, sign-off) and keeps the "
            "completed copy.",
            "Redaction terms are never printed here, only how many there are: they are the "
            "names the partnership keeps from leaving the platform.",
        ),
    )


def _dates(scrutiny: Scrutiny) -> str:
    if scrutiny.starts and scrutiny.ends:
        return f"{scrutiny.starts:%d %B %Y} to {scrutiny.ends:%d %B %Y}"
    if scrutiny.starts or scrutiny.ends:
        return (
            f"{'From' if scrutiny.starts else 'Until'} {scrutiny.starts or scrutiny.ends:%d %B %Y}"
        )
    return "Not set"


def _controller(partnership: Partnership, scrutinies: list[Scrutiny]) -> Section:
    details = Table(
        caption="The controller",
        header=("Item", "Value"),
        rows=(
            ("Controller", partnership.name),
            ("Contact", partnership.contact_email or TO_COMPLETE),
            ("Named safeguarding lead", partnership.safeguarding_lead_name or TO_COMPLETE),
            ("Data protection officer", TO_COMPLETE),
            ("Purpose", PURPOSE),
        ),
        widths=(30, 90),
    )
    rows = tuple(
        (
            scrutiny.slug,
            scrutiny.title,
            scrutiny.priority,
            str(scrutiny.get_status_display()),
            _dates(scrutiny),
        )
        for scrutiny in scrutinies
    )
    table = Table(
        caption="Scrutinies",
        header=("Scrutiny", "Title", "Priority it tests", "Status", "Dates"),
        rows=rows,
        widths=(26, 36, 40, 18, 26),
    )
    return Section(
        key="controller",
        title="Controller and purposes",
        paragraphs=() if scrutinies else ("The partnership has no scrutiny yet.",),
        tables=(details, table),
    )


def _retention_line(item: InstrumentCollection, periods: dict[str, Period]) -> str:
    return "; ".join(
        f"{periods[name].label}: {periods[name].text}"
        for name in RETENTION_FIELDS.get(Source(item.kind), ())
        if name in periods
    )


def _collected(items: list[InstrumentCollection], periods: dict[str, Period]) -> Section:
    rows = tuple(
        (
            item.scrutiny.slug,
            f"{item.instrument.code}: {item.instrument.title}",
            str(item.instrument.get_kind_display()),
            WHO_ANSWERS[Source(item.kind)],
            DATA_SUBJECTS[Source(item.kind)],
            item.anonymity(),
            item.how_collected(),
            str(item.responses),
            _retention_line(item, periods),
        )
        for item in items
    )
    return Section(
        key="collected",
        title="What is collected",
        paragraphs=(
            "Each instrument of each scrutiny: who answers it, about whom, whether it is "
            "anonymous, what it asks and how long its answers are kept.",
        )
        + (() if items else ("No instrument has been set up yet.",)),
        tables=(
            Table(
                caption="Instruments",
                header=(
                    "Scrutiny",
                    "Instrument",
                    "Source",
                    "Who answers",
                    "About whom",
                    "Anonymous or named",
                    "What is asked",
                    "Responses",
                    "Retention",
                ),
                rows=rows,
                widths=(22, 26, 20, 40, 40, 28, 40, 14, 40),
            ),
        ),
    )


def _lawful(items: list[InstrumentCollection], types: set[str]) -> Section:
    rows = []
    for item in items:
        data, condition = special_category(item, types)
        rows.append((item.scrutiny.slug, item.instrument.code, "Art. 6(1)(e)", data, condition, ""))
    return Section(
        key="lawful",
        title="Lawful basis",
        paragraphs=(
            PUBLIC_TASK,
            "Anonymous answers that can be re-identified are still "
            "personal data, and pseudonymised case references are personal data.",
        ),
        tables=(
            Table(
                caption="Lawful basis by instrument",
                header=(
                    "Scrutiny",
                    "Instrument",
                    "Lawful basis",
                    "Special category data",
                    "Condition",
                    "DPO notes",
                ),
                rows=tuple(rows),
                widths=(22, 12, 14, 40, 60, 30),
            ),
        ),
    )


def _retention(periods: dict[str, Period]) -> Section:
    set_here = Table(
        caption="Periods set by the partnership",
        header=("Record", "Kept for", "What and from when", "DPO notes"),
        rows=tuple((p.label, p.text, p.counted, "") for p in periods.values()),
        widths=(32, 14, 60, 30),
    )
    kept = Table(
        caption="What the partnership keeps (never removed by a retention run)",
        header=("Record", "What", "Kept for (the partnership decides)"),
        rows=tuple((name, what, TO_COMPLETE) for name, what in KEPT),
        widths=(32, 60, 30),
    )
    return Section(
        key="retention",
        title="Retention",
        paragraphs=(
            "A daily retention run removes or anonymises each kind of personal data once its "
            "period has passed, and records what it removed in the audit trail. The periods "
            "are set on the partnership's page and should match its privacy notice.",
        ),
        tables=(set_here, kept),
    )


def _disclosure(partnership: Partnership, scrutinies: list[Scrutiny]) -> Section:
    held = HeldTerms.of_partnership(partnership.pk)
    own_terms = {line.strip() for line in partnership.redaction_terms.splitlines() if line.strip()}
    rows = tuple(
        (
            scrutiny.slug,
            str(scrutiny.suppression_threshold),
            str(scrutiny.min_responses),
            str(len(scrutiny.redaction_list)),
        )
        for scrutiny in scrutinies
    )
    return Section(
        key="disclosure",
        title="Suppression and redaction",
        paragraphs=(
            "Outside the scrutineer's screen no breakdown shows fewer responses than the "
            "scrutiny's suppression threshold, and free text loses every term the partnership "
            "holds and every email address, phone number, postcode, NHS number and pupil "
            "number before it leaves.",
            f"The partnership's own redaction terms: {len(own_terms)}. Terms removed from "
            f"every scrutiny's text (these with every case reference held): {len(held.common)}.",
        ),
        tables=(
            Table(
                caption="By scrutiny",
                header=(
                    "Scrutiny",
                    "Suppression threshold",
                    "Fewest responses for a score",
                    "Its own redaction terms",
                ),
                rows=rows,
                widths=(26, 20, 20, 20),
            ),
        ),
    )


def _access(partnership: Partnership) -> Section:
    roles, capabilities = role_capabilities(partnership=partnership)
    return Section(
        key="access",
        title="Who sees what",
        paragraphs=(
            "Each role's capabilities, found by asking the platform's permission rules "
            "(scrutiny/permissions.py and the apps' own) about a person of that role. Staff of "
            "an agency see their own agency's objects only.",
        ),
        tables=(
            Table(
                caption="Roles and what they may do",
                header=("Capability", *roles),
                rows=tuple(
                    (label, *("Yes" if allowed else "No" for allowed in answers))
                    for label, answers in capabilities
                ),
                widths=(60, *(14 for _ in roles)),
            ),
        ),
    )


def _tables_only(key: str, title: str, table: Table, paragraph: str) -> Section:
    return Section(key=key, title=title, paragraphs=(paragraph,), tables=(table,))


def _closing(periods: dict[str, Period]) -> tuple[Section, ...]:
    """Storage, controls, risks and the sign-off."""
    return (
        _tables_only(
            "storage",
            "Where it is stored",
            Table(
                caption="Storage",
                header=("What", "Where", "Partnership's notes"),
                rows=tuple(storage_rows()),
                widths=(40, 60, 40),
            ),
            "Where this installation keeps each kind of data; the partnership completes hosting "
            "and backups.",
        ),
        _tables_only(
            "controls",
            "Controls",
            Table(
                caption="Controls",
                header=("Control", "How", "On this installation"),
                rows=tuple(control_rows(periods)),
                widths=(30, 70, 40),
            ),
            "The technical and organisational measures the platform provides.",
        ),
        _tables_only(
            "risks",
            "Risks and mitigations",
            Table(
                caption="Risks",
                header=(
                    "Risk",
                    "Mitigation",
                    "Likelihood",
                    "Severity",
                    "Residual risk",
                    "DPO notes",
                ),
                rows=tuple(risk_rows()),
                widths=(44, 50, 12, 12, 14, 30),
            ),
            "A starting list: the DPO adds risks and rates each one.",
        ),
        _tables_only(
            "sign-off",
            "Sign-off",
            Table(
                caption="Sign-off",
                header=("Item", "Entry"),
                rows=(
                    ("DPO's advice", TO_COMPLETE),
                    ("Measures approved by", TO_COMPLETE),
                    ("Residual risks approved by", TO_COMPLETE),
                    ("Consultation with the ICO needed?", TO_COMPLETE),
                    ("Date", TO_COMPLETE),
                    ("To be reviewed by", TO_COMPLETE),
                ),
                widths=(40, 80),
            ),
            "Completed by the data protection officer and the partnership.",
        ),
    )


def dpia_document(*, partnership: Partnership) -> DpiaDocument:
    """The document for `partnership`, built from reads only."""
    scrutinies = list(Scrutiny.objects.filter(partnership=partnership).order_by("slug"))
    items = instrument_collections(partnership=partnership)
    periods = retention_periods(partnership=partnership)
    sections = (
        _about(partnership),
        _controller(partnership, scrutinies),
        _collected(items, periods),
        _lawful(items, agency_types(partnership=partnership)),
        _retention(periods),
        _disclosure(partnership, scrutinies),
        _access(partnership),
        *_closing(periods),
    )
    return DpiaDocument(
        title=f"Record of processing and DPIA draft: {partnership.name}",
        partnership=partnership.name,
        written_on=timezone.localdate(),
        sections=sections,
    )
