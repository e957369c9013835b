"""Findings, quotes and notes: what the scrutineer writes from the evidence.

- `findings_drafted` gives every success factor its finding as it reads now, drafted from the
  data (rating, n, sources and how far they diverge, the strongest and weakest linked
  questions), writing nothing: the drafted text of a finding not yet signed off follows the
  data, while what the scrutineer wrote stays. Pages and the API read findings through it.
- A finding is stored only by what writes: `finding_update` saves the scrutineer's strengths
  and areas for improvement (one a line, each citing its evidence: a question code, a source, a
  quote, a note); `findings_ensure` stores every drafted finding, for `findings_sign_off`, which
  freezes every finding with the data it was drawn from (a signed-off finding is not changed
  again) and publishes the results to the board (`scrutiny.publishing`), and for the pack build.
- `quote_tag` keeps a comment for the pack, redacted and labelled as `scrutiny.disclosure` allows.
- `note_record` keeps qualitative evidence the numbers miss, tagged to factors.

Words (issue 18): a finding's drafted text is written in the language active when it is drafted
(`gettext`), sources and ratings put in it from the English words the data carries; stored by
`findings_ensure` (for signing off, for a pack built in Welsh inside `translation.override`), it
keeps that language until it is drafted again. The frozen data keeps English words.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from scrutiny.disclosure import (
    SOURCE_LABELS,
    CommentLabels,
    DistributionProtection,
    Redactor,
    distributions_protected,
)
from scrutiny.errors import ApplicationError
from scrutiny.models import (
    Answer,
    EvidenceNote,
    Finding,
    Quote,
    Scrutiny,
    SuccessFactor,
    User,
)
from scrutiny.packs.words import long_date, rating_word, source_word
from scrutiny.scorecard import (
    QuestionEvidence,
    QuestionScore,
    ScorecardRow,
    comment_questions,
    factor_evidence,
    question_scores,
    scorecard,
    shortened,
)
from scrutiny.scoring import (
    QuestionDistribution,
    ScrutinyScores,
    question_distributions,
    scrutiny_scores,
)

# ---------------------------------------------------------------------------------------------
# Drafting from the data


def _question_line(question: QuestionScore) -> str:
    """A question as a person reads it: its words (shortened) and its instrument's title, with
    the codes after them for analysts who cite them."""
    title = question.instrument_title or source_word(SOURCE_LABELS[question.source])
    return gettext("“%(text)s” (%(title)s: %(score)s, n %(n)s; code %(instrument)s %(code)s)") % {
        "text": shortened(question.text),
        "title": title,
        "score": f"{question.score:.1f}",
        "n": question.n,
        "instrument": question.instrument,
        "code": question.code,
    }


def finding_draft_text(row: ScorecardRow, questions: tuple[QuestionEvidence, ...]) -> str:
    """What the data says about one factor, in sentences a scrutineer can edit from."""
    if row.score is None:
        return gettext("%(code)s: no counting response answered its questions yet.") % {
            "code": row.code
        }
    lines = [
        f"{row.code} {row.statement}",
        gettext("%(rating)s: %(score)s from %(n)s responses.")
        % {
            "rating": rating_word(row.rating, row.rating_label),
            "score": f"{row.score:.1f}",
            "n": row.n,
        },
    ]
    if row.sources:
        by_source = "; ".join(
            f"{source_word(bar.label)} {bar.score:.1f} (n {bar.n})" for bar in row.sources
        )
        lines.append(gettext("By source: %(sources)s.") % {"sources": by_source})
    if row.divergent and row.spread is not None:
        lines.append(_divergence(row))
    scored = sorted(question_scores(questions), key=lambda q: (q.score, q.instrument, q.code))
    if scored:
        strongest, weakest = scored[-1], scored[0]
        lines.append(
            gettext("Strongest question: %(question)s.") % {"question": _question_line(strongest)}
        )
        if weakest != strongest:
            lines.append(
                gettext("Weakest question: %(question)s.") % {"question": _question_line(weakest)}
            )
    if row.change is not None:
        lines.append(
            gettext("Since the earlier scrutiny: %(change)s points (from %(previous)s).")
            % {"change": f"{row.change:+.1f}", "previous": f"{row.previous:.1f}"}
        )
    return "\n".join(lines)


def _divergence(row: ScorecardRow) -> str:
    high = max(row.sources, key=lambda bar: bar.score)
    low = min(row.sources, key=lambda bar: bar.score)
    return gettext(
        "The sources diverge by %(spread)s points: %(high)s %(high_score)s against "
        "%(low)s %(low_score)s. Why?"
    ) % {
        "spread": f"{row.spread:.1f}",
        "high": source_word(high.label),
        "high_score": f"{high.score:.1f}",
        "low": source_word(low.label),
        "low_score": f"{low.score:.1f}",
    }


def _drafts(
    *,
    scrutiny: Scrutiny,
    factor: SuccessFactor | None = None,
    scores: ScrutinyScores | None = None,
    rows: list[ScorecardRow] | None = None,
    distributions: list[QuestionDistribution] | None = None,
    protection: DistributionProtection | None = None,
) -> list[tuple[Finding, str | None]]:
    """Each factor's finding (or `factor`'s alone): the stored one, else a new one not saved,
    with the text the data drafts for it now; None for a signed-off one, whose words stay.
    Reads only."""
    stored = Finding.objects.filter(scrutiny=scrutiny)
    factors = SuccessFactor.objects.filter(scrutiny=scrutiny).order_by("code")
    if factor is not None:
        stored, factors = stored.filter(factor=factor), factors.filter(pk=factor.pk)
    findings = {f.factor_id: f for f in stored}
    result: list[tuple[Finding, str | None]] = []
    for each in factors:
        finding = findings.get(each.pk) or Finding(scrutiny=scrutiny, factor=each)
        finding.factor = each
        drafted = None
        if not finding.is_signed_off:
            scores = scores or scrutiny_scores(scrutiny=scrutiny)
            if rows is None:
                rows = scorecard(scrutiny=scrutiny, scores=scores)
            if distributions is None:
                distributions = question_distributions(scrutiny=scrutiny)
            if protection is None:
                protection = distributions_protected(scrutiny=scrutiny, distributions=distributions)
            evidence = factor_evidence(
                scrutiny=scrutiny,
                factor=each,
                scores=scores,
                rows=rows,
                distributions=distributions,
                protection=protection,
            )
            drafted = finding_draft_text(evidence.row, evidence.questions)
        result.append((finding, drafted))
    return result


def findings_drafted(
    *,
    scrutiny: Scrutiny,
    factor: SuccessFactor | None = None,
    scores: ScrutinyScores | None = None,
    rows: list[ScorecardRow] | None = None,
    distributions: list[QuestionDistribution] | None = None,
    protection: DistributionProtection | None = None,
) -> list[Finding]:
    """Every factor's finding (or `factor`'s alone) as it reads now, writing nothing: what the
    scrutineer wrote, with the text drafted from the data unless signed off. A factor whose
    finding was never written gets one not saved (its `pk` None). Callers that show the
    factor's evidence too pass what they read for it (`scorecard.factor_evidence`)."""
    result = []
    for finding, drafted in _drafts(
        scrutiny=scrutiny,
        factor=factor,
        scores=scores,
        rows=rows,
        distributions=distributions,
        protection=protection,
    ):
        if drafted is not None:
            finding.drafted = drafted
        result.append(finding)
    return result


