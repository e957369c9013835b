"""What goes into an event pack, as plain data: every number through `scrutiny.disclosure`'s
suppression and every text through its redaction, so that the renderers (`pdf`, `xlsx`) cannot
leak what the rules keep back, whatever they do.

`pack_data` reads a fixed number of queries. The comments and the counting responses, one row
each for the workbook, are not gathered here but streamed by `scrutiny.packs.responses`, so
that a pack of a million answers does not hold them in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from scrutiny.disclosure import (
    SOURCE_LABELS,
    DistributionShown,
    QuoteLabels,
    Redactor,
    distributions_protected,
    finding_published,
    quote_published,
    quotes_shown,
    suppressed_codes,
)
from scrutiny.findings import findings_ensure
from scrutiny.models import (
    EvidenceNote,
    Instrument,
    Quote,
    Response,
    Scrutiny,
    SuccessFactor,
    User,
)
from scrutiny.packs.responses import comment_rows as comment_rows  # streamed: named here too
from scrutiny.packs.responses import response_sheets as response_sheets
from scrutiny.packs.words import fewer_than, long_date, note_kind_word, source_word
from scrutiny.plan.drafting import DraftAction, SourceScore, action_drafted
from scrutiny.scorecard import (
    BreakdownCell,
    ScorecardRow,
    factor_evidence,
    scorecard,
)
from scrutiny.scoring import ScrutinyScores, question_distributions, scrutiny_scores

# The pack's data is gathered in the language the pack is built in (`scrutiny.packs.words`).
EVENT_DATE_TO_BE_AGREED = gettext_noop("Date to be agreed")


@dataclass(frozen=True)
class FactorPack:
    row: ScorecardRow
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    drafted: str
    signed_off: bool
    quotes: tuple[tuple[str, str, str], ...]  # (text, source label, label)
    notes: tuple[tuple[str, str], ...]  # (kind label, text)
    questions: tuple[tuple[str, DistributionShown, float], ...]  # (source label, shown, weight)
    agencies: tuple[BreakdownCell, ...]
    areas: tuple[BreakdownCell, ...]


@dataclass(frozen=True)
class PackData:
    partnership: str
    title: str
    slug: str
    event_date: str
    chair: str
    built_at: str
    threshold: int
    scorecard: tuple[ScorecardRow, ...]
    method: tuple[tuple[str, str], ...]
    factors: tuple[FactorPack, ...]
    actions: tuple[DraftAction, ...]  # one for each factor that needs one
    discussion: tuple[str, ...]
    distributions: tuple[tuple[str, DistributionShown], ...]  # (source label, suppressed)

    @property
    def event_line(self) -> str:
        """The cover's line about the event: its date, or that it is to be agreed."""
        if self.event_date in (EVENT_DATE_TO_BE_AGREED, gettext(EVENT_DATE_TO_BE_AGREED)):
            return gettext("Scrutiny event: date to be agreed")
        return gettext("Scrutiny event: %(date)s") % {"date": self.event_date}

    @property
    def version(self) -> str:
        """A fingerprint of the data (not of when it was built)."""
        body = {
            "scorecard": [row.as_dict() for row in self.scorecard],
            "factors": [
                [f.strengths, f.improvements, f.quotes, f.notes, f.signed_off] for f in self.factors
            ],
            "method": self.method,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _chair(scrutiny: Scrutiny) -> str:
    scrutineer = (
        User.objects.filter(
            partnership_id=scrutiny.partnership_id, role=User.Role.SCRUTINEER, is_active=True
        )
        .order_by("pk")
        .first()
    )
    return scrutineer.get_full_name() if scrutineer else gettext("the Independent Scrutineer")


@dataclass(frozen=True)
class _Source:
    """An instrument as the method counts it: its returns, and its audited case files by area."""

    code: str
    kind: str
    title: str
    returns: int
    case_files: dict[str, int]


def _case_files(total: dict[str, int], threshold: int) -> str:
    """Case files by area; an area's count under the threshold reads "fewer than", as
    breakdowns do (§9)."""
    hidden = suppressed_codes(total, threshold=threshold)
    return "; ".join(
        f"{name}: {fewer_than(threshold) if name in hidden else n}" for name, n in total.items()
    )


def _method(scrutiny: Scrutiny, sources: list[_Source]) -> list[tuple[str, str]]:
    """What was gathered: each instrument once, in words, with its returns (and for a
    case-file audit, the case files audited by area). What an app knows of an instrument's
    returns (its config's `pack_method(scrutiny=...)`, instrument code → words, e.g. a survey's
    submitted of invited and rate) stands in place of the bare count, never beside it."""
    offered: dict[str, str] = {}
    for config in apps.get_app_configs():
        provider = getattr(config, "pack_method", None)
        if callable(provider):
            offered.update(provider(scrutiny=scrutiny))
    titles = [source.title for source in sources]
    lines: list[tuple[str, str]] = []
    for source in sources:
        if not (source.returns or source.code in offered):
            continue
        label = source.title
        if titles.count(source.title) > 1:  # two alike: say which kind
            label = f"{source.title} ({source_word(SOURCE_LABELS[source.kind]).lower()})"
        text = offered.get(source.code) or gettext("%(n)s returned") % {"n": source.returns}
        if source.case_files:
            text = _audits(source, scrutiny.suppression_threshold)
        lines.append((label, text))
    return lines


def _audits(source: _Source, threshold: int) -> str:
    """ "3 audits of 12 case files (North: 7; South: fewer than 5)"."""
    files = sum(source.case_files.values())
    return gettext("%(audits)s of %(files)s (%(areas)s)") % {
        "audits": ngettext("%(n)s audit", "%(n)s audits", source.returns) % {"n": source.returns},
        "files": ngettext("%(n)s case file", "%(n)s case files", files) % {"n": files},
        "areas": _case_files(source.case_files, threshold),
    }


def _sources(scrutiny: Scrutiny) -> list[_Source]:
    """Each instrument with its counting returns and audited case files (three queries)."""
    returns = dict(
        Response.objects.counting()
        .filter(scrutiny=scrutiny)
        .values("instrument_id")
        .annotate(n=Count("pk"))
        .values_list("instrument_id", "n")
        .order_by()
    )
    case_files: dict[int, dict[str, int]] = defaultdict(dict)
    for instrument_id, area, n in (
        Response.objects.counting()
        .filter(scrutiny=scrutiny, source="file_audit")
        .exclude(case_ref="")
        .values("instrument_id", "area__name")
        .annotate(n=Count("case_ref", distinct=True))
        .values_list("instrument_id", "area__name", "n")
        .order_by("instrument_id", "area__name")
    ):
        case_files[instrument_id][area or gettext("No area")] = n
    return [
        _Source(code, kind, title, returns.get(pk, 0), case_files.get(pk, {}))
        for pk, code, kind, title in Instrument.objects.filter(scrutiny=scrutiny)
        .order_by("code")
        .values_list("pk", "code", "kind", "title")
    ]


def _draft_action(row: ScorecardRow, improvements: tuple[str, ...]) -> DraftAction | None:
    return action_drafted(
        code=row.code,
        statement=row.statement,
        rating=row.rating,
        score=row.score,
        n=row.n,
        sources=[SourceScore(bar.label, bar.score, bar.n) for bar in row.sources],
        improvements=improvements,
    )


def _discussion(rows: list[ScorecardRow]) -> list[str]:
    questions = []
    for row in rows:
        if row.divergent and len(row.sources) > 1:
            high = max(row.sources, key=lambda bar: bar.score)
            low = min(row.sources, key=lambda bar: bar.score)
            questions.append(
                gettext(
                    "%(code)s: why does %(high)s (%(high_score)s) see this so differently from "
                    "%(low)s (%(low_score)s)?"
                )
                % {
                    "code": row.code,
                    "high": source_word(high.label).lower(),
                    "high_score": f"{high.score:.1f}",
                    "low": source_word(low.label).lower(),
                    "low_score": f"{low.score:.1f}",
                }
            )
        if row.rating in ("limited", "insufficient"):
            questions.append(
                gettext(
                    "%(code)s: what would it take for “%(statement)s” to be true for every "
                    "child, and who will lead it?"
                )
                % {"code": row.code, "statement": row.statement}
            )
    return questions


def _quotes(
    scrutiny: Scrutiny, redactor: Redactor, scores: ScrutinyScores
) -> dict[int, list[tuple[str, str, str]]]:
    """Each factor's quotes (by its id) as they may leave the screen: (text, source, label)."""
    quotes: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    shown_quotes = list(
        quotes_shown(Quote.objects.filter(scrutiny=scrutiny))
        .select_related("factor")
        .order_by("pk")
    )
    labels = QuoteLabels(shown_quotes, scrutiny=scrutiny, scores=scores)
    for quote in shown_quotes:
        shown = quote_published(quote, redactor=redactor, label=labels(quote))
        quotes[quote.factor_id].append((shown.text, source_word(shown.source), shown.label))
    return quotes


def _notes(scrutiny: Scrutiny, redactor: Redactor) -> dict[int, list[tuple[str, str]]]:
    """Each factor's evidence notes (by its id), redacted: (kind, text)."""
    notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for note in EvidenceNote.objects.filter(scrutiny=scrutiny).prefetch_related("factors"):
        for factor in note.factors.all():
            kind = note_kind_word(str(note.get_kind_display()))
            notes[factor.pk].append((kind, redactor.redact(note.text)))
    return notes


def pack_data(*, scrutiny: Scrutiny) -> PackData:
    scores = scrutiny_scores(scrutiny=scrutiny)
    rows = scorecard(scrutiny=scrutiny, scores=scores)
    all_distributions = question_distributions(scrutiny=scrutiny)
    protection = distributions_protected(scrutiny=scrutiny, distributions=all_distributions)
    findings = {
        f.factor_id: f
        for f in findings_ensure(
            scrutiny=scrutiny,
            scores=scores,
            rows=rows,
            distributions=all_distributions,
            protection=protection,
        )
    }
    redactor = Redactor.for_scrutiny(scrutiny)
    quotes = _quotes(scrutiny, redactor, scores)
    notes = _notes(scrutiny, redactor)
    factors = []
    actions = []
    by_code = {row.code: row for row in rows}
    for factor in SuccessFactor.objects.filter(scrutiny=scrutiny).order_by("code"):
        evidence = factor_evidence(
            scrutiny=scrutiny,
            factor=factor,
            scores=scores,
            rows=rows,
            distributions=all_distributions,
            protection=protection,
        )
        finding = findings[factor.pk]
        published = finding_published(finding, redactor=redactor)
        improvements = published.improvements
        factors.append(
            FactorPack(
                row=by_code[factor.code],
                strengths=published.strengths,
                improvements=improvements,
                drafted=published.drafted,
                signed_off=finding.is_signed_off,
                quotes=tuple(quotes.get(factor.pk, ())),
                notes=tuple(notes.get(factor.pk, ())),
                questions=tuple((q.source_label, q.shown, q.weight) for q in evidence.questions),
                agencies=evidence.agencies,
                areas=evidence.areas,
            )
        )
        drafted = _draft_action(by_code[factor.code], improvements)
        if drafted is not None:
            actions.append(drafted)
    sources = _sources(scrutiny)
    kinds = {source.code: source.kind for source in sources}
    distributions = tuple(
        (source_word(SOURCE_LABELS[kinds[d.instrument_code]]), d)
        for d in map(protection, all_distributions)  # suppressed as §9 says
    )
    return PackData(
        partnership=scrutiny.partnership.name,
        title=scrutiny.title,
        slug=scrutiny.slug,
        event_date=long_date(scrutiny.event_date)
        if scrutiny.event_date
        else gettext(EVENT_DATE_TO_BE_AGREED),
        chair=_chair(scrutiny),
        built_at=formats.date_format(timezone.localtime(), "j F Y, H:i"),
        threshold=scrutiny.suppression_threshold,
        scorecard=tuple(rows),
        method=tuple(_method(scrutiny, sources)),
        factors=tuple(factors),
        actions=tuple(actions),
        discussion=tuple(_discussion(rows)),
        distributions=distributions,
    )
