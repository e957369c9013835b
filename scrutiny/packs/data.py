"""What goes into an event pack, as plain data: every number through `scrutiny.disclosure`'s
suppression and every text through its redaction, so that the renderers (`pdf`, `xlsx`) cannot
leak what the rules keep back, whatever they do.

`pack_data` reads a fixed number of queries. The counting responses, one row each for the
workbook, are not gathered here but streamed by `response_rows`, so that a pack of a million
answers does not hold them in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.apps import apps
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from scrutiny.disclosure import (
    SOURCE_LABELS,
    DistributionShown,
    Redactor,
    ResponseLabels,
    distributions_for_publication,
    finding_published,
    quote_published,
    suppressed_codes,
)
from scrutiny.evidence import ANSWER_VALUE_FIELDS, ANSWER_VALUE_ORDER, answer_values_from
from scrutiny.findings import findings_ensure
from scrutiny.models import (
    Answer,
    EvidenceNote,
    Instrument,
    Question,
    Quote,
    Response,
    Scrutiny,
    SuccessFactor,
    User,
)
from scrutiny.scorecard import (
    BreakdownCell,
    ScorecardRow,
    factor_evidence,
    scorecard,
)
from scrutiny.scoring import question_distributions, scrutiny_scores


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
    actions: tuple[tuple[str, str, str], ...]  # (factor code, rating label, action)
    discussion: tuple[str, ...]
    distributions: tuple[tuple[str, DistributionShown], ...]  # (source label, suppressed)

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
    return scrutineer.get_full_name() if scrutineer else "the Independent Scrutineer"


def _method(scrutiny: Scrutiny, counts: dict[str, int]) -> list[tuple[str, str]]:
    """What was gathered: case files audited by area, returns by source, and what the other
    apps add (an app's config may offer `pack_method(scrutiny=...)`, e.g. response rates)."""
    lines: list[tuple[str, str]] = []
    audited = (
        Response.objects.counting()
        .filter(scrutiny=scrutiny, source="file_audit")
        .exclude(case_ref="")
        .values("area__name")
        .annotate(n=Count("case_ref", distinct=True))
        .order_by("area__name")
    )
    by_area = {row["area__name"] or "No area": row["n"] for row in audited}
    if by_area:
        # An area's count under the threshold reads "fewer than", as breakdowns do (§9).
        threshold = scrutiny.suppression_threshold
        hidden = suppressed_codes(by_area, threshold=threshold)
        shown = (f"fewer than {threshold}" if name in hidden else n for name, n in by_area.items())
        lines.append(
            (
                "Case files audited",
                f"{sum(by_area.values())}: "
                + ", ".join(f"{name} {n}" for name, n in zip(by_area, shown, strict=True)),
            )
        )
    for source, label in SOURCE_LABELS.items():
        if counts.get(source):
            lines.append((label, f"{counts[source]} counting responses"))
    for config in apps.get_app_configs():
        provider = getattr(config, "pack_method", None)
        if callable(provider):
            lines.extend(provider(scrutiny=scrutiny))
    return lines


def _discussion(rows: list[ScorecardRow]) -> list[str]:
    questions = []
    for row in rows:
        if row.divergent and len(row.sources) > 1:
            high = max(row.sources, key=lambda bar: bar.score)
            low = min(row.sources, key=lambda bar: bar.score)
            questions.append(
                f"{row.code}: why does {high.label.lower()} ({high.score:.1f}) see this so "
                f"differently from {low.label.lower()} ({low.score:.1f})?"
            )
        if row.rating in ("limited", "insufficient"):
            questions.append(
                f"{row.code}: what would it take for “{row.statement}” to be true for every "
                "child, and who will lead it?"
            )
    return questions


def pack_data(*, scrutiny: Scrutiny) -> PackData:
    scores = scrutiny_scores(scrutiny=scrutiny)
    rows = scorecard(scrutiny=scrutiny, scores=scores)
    all_distributions = question_distributions(scrutiny=scrutiny)
    findings = {
        f.factor_id: f
        for f in findings_ensure(
            scrutiny=scrutiny, scores=scores, rows=rows, distributions=all_distributions
        )
    }
    redactor = Redactor.for_scrutiny(scrutiny)
    quotes: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for quote in Quote.objects.filter(scrutiny=scrutiny).order_by("pk"):
        shown = quote_published(quote, redactor=redactor)
        quotes[quote.factor_id].append((shown.text, shown.source, shown.label))
    notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for note in EvidenceNote.objects.filter(scrutiny=scrutiny).prefetch_related("factors"):
        for factor in note.factors.all():
            notes[factor.pk].append((note.get_kind_display(), redactor.redact(note.text)))
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
        row = by_code[factor.code]
        if row.rating != "strong":
            for line in improvements or ("Action to be agreed at the scrutiny event.",):
                actions.append((factor.code, row.rating_label, line))
    kinds = dict(Instrument.objects.filter(scrutiny=scrutiny).values_list("code", "kind"))
    distributions = tuple(
        (SOURCE_LABELS[kinds[d.instrument_code]], d)
        for d in distributions_for_publication(all_distributions, scrutiny=scrutiny)
    )
    counts = dict(
        Response.objects.counting()
        .filter(scrutiny=scrutiny)
        .values("source")
        .annotate(n=Count("pk"))
        .values_list("source", "n")
        .order_by()
    )
    return PackData(
        partnership=scrutiny.partnership.name,
        title=scrutiny.title,
        slug=scrutiny.slug,
        event_date=f"{scrutiny.event_date:%-d %B %Y}" if scrutiny.event_date else "to be set",
        chair=_chair(scrutiny),
        built_at=f"{timezone.localtime():%-d %B %Y, %H:%M}",
        threshold=scrutiny.suppression_threshold,
        scorecard=tuple(rows),
        method=tuple(_method(scrutiny, counts)),
        factors=tuple(factors),
        actions=tuple(actions),
        discussion=tuple(_discussion(rows)),
        distributions=distributions,
    )


def comment_rows(scrutiny: Scrutiny, redactor: Redactor) -> Iterator[tuple[str, str, str, str]]:
    """Every comment of a counting response, redacted: (source, instrument, question, text).
    Not labelled with an agency or area: a comment in the workbook stands alone."""
    answers = (
        Answer.objects.filter(
            response__in=Response.objects.counting().filter(scrutiny=scrutiny),
            question__type=Question.Type.TEXT,
        )
        .exclude(text="")
        .select_related("question__version__instrument")
        .order_by("question__version__instrument__code", "question__position", "pk")
    )
    for answer in answers.iterator(chunk_size=2000):
        instrument = answer.question.version.instrument
        yield (
            SOURCE_LABELS[instrument.kind],
            instrument.code,
            answer.question.code,
            redactor.redact(answer.text),
        )


# ---------------------------------------------------------------------------------------------
# Every counting response, one row each (streamed)


@dataclass(frozen=True)
class ResponseSheet:
    instrument: str
    title: str
    header: tuple[str, ...]
    rows: Iterator[list[Any]]


def response_sheets(scrutiny: Scrutiny) -> Iterator[ResponseSheet]:
    """One sheet an instrument: each counting response a row, pseudonymised (a running number,
    written as a number so the workbook's shared strings do not grow with every row; no case
    reference, no name), every text redacted. A row shows its agency, area, role and day only
    as far as at least the suppression threshold of the instrument's rows show the same
    (`scrutiny.disclosure.rows_coarsen`: the day is blanked first, then the role, the area and
    the agency). The rows come in an order drawn afresh for each pack, so that where a row
    stands (next to rows that show their day, say) tells nothing of what it does not show."""
    redactor = Redactor.for_scrutiny(scrutiny)
    labels = ResponseLabels.for_scrutiny(scrutiny)
    for instrument in Instrument.objects.filter(scrutiny=scrutiny).order_by("code"):
        responses = Response.objects.counting().filter(scrutiny=scrutiny, instrument=instrument)
        if not responses.exists():
            continue
        codes = list(
            Question.objects.filter(version__instrument=instrument)
            .order_by("version__number", "position")
            .values_list("code", flat=True)
            .distinct()
        )
        codes = list(dict.fromkeys(codes))
        yield ResponseSheet(
            instrument=instrument.code,
            title=instrument.title,
            header=("response", "version", "agency", "area", "role", "submitted", *codes),
            rows=_response_rows(responses, codes, labels, instrument.pk, redactor),
        )


# A prime: (a·(id mod p) + b) mod p orders ids afresh. The id is reduced first, since an
# anonymous response's id is random up to 2**52 (scrutiny.evidence.random_id): so every term
# stays below 2**63, in PostgreSQL's bigint and SQLite's integer alike. Two ids of the same
# residue (about one pair in 400,000 among 1,000 responses) tie, and fall back to their ids.
_SHUFFLE_MODULUS = 2**31 - 1


def _shuffled() -> ExpressionWrapper:
    """A random order of responses, new for each call: not the order they were started or
    submitted in (sequential ids rise with it), nor any order of what a row shows."""
    a = secrets.randbelow(_SHUFFLE_MODULUS - 1) + 1
    b = secrets.randbelow(_SHUFFLE_MODULUS)
    residue = F("response_id") % _SHUFFLE_MODULUS
    return ExpressionWrapper((residue * a + b) % _SHUFFLE_MODULUS, output_field=BigIntegerField())


def _response_rows(
    responses: Any,
    codes: list[str],
    labels: ResponseLabels,
    instrument_id: int,
    redactor: Redactor,
) -> Iterator[list[Any]]:
    position = {code: i for i, code in enumerate(codes)}
    answers = (
        Answer.objects.filter(response__in=responses)
        .annotate(submitted_day=TruncDate("response__submitted_at"), shuffled=_shuffled())
        .values_list(
            "response_id",
            "response__version__number",
            "response__agency__code",
            "response__area__code",
            "response__role__code",
            "submitted_day",
            *ANSWER_VALUE_FIELDS,
        )
        .order_by("shuffled", "response_id", *ANSWER_VALUE_ORDER)
    )
    for number, (_, group) in enumerate(
        groupby(answers.iterator(chunk_size=1000), key=itemgetter(0)), start=1
    ):
        rows = list(group)
        _, version, agency, area, role, submitted = rows[0][:6]
        agency, area, role, submitted = labels(instrument_id, (agency, area, role, submitted))
        row: list[Any] = [
            number,  # a running number: a pseudonym that is not a shared string
            version,
            agency or "",
            area or "",
            role or "",
            submitted,
            *([""] * len(codes)),
        ]
        types = {answer[6]: answer[7] for answer in rows}
        for code, value in answer_values_from(answer[6:] for answer in rows).items():
            row[6 + position[code]] = _sheet_cell(types[code], value, redactor)
        yield row


def _sheet_cell(type_: str, value: Any, redactor: Redactor) -> Any:
    """A raw value (`answer_values_from`) as the response sheet's cell: a number or a date as
    itself, options joined by ";", a text redacted."""
    if value in ("", []):
        return ""
    if type_ == Question.Type.MULTIPLE:
        return ";".join(value)
    if type_ == Question.Type.NUMBER:
        return Decimal(value)
    if type_ == Question.Type.DATE:
        return dt.date.fromisoformat(value)
    if type_ == Question.Type.SINGLE:
        return value
    return redactor.redact(value)