@transaction.atomic
def findings_ensure(
    *,
    scrutiny: Scrutiny,
    scores: ScrutinyScores | None = None,
    rows: list[ScorecardRow] | None = None,
    distributions: list[QuestionDistribution] | None = None,
    protection: DistributionProtection | None = None,
) -> list[Finding]:
    """Every factor's finding stored, its drafted text brought up to date unless signed off:
    for signing off and building a pack, which keep what they were drawn from. Pages and the
    API read `findings_drafted`, which writes nothing."""
    result = []
    for finding, drafted in _drafts(
        scrutiny=scrutiny,
        scores=scores,
        rows=rows,
        distributions=distributions,
        protection=protection,
    ):
        if drafted is not None and (finding.pk is None or finding.drafted != drafted):
            finding.drafted = drafted
            finding.save()
        result.append(finding)
    return result


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def finding_update(*, finding: Finding, strengths: str, improvements: str, user: User) -> Finding:
    """Save what the scrutineer wrote. A finding not stored yet (from `findings_drafted`) is
    stored now, with the text drafted for it."""
    if finding.pk is None:
        Finding.objects.get_or_create(
            factor_id=finding.factor_id,
            defaults={"scrutiny_id": finding.scrutiny_id, "drafted": finding.drafted},
        )
    finding = (
        Finding.objects.select_for_update()
        .select_related("factor")
        .get(factor_id=finding.factor_id)
    )
    if finding.is_signed_off:
        raise ApplicationError(
            gettext("The finding for %(code)s was signed off on %(date)s: it can no longer change.")
            % {
                "code": finding.factor.code,
                "date": long_date(timezone.localtime(finding.signed_off_at)),
            }
        )
    finding.strengths = _lines(strengths)
    finding.improvements = _lines(improvements)
    finding.updated_by = user
    finding.save()
    return finding


