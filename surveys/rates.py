"""Response rates of a survey instrument: who was invited, who started, who submitted, by agency
and by role (CLI.md `response_rates SLUG CODE --json`).

- `invited` counts the invitations to every survey of the instrument;
- `started` counts the responses begun, whatever their channel: drafts in progress from a
  personal or open link (kept on the invitation or open draft, not as responses), and every
  response (an imported return was started too);
- `submitted` counts every submitted response to the instrument: from invitations, the open
  link, the API and imported workbooks alike.

A rate is `submitted` as a percentage of the agency's workforce where the partnership has
entered one, else of `invited`, rounded half-up to one decimal; absent when neither is known.
The workforce is how many practitioners an agency has, so it is the denominator for
practitioner surveys only: a board questionnaire or family feedback is measured against the
people invited to it.

`rates_for_publication` is the only way the numbers leave: a cell whose submitted count is at
least 1 and below the scrutiny's suppression threshold is suppressed, with secondary suppression
as SCORING.md §9 (`scrutiny.disclosure.suppressed_codes`) among the cells with at least one
submitted response. Cells with none submitted still show, since who did not answer is what the
rate is for. Six queries, however many invitations and responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from scrutiny.disclosure import SUPPRESSED, suppressed_codes
from scrutiny.models import Agency, Instrument, PractitionerRole, Response, Source
from scrutiny.models.evidence import counting_q
from surveys.models import Invitation, OpenDraft, YouthSession


@dataclass(frozen=True)
class RateCell:
    code: str
    name: str
    invited: int
    submitted: int
    workforce: int | None = None

    @property
    def base(self) -> int | None:
        """What the rate is a percentage of: the workforce where known, else the invited."""
        if self.workforce:
            return self.workforce
        return self.invited or None

    @property
    def rate(self) -> float | None:
        if self.base is None:
            return None
        value = Decimal(self.submitted) * 100 / Decimal(self.base)
        return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ResponseRates:
    """Unsuppressed: for the scrutineer's own screen, or `rates_for_publication`."""

    instrument: str
    title: str
    invited: int
    started: int
    submitted: int
    agencies: tuple[RateCell, ...]  # in code order
    roles: tuple[RateCell, ...]


def _counts(rows: Any, key: str) -> dict[int, int]:
    return {row[key]: row["n"] for row in rows.values(key).annotate(n=Count("pk")).order_by()}


def response_rates(*, instrument: Instrument) -> ResponseRates:
    """The instrument's response rates, counted in the database."""
    invitations = Invitation.objects.filter(survey__instrument=instrument)
    responses = Response.objects.filter(instrument=instrument, superseded_by__isnull=True)
    submitted = Response.objects.counting().filter(instrument=instrument)

    invited_by_agency = _counts(invitations, "agency_id")
    invited_by_role = _counts(invitations.filter(role__isnull=False), "role_id")
    submitted_by_agency = _counts(submitted.filter(agency__isnull=False), "agency_id")
    submitted_by_role = _counts(submitted.filter(role__isnull=False), "role_id")
    totals = responses.aggregate(
        started=Count("pk"),
        submitted=Count("pk", filter=counting_q()),
    )
    # A survey's drafts are kept apart from responses (surveys.models): those in progress. An
    # anonymous survey's invitations' are keyed open drafts (surveys.services.invited_drafts).
    in_progress = (
        invitations.filter(answered=False, draft_version__isnull=False)
        .order_by()
        .values("pk")
        .union(
            OpenDraft.objects.filter(
                survey__instrument=instrument, answered=False, draft_version__isnull=False
            )
            .order_by()
            .values("pk"),
            all=True,
        )
        .count()
    )
    invited = sum(invited_by_agency.values())

    uses_workforce = instrument.kind == Source.PRACTITIONER_SURVEY
    partnership_id = instrument.scrutiny.partnership_id
    agencies = []
    for agency in Agency.objects.filter(partnership_id=partnership_id).order_by("code"):
        workforce = agency.workforce if uses_workforce else None
        cell = RateCell(
            code=agency.code,
            name=agency.name,
            invited=invited_by_agency.get(agency.pk, 0),
            submitted=submitted_by_agency.get(agency.pk, 0),
            workforce=workforce or None,
        )
        if cell.invited or cell.submitted or cell.workforce:
            agencies.append(cell)
    roles = []
    for role in PractitionerRole.objects.filter(partnership_id=partnership_id).order_by("code"):
        cell = RateCell(
            code=role.code,
            name=role.name,
            invited=invited_by_role.get(role.pk, 0),
            submitted=submitted_by_role.get(role.pk, 0),
        )
        if cell.invited or cell.submitted:
            roles.append(cell)
    return ResponseRates(
        instrument=instrument.code,
        title=instrument.title,
        invited=invited,
        started=totals["started"] + in_progress,
        submitted=totals["submitted"],
        agencies=tuple(agencies),
        roles=tuple(roles),
    )


