"""Possible disclosures: a child's words that may mean they are being harmed (issue 16).

The rule in one place:

- which answers are looked at: the free-text answers of the sources in DISCLOSURE_SOURCES
  (children and young people's surveys). Family feedback is not: parents write about the help
  their family had with harm, so the words below would hold back most of what they say, and
  they are adults who were given the service's own contacts;
- what flags one (`HarmPhrases`): one of the partnership's phrases (`Partnership.
  disclosure_phrases`, one a line; DEFAULT_PHRASES while it is empty) found as whole words,
  whatever the capitals and however the words are spaced, hyphenated or broken over lines;
- when: as a response is written (`scrutiny.evidence`), its answers flagged in the same
  transaction before they are stored in bulk (`answers_flag`, no query), and when the phrases
  change (`disclosures_recheck`, which only ever adds flags: a flag raised stays raised);
- what that means everywhere else: a flagged answer's words never leave the scrutineer's
  screen. Every output that selects answers' words (the pack's comments and response sheets,
  the API's comments, quotes, the published pages, the young scrutineers' evidence) passes its
  queryset through `answers_shown` (or `quotes_shown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, QuerySet, TextField, Value, When
from django.utils import timezone

from scrutiny.disclosure.flagged import disclosure_told
from scrutiny.models import Answer, Partnership, Question, Quote, Response, Scrutiny, Source

DISCLOSURE_SOURCES = frozenset({Source.YOUNG_PEOPLE.value})

# Suggested to a partnership whose list is empty, and used until it writes its own: short,
# the words children use (safeguarding leads add their area's own).
DEFAULT_PHRASES: tuple[str, ...] = (
    "hurt me",
    "hurts me",
    "hit me",
    "hits me",
    "touched me",
    "touches me",
    "abuse",
    "abused",
    "scared to go home",
    "not safe at home",
    "don't feel safe",
    "kill myself",
    "hurting myself",
    "hurt myself",
    "self harm",
    "want to die",
)

# Apostrophes as phones and word processors type them.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# Words of a phrase are found with any spaces, line breaks or hyphens between them: "self harm"
# finds "self-harm" and "Self\nharm".
_WORD_BREAK = re.compile(r"[\s-]+")
_BETWEEN_WORDS = r"[\s-]+"


def phrases_parse(text: str) -> tuple[str, ...]:
    """The phrases of a partnership's list: one a line, spaces folded, blank lines dropped,
    each once (ignoring capitals). An empty list is DEFAULT_PHRASES."""
    seen: dict[str, str] = {}
    for line in text.splitlines():
        phrase = " ".join(line.translate(_APOSTROPHES).split())
        if phrase and phrase.casefold() not in seen:
            seen[phrase.casefold()] = phrase
    return tuple(seen.values()) or DEFAULT_PHRASES


def phrases_clean(text: str) -> str:
    """The list as it is stored: one phrase a line as `phrases_parse` reads it; empty stays
    empty (the default list applies)."""
    return "\n".join(phrases_parse(text)) if text.strip() else ""


@dataclass(frozen=True)
class HarmPhrases:
    """A partnership's phrases as one pattern: whole words (no letter, digit or underscore
    either side), any capitals, any run of spaces or line breaks between words."""

    phrases: tuple[str, ...]
    pattern: re.Pattern[str] | None

    @classmethod
    def from_text(cls, text: str) -> HarmPhrases:
        phrases = phrases_parse(text)
        words = [
            _BETWEEN_WORDS.join(re.escape(word) for word in _WORD_BREAK.split(phrase) if word)
            for phrase in phrases
        ]
        words = [word for word in words if word]  # a line of hyphens alone finds nothing
        # Longest first, so that the pattern tries "hurt myself" before "hurt".
        words.sort(key=len, reverse=True)
        pattern = re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)
        return cls(phrases, pattern if words else None)

    @classmethod
    def for_scrutiny(cls, scrutiny_id: int) -> HarmPhrases:
        """The phrases of the scrutiny's partnership (one query)."""
        text = (
            Scrutiny.objects.filter(pk=scrutiny_id)
            .values_list("partnership__disclosure_phrases", flat=True)
            .first()
        )
        return cls.from_text(text or "")

    @classmethod
    def for_partnership(cls, partnership: Partnership) -> HarmPhrases:
        return cls.from_text(partnership.disclosure_phrases)

    def matches(self, text: str) -> bool:
        if self.pattern is None or not text:
            return False
        return self.pattern.search(text.translate(_APOSTROPHES)) is not None


def answers_flag(rows: Iterable[Answer], *, phrases: HarmPhrases) -> int:
    """Flag each answer (not yet stored) whose text holds a phrase; how many were. No query:
    the caller has checked the response's source (DISCLOSURE_SOURCES)."""
    flagged = 0
    for row in rows:
        row.disclosure = phrases.matches(row.text)
        flagged += row.disclosure
    return flagged


def disclosures_recheck(*, partnership: Partnership, chunk: int = 1000) -> int:
    """Flag the partnership's stored answers that its phrases now match (after the list
    changed); how many were newly flagged. Only ever adds flags: one raised has been told to
    the business unit, and its words stay held back. A query per `chunk` answers looked at.
    When any of a submitted response is newly flagged, the safeguarding lead is emailed once
    (`disclosure_told`)."""
    phrases = HarmPhrases.for_partnership(partnership)
    answers = (
        Answer.objects.filter(
            response__scrutiny__partnership=partnership,
            response__source__in=DISCLOSURE_SOURCES,
            question__type=Question.Type.TEXT,
            disclosure=False,
        )
        .exclude(text="")
        .order_by("pk")
        .values_list("pk", "text", "response__scrutiny_id", "response__status")
    )
    found: list[int] = []
    told: int | None = None  # a scrutiny with a submitted response newly flagged
    for pk, text, scrutiny_id, status in answers.iterator(chunk_size=chunk):
        if phrases.matches(text):
            found.append(pk)
            if told is None and status == Response.Status.SUBMITTED:
                told = scrutiny_id
    for start in range(0, len(found), chunk):
        flagged = found[start : start + chunk]
        Answer.objects.filter(pk__in=flagged).update(disclosure=True)
        # Their responses changed: their scrutinies' evidence stamps move (scrutiny.kept).
        Response.objects.filter(answers__pk__in=flagged).update(updated_at=timezone.now())
    if told is not None:
        # The lead is told as of a child's new answer, once the change commits: a link to the
        # list (which holds submitted responses' answers), never the words.
        disclosure_told(scrutiny_id=told)
    return len(found)


def answers_shown(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """The answers whose words may leave the scrutineer's screen: no possible disclosure."""
    return answers.filter(disclosure=False)


def text_shown() -> Case:
    """An answer's words as a row-level output (the pack's response sheets) may show them:
    blank for a possible disclosure, as if it had not been answered."""
    return Case(When(disclosure=True, then=Value("")), default=F("text"), output_field=TextField())


def quotes_shown(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """The quotes that may leave the screen: none of an answer flagged since it was tagged, and
    none of a response reopened to be corrected, until it is submitted again."""
    return quotes.filter(
        answer__disclosure=False, answer__response__status=Response.Status.SUBMITTED
    )