@transaction.atomic
def findings_sign_off(*, scrutiny: Scrutiny, user: User) -> list[Finding]:
    """Sign off every finding, frozen with its factor's data now. Refused, changing nothing,
    while a finding has neither a strength nor an area for improvement."""
    scores = scrutiny_scores(scrutiny=scrutiny)
    rows = scorecard(scrutiny=scrutiny, scores=scores)
    distributions = question_distributions(scrutiny=scrutiny)
    protection = distributions_protected(scrutiny=scrutiny, distributions=distributions)
    findings = findings_ensure(
        scrutiny=scrutiny,
        scores=scores,
        rows=rows,
        distributions=distributions,
        protection=protection,
    )
    empty = [f.factor.code for f in findings if not (f.strengths or f.improvements)]
    if empty:
        raise ApplicationError(
            gettext(
                "Write at least one strength or area for improvement for %(codes)s before "
                "signing the findings off."
            )
            % {"codes": ", ".join(empty)}
        )
    now = timezone.now()
    for finding in findings:
        if finding.is_signed_off:
            continue
        evidence = factor_evidence(
            scrutiny=scrutiny,
            factor=finding.factor,
            scores=scores,
            rows=rows,
            distributions=distributions,
            protection=protection,
        )
        finding.frozen = {
            "row": evidence.row.as_dict(),
            "questions": [q.__dict__ for q in question_scores(evidence.questions)],
            "drafted": finding.drafted,
        }
        finding.signed_off_at = now
        finding.signed_off_by = user
        finding.save()
    # Signed off, the results are published to the board. Imported here: publishing builds on
    # the event pack's data, which reads the findings through this module.
    from scrutiny.publishing import scrutiny_publish

    scrutiny_publish(scrutiny=scrutiny, user=user)
    return findings


# ---------------------------------------------------------------------------------------------
# Quotes and notes


@transaction.atomic
def quote_tag(*, scrutiny: Scrutiny, factor: SuccessFactor, answer_id: int, user: User) -> Quote:
    """Keep a comment on the factor for the pack (once), redacted, with the label it may carry."""
    answer = CommentLabels.answers(
        Answer.objects.counting()
        .filter(comment_questions(factor=factor), pk=answer_id, response__scrutiny=scrutiny)
        .exclude(text="")
        .select_related("question__version__instrument")
    ).first()
    if answer is None:
        raise ApplicationError(
            gettext("That comment is not evidence for %(code)s.") % {"code": factor.code}
        )
    if answer.disclosure:
        raise ApplicationError(
            gettext(
                "This comment may be a child's disclosure of harm: it stays on this screen and "
                "cannot be quoted. The business unit has been told."
            )
        )
    existing = Quote.objects.filter(factor=factor, answer=answer).first()
    if existing is not None:
        return existing
    label = CommentLabels.for_factor(scrutiny=scrutiny, factor_code=factor.code)(answer)
    return Quote.objects.create(
        scrutiny=scrutiny,
        factor=factor,
        answer=answer,
        text=Redactor.for_scrutiny(scrutiny).redact(answer.text),
        source=answer.question.version.instrument.kind,
        label=label,
        tagged_by=user,
    )


def quote_remove(*, quote: Quote) -> None:
    quote.delete()


@transaction.atomic
def note_record(
    *, scrutiny: Scrutiny, kind: str, text: str, factor_codes: list[str], user: User
) -> EvidenceNote:
    text = text.strip()
    if not text:
        raise ApplicationError(
            gettext("Write the note: what was said, and by whom (their role, not name).")
        )
    if kind not in EvidenceNote.Kind.values:
        raise ApplicationError(gettext("Choose where the note comes from."))
    factors = list(SuccessFactor.objects.filter(scrutiny=scrutiny, code__in=factor_codes))
    if not factors:
        raise ApplicationError(gettext("Tag the note to at least one success factor."))
    unknown = sorted(set(factor_codes) - {f.code for f in factors})
    if unknown:
        raise ApplicationError(
            gettext("Unknown success factors: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    note = EvidenceNote.objects.create(scrutiny=scrutiny, kind=kind, text=text, recorded_by=user)
    note.factors.set(factors)
    return note