def hidden_codes(cells: tuple[RateCell, ...], *, threshold: int) -> set[str]:
    """The cells to suppress: small submitted counts (at least 1), with secondary suppression
    among the cells with at least one submitted response."""
    answered = {cell.code: cell.submitted for cell in cells if cell.submitted > 0}
    return suppressed_codes(answered, threshold=threshold)


@dataclass(frozen=True)
class PublishedCell:
    """One row of a breakdown as it may be shown: `figures` is None where it is suppressed."""

    code: str
    name: str
    figures: dict[str, Any] | None

    @property
    def suppressed(self) -> bool:
        return self.figures is None

    @property
    def bar_percent(self) -> float | None:
        """The rate for a bar chart, at most 100 (an open link can bring more returns than
        invitations)."""
        if self.figures is None or "rate" not in self.figures:
            return None
        return min(float(self.figures["rate"]), 100.0)


@dataclass(frozen=True)
class PublishedRates:
    instrument: str
    title: str
    invited: int
    started: int
    submitted: int
    threshold: int
    agencies: tuple[PublishedCell, ...]
    roles: tuple[PublishedCell, ...]

    def as_json(self) -> dict[str, Any]:
        """The JSON of CLI.md `response_rates SLUG CODE --json`."""

        def breakdown(cells: tuple[PublishedCell, ...]) -> dict[str, Any]:
            return {
                cell.code: dict(SUPPRESSED) if cell.figures is None else dict(cell.figures)
                for cell in cells
            }

        return {
            "instrument": self.instrument,
            "invited": self.invited,
            "started": self.started,
            "submitted": self.submitted,
            "agencies": breakdown(self.agencies),
            "roles": breakdown(self.roles),
        }


def _figures(cell: RateCell, *, with_workforce: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"invited": cell.invited, "submitted": cell.submitted}
    if with_workforce and cell.workforce:
        out["workforce"] = cell.workforce
    if cell.rate is not None:
        out["rate"] = cell.rate
    return out


def _published(
    cells: tuple[RateCell, ...], *, threshold: int, with_workforce: bool
) -> tuple[PublishedCell, ...]:
    hidden = hidden_codes(cells, threshold=threshold)
    return tuple(
        PublishedCell(
            code=cell.code,
            name=cell.name,
            figures=None if cell.code in hidden else _figures(cell, with_workforce=with_workforce),
        )
        for cell in cells
    )


def rates_for_publication(rates: ResponseRates, *, threshold: int) -> PublishedRates:
    """The response rates as they may leave the scrutineer's screen (pages, API, command)."""
    return PublishedRates(
        instrument=rates.instrument,
        title=rates.title,
        invited=rates.invited,
        started=rates.started,
        submitted=rates.submitted,
        threshold=threshold,
        agencies=_published(rates.agencies, threshold=threshold, with_workforce=True),
        roles=_published(rates.roles, threshold=threshold, with_workforce=False),
    )


def instrument_rates(*, instrument: Instrument) -> PublishedRates:
    """The instrument's response rates as they may be shown, with its scrutiny's threshold."""
    return rates_for_publication(
        response_rates(instrument=instrument),
        threshold=instrument.scrutiny.suppression_threshold,
    )


