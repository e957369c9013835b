"""A stored response's answers stored again, changing only what changed (`answers_replace`),
the possible disclosures of harm among them flagged first (`answers_disclose`,
`answers_rewrite`): for every channel's save and submit (`scrutiny.evidence.responses`) and for
imports (`scrutiny.evidence.batches`). `answers_stored` reads a response's answers once for
both its raw values and the comparison, for a caller that submits the answers it holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from scrutiny.disclosure.harm import DISCLOSURE_SOURCES, HarmPhrases, answers_flag
from scrutiny.evidence.values import ANSWER_VALUE_FIELDS, ANSWER_VALUE_ORDER, answer_values_from
from scrutiny.instruments import CompiledVersion
from scrutiny.models import Answer, Response
from scrutiny.prepared import Prepared

# What makes a stored answer the same answer as one about to be written.
_SAME_ANSWER = ("question_id", "option_id", "text", "number", "date", "score")
# A stored answer as `answers_replace` compares it: its id, its flag, then `_SAME_ANSWER` of its
# response (the response's id first).
_STORED = ("pk", "disclosure", "response_id", *_SAME_ANSWER)
_DELETE_CHUNK = 5000  # ids a delete names at once (SQLite's limit of parameters is 32,766)


@dataclass(frozen=True)
class StoredAnswers:
    """A stored response's answers read once (`answers_stored`): its raw values, as
    `answer_values` gives them, and its rows as `answers_replace` compares them (`_STORED`)."""

    response_id: int
    values: dict[str, Any]
    rows: tuple[tuple[Any, ...], ...]


def _answers_stored(response: int) -> QuerySet[Answer, tuple[Any, ...]]:
    return (
        Answer.objects.filter(response_id=response)
        .order_by(*ANSWER_VALUE_ORDER)
        .values_list(*_STORED, *ANSWER_VALUE_FIELDS)
    )


# Read by every audit's submit: its SQL made once a process (scrutiny.prepared).
_ANSWERS_STORED = Prepared(_answers_stored, response=Response._meta.pk)


def answers_stored(response_id: int) -> StoredAnswers:
    """A stored response's answers, read once (one query): read under the response's lock,
    its `values` are what a submit of the draft as saved submits, and its `rows` what
    `answers_replace` compares the submitted answers with, without reading them again."""
    width = len(_STORED)
    rows = [(row[:width], row[width:]) for row in _ANSWERS_STORED.rows(response=response_id)]
    return StoredAnswers(
        response_id=response_id,
        values=answer_values_from(value for _, value in rows),
        rows=tuple(stored for stored, _ in rows),
    )


def answers_rewrite(
    compiled: CompiledVersion,
    replacing: list[tuple[int, list[Answer]]],
    stored: StoredAnswers | None = None,
) -> bool:
    """Store stored responses' answers again (`answers_replace`), their possible disclosures
    flagged first; True while one of them holds a flagged answer nobody has reviewed yet (one
    query more, for the sources whose answers are flagged), so that the lead is told of what is
    waiting and never again of what was looked at."""
    answers_disclose(compiled, [row for _, answers in replacing for row in answers])
    if answers_replace(replacing, stored=stored):
        return True
    return compiled.kind in DISCLOSURE_SOURCES and (
        Answer.objects.filter(
            response_id__in=[response_id for response_id, _ in replacing],
            disclosure=True,
            review__isnull=True,
        ).exists()
    )


def answers_replace(
    replacing: Sequence[tuple[int, list[Answer]]], *, stored: StoredAnswers | None = None
) -> int:
    """Make each stored response's answers the rows given (not yet stored), changing only what
    changed: every channel's save, submit and import of a response stored before.

    A stored answer the same as one of its response's rows keeps its row, and with it the
    quotes tagged from it and the review of its disclosure: a reopened audit resubmitted with
    one answer corrected, or a row imported again with one cell changed, loses nothing of the
    others. Its disclosure flag is only ever raised, never lowered, as `disclosures_recheck`
    does. An answer changed or gone is deleted (its quotes and review with it); a new one is
    added. One query when nothing changed; none when the one response's answers are given as
    read under its lock (`stored`, from `answers_stored`)."""
    if not replacing:
        return 0
    ids = [response_id for response_id, _ in replacing]
    if stored is not None and ids != [stored.response_id]:
        raise ValueError("the stored answers given are not those of the response replaced")
    read = (
        stored.rows
        if stored is not None
        else Answer.objects.filter(response_id__in=ids).order_by().values_list(*_STORED)
    )
    kept: dict[tuple[Any, ...], list[tuple[int, bool]]] = defaultdict(list)
    for pk, disclosure, *same in read:
        kept[tuple(same)].append((pk, disclosure))
    added: list[Answer] = []
    raised: list[int] = []
    for response_id, rows in replacing:
        for row in rows:
            twins = kept.get((response_id, *(getattr(row, field) for field in _SAME_ANSWER)))
            if not twins:
                added.append(row)
                continue
            pk, disclosure = twins.pop()
            if row.disclosure and not disclosure:
                raised.append(pk)
    gone = [pk for twins in kept.values() for pk, _ in twins]
    for start in range(0, len(gone), _DELETE_CHUNK):
        Answer.objects.filter(pk__in=gone[start : start + _DELETE_CHUNK]).delete()
    for start in range(0, len(raised), _DELETE_CHUNK):
        Answer.objects.filter(pk__in=raised[start : start + _DELETE_CHUNK]).update(disclosure=True)
    Answer.objects.bulk_create(added, batch_size=_DELETE_CHUNK)
    return len(raised) + sum(row.disclosure for row in added)


def answers_disclose(compiled: CompiledVersion, rows: list[Answer]) -> int:
    """Flag the answers (not yet stored) that may be a child's disclosure of harm
    (`scrutiny.disclosure.harm`): one query for a children's survey, none for another."""
    if compiled.kind not in DISCLOSURE_SOURCES:
        return 0
    return answers_flag(rows, phrases=HarmPhrases.for_scrutiny(compiled.scrutiny_id))
