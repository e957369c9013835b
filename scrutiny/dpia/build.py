"""`dpia_document`: the record of processing and a DPIA draft, from the partnership's own
configuration. Reads only (it writes nothing, not even a person of each role: those are made
in memory), in a number of queries that does not grow with the scrutinies or instruments.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone, translation
from django.utils.translation import gettext, gettext_lazy

from scrutiny.disclosure import HeldTerms
from scrutiny.dpia.closing import closing_sections
from scrutiny.dpia.collection import (
    DATA_SUBJECTS,
    RETENTION_FIELDS,
    WHO_ANSWERS,
    InstrumentCollection,
    agency_types,
    instrument_collections,
)
from scrutiny.dpia.document import TO_COMPLETE, DpiaDocument, Section, Table
from scrutiny.dpia.lawful import PUBLIC_TASK, special_category
from scrutiny.dpia.periods import KEPT, Period, retention_periods
from scrutiny.dpia.roles import role_capabilities
from scrutiny.models import Partnership, Scrutiny, Source
from scrutiny.packs.words import document_languages, partnership_language

PURPOSE = gettext_lazy(
    "Multi-agency scrutiny of how well the partnership's arrangements safeguard children: "
    "case-file audits, surveys of practitioners, board questionnaires and feedback from "
    "families are scored against agreed success factors, discussed at a scrutiny event and "
    "turned into an action plan."
)


def _about(partnership: Partnership) -> Section:
    return Section(
        key="about",
        title=gettext("About this document"),
        paragraphs=(
            gettext(
                "The record of processing and a draft data protection impact assessment for "
                "%(partnership)s, written by the platform from the partnership's own "
                "configuration on the day shown. It is a starting point: the data protection "
                "officer checks every statement, completes the blank cells (hosting, backups, "
                "likelihood and severity of each risk, residual risk, sign-off) and keeps the "
                "completed copy."
            )
            % {"partnership": partnership.name},
            gettext(
                "Redaction terms are never printed here, only how many there are: they are the "
                "names the partnership keeps from leaving the platform."
            ),
        ),
    )


def _date(value: dt.date) -> str:
    """ "05 December 2026", the month's name in the active language."""
    return formats.date_format(value, "d F Y")


def _dates(scrutiny: Scrutiny) -> str:
    if scrutiny.starts and scrutiny.ends:
        return gettext("%(starts)s to %(ends)s") % {
            "starts": _date(scrutiny.starts),
            "ends": _date(scrutiny.ends),
        }
    if scrutiny.starts:
        return gettext("From %(date)s") % {"date": _date(scrutiny.starts)}
    if scrutiny.ends:
        return gettext("Until %(date)s") % {"date": _date(scrutiny.ends)}
    return gettext("Not set")


