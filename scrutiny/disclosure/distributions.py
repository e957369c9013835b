"""Counts per option, and a question's own score, as they may leave the scrutineer's screen
(SCORING.md §9).

- `distributions_protected` decides, in one place, which distributions are protected and how
  (`DistributionProtection`); `distribution_shown` suppresses one question's small counts, and
  `distributions_for_publication` every distribution given;
- `question_score_shown` is a question's own score and n (which the drafted findings quote) as
  they may be shown: never beside a distribution with a count suppressed.

Which distributions are protected. Those of board questionnaires, family feedback and children's
own answers (NAMED_SOURCES), and those computed from fewer than SMALL_POPULATION counting
responses. Distributions are counted version by version (an instrument's versions ask different
questions), so that test is of the responses to the version: an instrument with 20 responses on
its second version and one on its first shows that one's choices as a distribution of one
response, and protects them as such.

What else a protected distribution hides. Suppression keeps the sums (§9: the scores and n of
sections 6 to 8 are unaffected), and a sum beside the counts shown can give back those hidden:

- a question's own score and n are two equations in its counts. With two counts hidden (six
  chose Outstanding, "fewer than 5" Inadequate and "fewer than 5" Requires improvement, beside
  "79.2, n 8"), they give both back (1 and 1). So a question's score and n are not shown where
  any count of its distribution is suppressed;
- a source's score and n for a factor (shown, as §6 requires) are drawn from the answers to
  the source's questions linked to the factor. Where one question alone was answered with a
  scored option, they are that question's own score and n; where others were too but are
  shown whole, they and the source's score give its score and n back, near enough. So, as in a
  breakdown where exactly one cell is suppressed, where exactly one of those questions has a
  count suppressed, every count of it is suppressed (the zeros too, since "fewer than 5" is
  true of 0): the source's score and n then say what a score says (§9 keeps them), and the
  counts shown add nothing to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Set
from dataclasses import dataclass

from django.db.models import Count

from scrutiny.disclosure.suppression import suppressed_codes
from scrutiny.kept import kept
from scrutiny.models import FactorLink, Response, Scrutiny, Source
from scrutiny.scoring import Cell, QuestionDistribution, question_distributions, question_score

# Sources whose every distribution is protected: board members answer by name, a family is one
# of few, and a child is one of a class. So is any distribution computed from fewer counting
# responses than SMALL_POPULATION.
NAMED_SOURCES = frozenset(
    {
        Source.BOARD_QUESTIONNAIRE.value,
        Source.FAMILY_FEEDBACK.value,
        Source.YOUNG_PEOPLE.value,
    }
)
SMALL_POPULATION = 20

VersionKey = tuple[str, int]  # an instrument's code, a version's number
QuestionKey = tuple[str, int, str]  # the same, and a question's code


@dataclass(frozen=True)
class OptionShown:
    value: str
    label: str
    points: float | None
    count: int | None  # None where suppressed: it reads "fewer than" the threshold

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class DistributionShown:
    """A `scrutiny.scoring.QuestionDistribution` as it may leave the screen."""

    instrument_code: str
    version: int
    code: str
    type: str
    text: str
    answered: int
    options: tuple[OptionShown, ...]  # in option order

    @property
    def suppressed(self) -> bool:
        """Whether any count of it is suppressed."""
        return any(option.suppressed for option in self.options)


def distribution_shown(
    distribution: QuestionDistribution, *, threshold: int, protected: bool, exposed: bool = False
) -> DistributionShown:
    """One question's counts as they may be shown. Where `protected`, a count from 1 to
    threshold - 1 is suppressed, with the secondary suppression of a breakdown
    (`suppressed_codes` over the options chosen at least once); and where that leaves the only
    option chosen hidden alone, the first (by value) of the options chosen by nobody is hidden
    with it, since `answered` and a column of zeros would give it away ("fewer than 5" is true
    of 0). Where a source's score would give its counts back (`exposed`: the module's
    docstring), a count suppressed hides every count of it. `answered`, a total like a
    source's n, is shown."""
    hidden: set[str] = set()
    if protected:
        hidden = suppressed_codes(
            {o.value: o.count for o in distribution.options if o.count > 0}, threshold=threshold
        )
        if len(hidden) == 1:
            hidden.update(sorted(o.value for o in distribution.options if o.count == 0)[:1])
        if exposed and hidden:
            hidden = {o.value for o in distribution.options}
    return DistributionShown(
        instrument_code=distribution.instrument_code,
        version=distribution.version,
        code=distribution.code,
        type=distribution.type,
        text=distribution.text,
        answered=distribution.answered,
        options=tuple(
            OptionShown(o.value, o.label, o.points, None if o.value in hidden else o.count)
            for o in distribution.options
        ),
    )


