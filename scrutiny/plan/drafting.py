"""The one rule for drafting a success factor's action, for the event pack's draft action plan
and for the plan's `actions_draft` alike.

A factor needs an action when it is rated below strong, or when its finding names areas for
improvement (a strong factor can still have one). Each drafted action says which factor it is
for, in the factor's own words, and what the evidence showed: the finding's areas for
improvement where the scrutineer wrote some, else the factor's score with each source's.

Pure: takes plain values (a scorecard row's, or a signed-off finding's frozen row's) and never
queries.

Words (issue 18): the sentences are drafted in the language active when they are drafted
(`gettext`), the rating and the sources' names put in it from the English words the data carries
(`scrutiny.packs.words`). A pack or plan built in Welsh drafts in Welsh, as it is built inside
`translation.override`; a drafted action saved to the database (`plan.services`) keeps the
language it was drafted in, as anything a person then edits would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext

from scrutiny.packs.words import rating_word, source_word
from scrutiny.scoring import RATING_LABELS, Rating


@dataclass(frozen=True)
class SourceScore:
    label: str  # the source in words, e.g. "Practitioner survey"
    score: float  # 100·S, one decimal
    n: int


@dataclass(frozen=True)
class DraftAction:
    code: str  # the success factor's code
    statement: str  # the factor in its own words
    rating: str  # the rating in English words (the data's): documents translate it as shown
    evidence: str  # what the evidence showed
    text: str  # the action, as drafted

    @property
    def factor(self) -> str:
        return f"{self.code} {self.statement}"

    @property
    def with_evidence(self) -> str:
        """The action followed by what the evidence showed, in the active language."""
        return gettext("%(action)s What the evidence showed: %(evidence)s") % {
            "action": self.text,
            "evidence": self.evidence,
        }


def _words(text: str) -> str:
    return " ".join(text.split())


def _sentence_case(label: str) -> str:
    return label[:1].lower() + label[1:]


def score_evidence(
    *, rating: str, score: float | None, n: int, sources: Sequence[SourceScore]
) -> str:
    """The score in words with each source's, e.g. "Limited evidence, 46.8 from 15 responses
    (practitioner survey 76.9 from 13; multi-agency case-file audit 16.7 from 2).", in the
    active language. `rating` and each source's label are the English words the data carries."""
    rating = rating_word("", rating)
    if score is None or not n:
        return gettext("%(rating)s, with no response giving evidence for it yet.") % {
            "rating": rating
        }
    by_source = "; ".join(
        gettext("%(source)s %(score)s from %(n)s")
        % {"source": _sentence_case(source_word(s.label)), "score": f"{s.score:.1f}", "n": s.n}
        for s in sources
        if s.n
    )
    summary = ngettext(
        "%(rating)s, %(score)s from %(n)s response",
        "%(rating)s, %(score)s from %(n)s responses",
        n,
    ) % {"rating": rating, "score": f"{score:.1f}", "n": n}
    return summary + (f" ({by_source})." if by_source else ".")


def action_drafted(
    *,
    code: str,
    statement: str,
    rating: str,
    score: float | None,
    n: int,
    sources: Sequence[SourceScore],
    improvements: Iterable[str],
) -> DraftAction | None:
    """The factor's drafted action, or None where it needs none (rated strong, and no area for
    improvement). `rating` is the rating's value ("strong", "some", …)."""
    lines = [_words(line) for line in improvements if line.strip()]
    if rating == Rating.STRONG.value and not lines:
        return None
    label = RATING_LABELS[Rating(rating)]
    statement = _words(statement)
    if lines:
        evidence = " ".join(lines)
        text = gettext(
            "Agree at the scrutiny event who will lead the improvement, and by when, so that "
            "“%(statement)s” holds for every child."
        ) % {"statement": statement}
    else:
        evidence = score_evidence(rating=label, score=score, n=n, sources=sources)
        text = gettext(
            "Agree at the scrutiny event what would make “%(statement)s” true for every child, "
            "who will lead it and by when."
        ) % {"statement": statement}
    return DraftAction(code=code, statement=statement, rating=label, evidence=evidence, text=text)


def action_from_frozen(row: Mapping[str, Any], improvements: str) -> DraftAction | None:
    """The drafted action of a signed-off finding, from the scorecard row frozen with it."""
    return action_drafted(
        code=row.get("code", ""),
        statement=row.get("statement", ""),
        rating=row.get("rating", Rating.INSUFFICIENT.value),
        score=row.get("score"),
        n=row.get("n") or 0,
        sources=[
            SourceScore(bar.get("label", ""), bar["score"], bar.get("n", 0))
            for bar in row.get("sources", ())
        ],
        improvements=improvements.splitlines(),
    )
