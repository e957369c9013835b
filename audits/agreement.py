"""Agreement between auditors: how often a first auditor and an independent second auditor of
the same agency gave the same answer, per question and per audit tool: percent agreement and
Cohen's kappa (`agreement_of`, `agreement_pooled`: pure functions; `agreement_statistics`: the
selector).

Cohen's kappa. For n pairs of answers (first auditor's, second auditor's) to one question,
``po`` = the share of pairs that agree, ``pe`` = ``Σ_k p1(k)·p2(k)`` over the answers k given,
where p1(k) (p2(k)) is the share of the first (second) auditors' answers that were k: the agreement
expected by chance from each side's own mix of answers. ``κ = (po - pe) / (1 - pe)``.
Computed with exact fractions, so hand-worked examples give exactly what they should.

The edge case ``pe = 1``: it happens exactly when both sides gave one and the same answer to every
case (then po = 1 too) and kappa is 0/0. We report kappa as *not defined* (None) there, beside
100% agreement, rather than 1 or 0: chance alone would have agreed as often, so the data cannot
tell agreement from chance. No pairs: neither percent nor kappa is defined.

Per audit tool the questions are pooled as de Vries et al. (2008) do: ``po`` and ``pe`` of each
question are averaged (weighted by the pairs compared for it), then
``κ = (p̄o - p̄e) / (1 - p̄e)``; a pair is compared on a question only where both auditors answered
it. Single-choice questions only: their answers are categories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import pgettext

from audits.models import Assignment
from scrutiny.models import Answer, Question, Response, Scrutiny

# ---------------------------------------------------------------------------------------------
# Agreement: pure functions over pairs of labels.


@dataclass(frozen=True)
class Agreement:
    """Agreement between two sides over `pairs` compared answers; `observed` is po and
    `expected` pe, exact; None when nothing was compared."""

    pairs: int
    agreed: int
    observed: Fraction | None
    expected: Fraction | None

    @property
    def percent(self) -> float | None:
        return None if self.observed is None else float(self.observed * 100)

    @property
    def kappa_exact(self) -> Fraction | None:
        if self.observed is None or self.expected is None or self.expected == 1:
            return None  # pe = 1: not defined (see the module's docstring)
        return (self.observed - self.expected) / (1 - self.expected)

    @property
    def kappa(self) -> float | None:
        exact = self.kappa_exact
        return None if exact is None else float(exact)

    @property
    def kappa_words(self) -> str:
        return kappa_words(self.kappa)


NOTHING_COMPARED = Agreement(pairs=0, agreed=0, observed=None, expected=None)


def agreement_of(pairs: Iterable[tuple[str, str]]) -> Agreement:
    """Percent agreement and Cohen's kappa of (first, second) labels for one question."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return NOTHING_COMPARED
    agreed = sum(1 for first, second in pairs if first == second)
    firsts = Counter(first for first, _ in pairs)
    seconds = Counter(second for _, second in pairs)
    expected = sum(
        (Fraction(firsts[k], n) * Fraction(seconds[k], n) for k in firsts.keys() & seconds.keys()),
        Fraction(0),
    )
    return Agreement(pairs=n, agreed=agreed, observed=Fraction(agreed, n), expected=expected)


def agreement_pooled(parts: Iterable[Agreement]) -> Agreement:
    """Several questions' agreement pooled (de Vries et al. 2008), weighted by pairs."""
    parts = [part for part in parts if part.pairs]
    n = sum(part.pairs for part in parts)
    if n == 0:
        return NOTHING_COMPARED
    expected = sum((part.pairs * (part.expected or Fraction(0)) for part in parts), Fraction(0))
    agreed = sum(part.agreed for part in parts)
    return Agreement(pairs=n, agreed=agreed, observed=Fraction(agreed, n), expected=expected / n)


def kappa_words(kappa: float | None) -> str:
    """Landis and Koch's (1977) words for a kappa, to read beside the number, in the active
    language (the page's, the API request's)."""
    if kappa is None:
        return pgettext("kappa", "Not defined")
    if kappa < 0:
        return pgettext("kappa", "Less than chance")
    for limit, words in (
        (0.2, pgettext("kappa", "Slight")),
        (0.4, pgettext("kappa", "Fair")),
        (0.6, pgettext("kappa", "Moderate")),
        (0.8, pgettext("kappa", "Substantial")),
    ):
        if kappa <= limit:
            return words
    return pgettext("kappa", "Almost perfect")