@dataclass(frozen=True)
class DistributionProtection:
    """Which of a scrutiny's distributions are protected, and which questions' counts a
    source's score would give back (the module's docstring); called with a distribution, what
    of it may be shown. Build it with `distributions_protected`."""

    versions: frozenset[VersionKey]  # the versions whose distributions are protected
    exposed: frozenset[QuestionKey]  # the questions whose counts a source's score gives back
    threshold: int

    def __call__(self, distribution: QuestionDistribution) -> DistributionShown:
        version = (distribution.instrument_code, distribution.version)
        return distribution_shown(
            distribution,
            threshold=self.threshold,
            protected=version in self.versions,
            exposed=(*version, distribution.code) in self.exposed,
        )


def _versions(scrutiny: Scrutiny) -> frozenset[VersionKey]:
    """The versions whose distributions are protected: those of a named source, and those with
    fewer than SMALL_POPULATION counting responses (one query, none while the evidence is
    unchanged; a version with none has nothing to protect)."""
    counted = kept(
        scrutiny,
        "version counts",
        lambda: list(
            Response.objects.counting()
            .filter(scrutiny=scrutiny)
            .values_list("instrument__code", "instrument__kind", "version__number")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    return frozenset(
        (code, number)
        for code, kind, number, n in counted
        if kind in NAMED_SOURCES or n < SMALL_POPULATION
    )


def _exposed(
    scrutiny: Scrutiny, distributions: Iterable[QuestionDistribution], versions: Set[VersionKey]
) -> set[QuestionKey]:
    """The questions whose counts a source's score would give back: for each factor and
    source, of the linked questions with a score (`question_score`), the one with a count
    suppressed where it is the only one (one query: the links)."""
    threshold = scrutiny.suppression_threshold
    suppressed = {
        (d.instrument_code, d.version, d.code): distribution_shown(
            d, threshold=threshold, protected=(d.instrument_code, d.version) in versions
        ).suppressed
        for d in distributions
        if question_score(d) is not None
    }
    by_source: dict[tuple[int, str], set[QuestionKey]] = defaultdict(set)
    for factor_id, kind, code, number, question in (
        FactorLink.objects.filter(factor__scrutiny=scrutiny)
        .values_list(
            "factor_id",
            "question__version__instrument__kind",
            "question__version__instrument__code",
            "question__version__number",
            "question__code",
        )
        .order_by()
    ):
        if suppressed.get((code, number, question)):
            by_source[(factor_id, kind)].add((code, number, question))
    return {key for keys in by_source.values() if len(keys) == 1 for key in keys}


def distributions_protected(
    *, scrutiny: Scrutiny, distributions: Iterable[QuestionDistribution] | None = None
) -> DistributionProtection:
    """How the scrutiny's distributions are protected: two queries (and the evidence stamp),
    given every distribution of the scrutiny (`question_distributions`), else those too."""
    if distributions is None:
        distributions = question_distributions(scrutiny=scrutiny)
    versions = _versions(scrutiny)
    return DistributionProtection(
        versions=versions,
        exposed=frozenset(_exposed(scrutiny, distributions, versions)),
        threshold=scrutiny.suppression_threshold,
    )


def distributions_for_publication(
    distributions: Iterable[QuestionDistribution],
    *,
    scrutiny: Scrutiny,
    protection: DistributionProtection | None = None,
) -> list[DistributionShown]:
    """Every distribution given (of the scrutiny) as it may leave the screen, protected as
    `protection` says (`distributions_protected`, else worked out here)."""
    if protection is None:
        protection = distributions_protected(scrutiny=scrutiny)
    return [protection(d) for d in distributions]


def question_score_shown(
    distribution: QuestionDistribution, shown: DistributionShown
) -> Cell | None:
    """A question's own score and n (`scrutiny.scoring.question_score`) as they may be shown
    beside its distribution as shown (`shown`): None where any count of it is suppressed, since
    the two would give the hidden counts back (the module's docstring)."""
    if shown.suppressed:
        return None
    return question_score(distribution)