def survey_method_lines(*, scrutiny: Any) -> dict[str, str]:
    """For the event pack's method: each survey instrument's submitted, invited and rate, by
    instrument code (the pack puts it in place of its bare count of returns, so that each
    source is counted once). Totals only: a rate against the workforce of the agencies that
    gave one could single out a small agency's returns, so the pack leaves it to the
    (suppressed) response rates."""
    from surveys.models import SURVEY_KINDS

    lines = {}
    for instrument in (
        Instrument.objects.filter(scrutiny=scrutiny, kind__in=SURVEY_KINDS)
        .select_related("scrutiny")
        .order_by("code")
    ):
        rates = response_rates(instrument=instrument)
        if not rates.invited and not rates.submitted:
            continue
        text = f"{rates.submitted} submitted"
        if rates.invited:
            rate = RateCell("", "", rates.invited, rates.submitted).rate
            text += f" of {rates.invited} invited ({rate:.1f}%)"
        lines[instrument.code] = text
    return lines


# ---------------------------------------------------------------------------------------------
# Children's sessions


@dataclass(frozen=True)
class SettingCell:
    """The sessions run in one setting and how many children answered in them; `answered` is
    None where it is suppressed."""

    setting: str
    sessions: int
    answered: int | None

    @property
    def suppressed(self) -> bool:
        return self.answered is None


@dataclass(frozen=True)
class SessionRates:
    sessions: int
    answered: int
    threshold: int
    settings: tuple[SettingCell, ...]  # by setting, A to Z


def session_rates(*, survey: Any) -> SessionRates:
    """How many sessions of the survey ran, in which settings, and how many children answered
    in each, as it may be shown: a setting's count of answers from 1 to below the scrutiny's
    threshold is suppressed, with secondary suppression among the settings with answers
    (SCORING.md §9), since a small group's answers could be told apart. Two queries."""
    rows = (
        YouthSession.objects.filter(survey=survey)
        .values("setting")
        .annotate(
            sessions=Count("pk", distinct=True),
            answered=Count("drafts", filter=Q(drafts__answered=True), distinct=True),
        )
        .order_by("setting")
    )
    counts = {row["setting"]: (row["sessions"], row["answered"]) for row in rows}
    threshold = survey.scrutiny.suppression_threshold
    hidden = suppressed_codes(
        {setting: n for setting, (_, n) in counts.items() if n > 0}, threshold=threshold
    )
    total = sum(n for _, n in counts.values())
    return SessionRates(
        sessions=sum(s for s, _ in counts.values()),
        # Totals show, as the response rates' do; the settings are what may single out a group.
        answered=total,
        threshold=threshold,
        settings=tuple(
            SettingCell(setting=setting, sessions=s, answered=None if setting in hidden else n)
            for setting, (s, n) in counts.items()
        ),
    )


# ---------------------------------------------------------------------------------------------
# By language (docs/welsh.md): the language each submitted response was given in

LANGUAGE_ORDER = ("en", "cy", "")  # "" is a response that did not record its language


@dataclass(frozen=True)
class LanguageCell:
    """Submitted responses given in one language (`code` "en", "cy", or "" where the response
    did not record it); `submitted` is None where it is suppressed."""

    code: str
    submitted: int | None

    @property
    def suppressed(self) -> bool:
        return self.submitted is None


def language_rates(*, instrument: Instrument) -> tuple[LanguageCell, ...]:
    """The instrument's submitted responses by the language they were given in, as they may be
    shown: English, then Welsh, then those with no language recorded (imports, returns from
    before it was recorded), each only where it has any. A count from 1 to below the scrutiny's
    threshold is suppressed, with secondary suppression (scrutiny.disclosure.suppressed_codes,
    as the other breakdowns). One query."""
    rows = (
        Response.objects.counting()
        .filter(instrument=instrument)
        .values("language")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = {}
    for row in rows:
        code = row["language"] if row["language"] in LANGUAGE_ORDER else ""
        counts[code] = counts.get(code, 0) + row["n"]
    hidden = suppressed_codes(counts, threshold=instrument.scrutiny.suppression_threshold)
    return tuple(
        LanguageCell(code=code, submitted=None if code in hidden else counts[code])
        for code in LANGUAGE_ORDER
        if counts.get(code)
    )