# ---------------------------------------------------------------------------------------------
# Agreement statistics of a scrutiny


@dataclass(frozen=True)
class QuestionAgreement:
    code: str
    text: str
    agreement: Agreement


@dataclass(frozen=True)
class ToolAgreement:
    instrument_code: str
    title: str
    audit_pairs: int  # (case, agency) with a first and a second audit, both submitted
    agreement: Agreement  # the questions pooled
    questions: tuple[QuestionAgreement, ...]  # in question order


def _paired(
    scrutiny: Scrutiny,
) -> tuple[dict[int, tuple[str, str]], set[tuple[int, int, int]]]:
    """The scrutiny's audit tools (code and title by instrument id), and each (tool, case file,
    agency) whose first and second audits are both submitted (one query)."""
    submitted = Response.Status.SUBMITTED
    tools: dict[int, tuple[str, str]] = {}
    roles: dict[tuple[int, int, int], set[str]] = defaultdict(set)
    for case_id, agency_id, role, instrument_id, code, title in Assignment.objects.filter(
        case__sample__scrutiny=scrutiny, response__status=submitted
    ).values_list(
        "case_id",
        "agency_id",
        "role",
        "response__instrument_id",
        "response__instrument__code",
        "response__instrument__title",
    ):
        tools[instrument_id] = (code, title)
        roles[(instrument_id, case_id, agency_id)].add(role)
    both = {Assignment.Role.FIRST.value, Assignment.Role.SECOND.value}
    return tools, {key for key, seen in roles.items() if both <= seen}


def agreement_statistics(*, scrutiny: Scrutiny) -> list[ToolAgreement]:
    """Agreement of first and independent second audits, per audit tool and question, for the
    case files where both of an agency's audits are submitted. Two queries, however many."""
    submitted = Response.Status.SUBMITTED
    tools, paired = _paired(scrutiny)

    labels: dict[tuple[int, str, int, int], dict[str, str]] = defaultdict(dict)
    questions: dict[int, dict[str, tuple[int, int, str]]] = defaultdict(dict)
    # The audits' answers found through the audits (a subquery), not by a join up to the
    # scrutiny: the database reads this scrutiny's audits first, however large another is.
    audited = Assignment.objects.filter(
        case__sample__scrutiny=scrutiny, response__status=submitted
    ).values("response_id")
    rows = Answer.objects.filter(
        response_id__in=audited,
        question__type=Question.Type.SINGLE,
        option__isnull=False,
    ).values_list(
        "response__instrument_id",
        "response__assignment__case_id",
        "response__assignment__agency_id",
        "response__assignment__role",
        "question__code",
        "question__text",
        "question__position",
        "response__version__number",
        "option__value",
    )
    for instrument_id, case_id, agency_id, role, code, text, position, number, value in rows:
        if (instrument_id, case_id, agency_id) not in paired:
            continue
        labels[(instrument_id, code, case_id, agency_id)][role] = value
        known = questions[instrument_id].get(code)
        if known is None or number > known[0]:  # the newest version's wording and order
            questions[instrument_id][code] = (number, position, text)

    pairs_by_question: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    for (instrument_id, code, _case, _agency), by_role in sorted(labels.items()):
        first, second = by_role.get(Assignment.Role.FIRST), by_role.get(Assignment.Role.SECOND)
        if first is not None and second is not None:
            pairs_by_question[(instrument_id, code)].append((first, second))

    results: list[ToolAgreement] = []
    for instrument_id, (code, title) in tools.items():
        audit_pairs = sum(1 for key in paired if key[0] == instrument_id)
        if not audit_pairs:
            continue
        asked = sorted(questions[instrument_id].items(), key=lambda item: (item[1][1], item[0]))
        per_question = tuple(
            QuestionAgreement(
                code=q_code,
                text=text,
                agreement=agreement_of(pairs_by_question.get((instrument_id, q_code), [])),
            )
            for q_code, (_number, _position, text) in asked
        )
        results.append(
            ToolAgreement(
                instrument_code=code,
                title=title,
                audit_pairs=audit_pairs,
                agreement=agreement_pooled(q.agreement for q in per_question),
                questions=per_question,
            )
        )
    return sorted(results, key=lambda tool: tool.instrument_code)