def _controller(partnership: Partnership, scrutinies: list[Scrutiny]) -> Section:
    details = Table(
        caption=gettext("The controller"),
        header=(gettext("Item"), gettext("Value")),
        rows=(
            (gettext("Controller"), partnership.name),
            (gettext("Contact"), partnership.contact_email or TO_COMPLETE),
            (gettext("Named safeguarding lead"), partnership.safeguarding_lead_name or TO_COMPLETE),
            (gettext("Data protection officer"), TO_COMPLETE),
            (gettext("Purpose"), str(PURPOSE)),
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
        caption=gettext("Scrutinies"),
        header=(
            gettext("Scrutiny"),
            gettext("Title"),
            gettext("Priority it tests"),
            gettext("Status"),
            gettext("Dates"),
        ),
        rows=rows,
        widths=(26, 36, 40, 18, 26),
    )
    return Section(
        key="controller",
        title=gettext("Controller and purposes"),
        paragraphs=() if scrutinies else (gettext("The partnership has no scrutiny yet."),),
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
            str(WHO_ANSWERS[Source(item.kind)]),
            str(DATA_SUBJECTS[Source(item.kind)]),
            item.anonymity(),
            item.how_collected(),
            str(item.responses),
            _retention_line(item, periods),
        )
        for item in items
    )
    return Section(
        key="collected",
        title=gettext("What is collected"),
        paragraphs=(
            gettext(
                "Each instrument of each scrutiny: who answers it, about whom, whether it is "
                "anonymous, what it asks and how long its answers are kept."
            ),
        )
        + (() if items else (gettext("No instrument has been set up yet."),)),
        tables=(
            Table(
                caption=gettext("Instruments"),
                header=(
                    gettext("Scrutiny"),
                    gettext("Instrument"),
                    gettext("Source"),
                    gettext("Who answers"),
                    gettext("About whom"),
                    gettext("Anonymous or named"),
                    gettext("What is asked"),
                    gettext("Responses"),
                    gettext("Retention"),
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
        rows.append(
            (item.scrutiny.slug, item.instrument.code, gettext("Art. 6(1)(e)"), data, condition, "")
        )
    return Section(
        key="lawful",
        title=gettext("Lawful basis"),
        paragraphs=(
            str(PUBLIC_TASK),
            gettext(
                "Anonymous answers that can be re-identified are still "
                "personal data, and pseudonymised case references are personal data."
            ),
        ),
        tables=(
            Table(
                caption=gettext("Lawful basis by instrument"),
                header=(
                    gettext("Scrutiny"),
                    gettext("Instrument"),
                    gettext("Lawful basis"),
                    gettext("Special category data"),
                    gettext("Condition"),
                    gettext("DPO notes"),
                ),
                rows=tuple(rows),
                widths=(22, 12, 14, 40, 60, 30),
            ),
        ),
    )


def _retention(periods: dict[str, Period]) -> Section:
    set_here = Table(
        caption=gettext("Periods set by the partnership"),
        header=(
            gettext("Record"),
            gettext("Kept for"),
            gettext("What and from when"),
            gettext("DPO notes"),
        ),
        rows=tuple((p.label, p.text, p.counted, "") for p in periods.values()),
        widths=(32, 14, 60, 30),
    )
    kept = Table(
        caption=gettext("What the partnership keeps (never removed by a retention run)"),
        header=(gettext("Record"), gettext("What"), gettext("Kept for (the partnership decides)")),
        rows=tuple((str(name), str(what), TO_COMPLETE) for name, what in KEPT),
        widths=(32, 60, 30),
    )
    return Section(
        key="retention",
        title=gettext("Retention"),
        paragraphs=(
            gettext(
                "A daily retention run removes or anonymises each kind of personal data once its "
                "period has passed, and records what it removed in the audit trail. The periods "
                "are set on the partnership's page and should match its privacy notice."
            ),
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
        title=gettext("Suppression and redaction"),
        paragraphs=(
            gettext(
                "Outside the scrutineer's screen no breakdown shows fewer responses than the "
                "scrutiny's suppression threshold, and free text loses every term the "
                "partnership holds and every email address, phone number, postcode, NHS number "
                "and pupil number before it leaves."
            ),
            gettext(
                "The partnership's own redaction terms: %(own)s. Terms removed from every "
                "scrutiny's text (these with every case reference held): %(common)s."
            )
            % {"own": len(own_terms), "common": len(held.common)},
        ),
        tables=(
            Table(
                caption=gettext("By scrutiny"),
                header=(
                    gettext("Scrutiny"),
                    gettext("Suppression threshold"),
                    gettext("Fewest responses for a score"),
                    gettext("Its own redaction terms"),
                ),
                rows=rows,
                widths=(26, 20, 20, 20),
            ),
        ),
    )


def _access(partnership: Partnership) -> Section:
    roles, capabilities = role_capabilities(partnership=partnership)
    yes, no = gettext("Yes"), gettext("No")
    return Section(
        key="access",
        title=gettext("Who sees what"),
        paragraphs=(
            gettext(
                "Each role's capabilities, found by asking the platform's permission rules "
                "(scrutiny/permissions.py and the apps' own) about a person of that role. Staff "
                "of an agency see their own agency's objects only."
            ),
        ),
        tables=(
            Table(
                caption=gettext("Roles and what they may do"),
                header=(gettext("Capability"), *roles),
                rows=tuple(
                    (label, *(yes if allowed else no for allowed in answers))
                    for label, answers in capabilities
                ),
                widths=(60, *(14 for _ in roles)),
            ),
        ),
    )


def _sections(partnership: Partnership) -> tuple[Section, ...]:
    """Every section, in the active language."""
    scrutinies = list(Scrutiny.objects.filter(partnership=partnership).order_by("slug"))
    items = instrument_collections(partnership=partnership)
    periods = retention_periods(partnership=partnership)
    return (
        _about(partnership),
        _controller(partnership, scrutinies),
        _collected(items, periods),
        _lawful(items, agency_types(partnership=partnership)),
        _retention(periods),
        _disclosure(partnership, scrutinies),
        _access(partnership),
        *closing_sections(periods),
    )


def dpia_document(*, partnership: Partnership, language: str | None = None) -> DpiaDocument:
    """The document for `partnership`, built from reads only. `language`: "en", "cy" or "both"
    (the whole document in Welsh, then in English, as the event pack does); by default the
    partnership's. Built inside `translation.override`: the caller's language is unchanged."""
    languages = document_languages(language or partnership_language(partnership))
    sections: list[Section] = []
    for code in languages:
        with translation.override(code):
            sections += _sections(partnership)
    with translation.override(languages[0]):
        title = gettext("Record of processing and DPIA draft: %(partnership)s") % {
            "partnership": partnership.name
        }
    return DpiaDocument(
        title=title,
        partnership=partnership.name,
        written_on=timezone.localdate(),
        sections=tuple(sections),
        language=languages[0],
    )
