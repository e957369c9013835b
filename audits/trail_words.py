"""The audit trail's sentences: stored as data, composed in the reader's language when shown.

An event's `detail` keeps the sentence in English, as it has always been written (the API, the
people-data download and the admin's search read it); its `params` keep what the sentence says
as data: `{"parts": [[code, {name: value}], ...], "stop": bool}`, one part per clause of
`SENTENCES` or `FRAGMENTS`. `words_parse` reads them out of the English sentence when an event is
recorded (`audits.trail.audit_event_record`), and out of the `detail` of events recorded before
`params` existed, so old rows are shown in Welsh too. A detail that matches nothing (what a person
wrote, such as the reason for reopening an audit) is shown as it was written.

The English of each msgid is exactly the sentence stored, so English pages are unchanged (tested:
tests/audits/test_trail_words.py). Values inside a sentence (agency codes, names, the tool's
section titles) are data: a page that knows the tool's section titles in the reader's language
passes them (`titles`) and they replace the English title of "page N".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_noop

# Whole sentences (they may hold "; " inside their values): code, singular, plural or "".
# Tried in order: the redrawn sample before the drawn one, whose filters would swallow its end.
SENTENCES: tuple[tuple[str, str, str], ...] = (
    (
        "sample_redrawn",
        gettext_noop(
            "%(count)s case file drawn from %(population)s in %(file)s (SHA-256 %(sha256)s): "
            "%(per)s per %(by)s, seed %(seed)s, filters %(filters)s. It replaces the earlier "
            "draw."
        ),
        gettext_noop(
            "%(count)s case files drawn from %(population)s in %(file)s (SHA-256 %(sha256)s): "
            "%(per)s per %(by)s, seed %(seed)s, filters %(filters)s. It replaces the earlier "
            "draw."
        ),
    ),
    (
        "sample_drawn",
        gettext_noop(
            "%(count)s case file drawn from %(population)s in %(file)s (SHA-256 %(sha256)s): "
            "%(per)s per %(by)s, seed %(seed)s, filters %(filters)s."
        ),
        gettext_noop(
            "%(count)s case files drawn from %(population)s in %(file)s (SHA-256 %(sha256)s): "
            "%(per)s per %(by)s, seed %(seed)s, filters %(filters)s."
        ),
    ),
    ("demo_sample", gettext_noop("%(count)s case files, 6 per council, seed %(seed)s"), ""),
    ("tool_set", gettext_noop("Audit tool of the sample set to %(code)s %(title)s."), ""),
    ("moderation_page", gettext_noop("Moderation page: every agency's answers."), ""),
    ("moderation_api", gettext_noop("Moderation API: every agency's answers."), ""),
    (
        "submitted_late",
        gettext_noop(
            "Submitted after the case file was moderated: it counts in the scores once the case "
            "file is moderated again"
        ),
        "",
    ),
)

# Clauses, joined by "; " (and a full stop when the English has one).
FRAGMENTS: tuple[tuple[str, str], ...] = (
    ("draft_saved", gettext_noop("Draft saved")),
    ("resumes_at_check", gettext_noop("resumes at the check of the answers")),
    ("resumes_at_page", gettext_noop("resumes at page %(page)s, “%(title)s”")),
    ("through_api", gettext_noop("Through the API")),
    ("concern_read", gettext_noop("Immediate concern %(id)s read")),
    ("concern_raised", gettext_noop("Immediate concern %(id)s raised")),
    (
        "nobody_emailed",
        gettext_noop(
            "nobody could be emailed: the partnership has no safeguarding lead or contact email"
        ),
    ),
    ("lead_emailed", gettext_noop("the safeguarding lead is emailed")),
    (
        "contact_emailed",
        gettext_noop(
            "the partnership's contact address is emailed (no safeguarding lead email is set)"
        ),
    ),
    ("assigned_first", gettext_noop("%(agency)s: %(person)s (auditor), due %(due)s")),
    (
        "assigned_second",
        gettext_noop("%(agency)s: %(person)s (independent second auditor), due %(due)s"),
    ),
    ("agreed_changed", gettext_noop("Agreed answers changed")),
    ("agreed_recorded", gettext_noop("Agreed answers recorded")),
    ("took_in_late", gettext_noop("took in the audits submitted since by %(agencies)s")),
    ("settled", gettext_noop("disagreements settled on %(codes)s")),
)

_NAME = re.compile(r"%\((\w+)\)s")


def _pattern(msgid: str) -> re.Pattern[str]:
    pieces = _NAME.split(msgid)  # text, name, text, name, ..., text
    out = [
        re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>.+?)" for i, piece in enumerate(pieces)
    ]
    return re.compile("".join(out), re.DOTALL)


_SENTENCES = {code: (one, many) for code, one, many in SENTENCES}
_FRAGMENTS = dict(FRAGMENTS)
_SENTENCE_PATTERNS = [
    (code, _pattern(msgid)) for code, one, many in SENTENCES for msgid in (one, many) if msgid
]
_FRAGMENT_PATTERNS = [(code, _pattern(msgid)) for code, msgid in FRAGMENTS]


def _match(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> list[Any] | None:
    for code, pattern in patterns:
        found = pattern.fullmatch(text)
        if found:
            return [code, found.groupdict()]
    return None


def words_parse(detail: str) -> dict[str, Any]:
    """The data of an English detail; {} when it is not one of our sentences."""
    whole = _match(_SENTENCE_PATTERNS, detail)
    if whole:
        return {"parts": [whole], "stop": False}
    stop = detail.endswith(".")
    parts = [
        _match(_FRAGMENT_PATTERNS, part) for part in (detail[:-1] if stop else detail).split("; ")
    ]
    if not detail or any(part is None for part in parts):
        return {}
    return {"parts": parts, "stop": stop}


# The platform's own words inside a sentence's values, by the value's name (audits.assignments,
# audits.samples and audits.moderation write them in English): put in the reader's language
# when shown. Any other value (a person's name, a title, a code) is shown as written.
VALUE_WORDS = {"nobody": gettext_noop("nobody"), "none": gettext_noop("none")}
_WORDS_IN = {"person", "filters"}
_LIST_IN = {"agencies"}  # audits.moderation's list of agencies: "A, B and C"
_LIST_AND = " and "


def _value_words(name: str, value: str) -> str:
    if name in _WORDS_IN and value in VALUE_WORDS:
        return gettext(VALUE_WORDS[value])
    if name in _LIST_IN and _LIST_AND in value:
        head, _, last = value.rpartition(_LIST_AND)
        return gettext("%(items)s and %(last)s") % {"items": head, "last": last}
    return value


def _part(code: str, values: Mapping[str, Any], titles: Sequence[str]) -> str | None:
    values = {name: _value_words(name, str(value)) for name, value in values.items()}
    if code == "resumes_at_page" and values.get("page", "").isdecimal():
        page = int(values["page"])
        if 0 < page <= len(titles):
            values["title"] = titles[page - 1]
    try:
        if code in _SENTENCES:
            one, many = _SENTENCES[code]
            count = int(values.get("count", "1").replace(",", "")) if many else 1
            # Each form is a msgid of its own (makemessages reads plural pairs only from
            # ngettext calls with literal strings): English chooses by the count; Welsh puts
            # a noun after a number in the singular, so both translate alike.
            return gettext(one if count == 1 else many) % values
        return gettext(_FRAGMENTS[code]) % values
    except (KeyError, ValueError, TypeError):
        return None  # data from another version of this module: show the stored English


def words_compose(
    detail: str, params: Mapping[str, Any] | None, *, titles: Sequence[str] = ()
) -> str:
    """The event's detail in the active language (its stored English when it is not ours)."""
    data = params if params and params.get("parts") else words_parse(detail)
    if not data:
        return detail
    parts = [_part(str(code), values, titles) for code, values in data["parts"]]
    if any(part is None for part in parts):
        return detail
    return "; ".join(str(part) for part in parts) + ("." if data.get("stop") else "")


@dataclass(frozen=True)
class TrailLine:
    """An event with its detail in the reader's language, for a page."""

    event: Any
    detail: str


def trail_lines(events: Iterable[Any], *, titles: Sequence[str] = ()) -> list[TrailLine]:
    return [TrailLine(e, words_compose(e.detail, e.params, titles=titles)) for e in events]
