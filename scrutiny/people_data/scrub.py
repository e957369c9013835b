"""Taking an email address out of the words stored about something else: a trail entry's
label, a job's message, a comment. The words stay; the address becomes `replacement`.

Used by erasure (one address) and by the retention run (the addresses of invitations past
their period, which the trail may name); subject access finds what names an address with
`rows_naming`. An address is matched whole, never inside another: a@x is not in ana@x.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import JSONField, Model, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from scrutiny.models import Answer, Partnership, Response, TrailEntry

TRAIL_FIELDS = ("actor", "object_label", "detail", "data")
JOB_FIELDS = ("message", "result", "arguments")
CHUNK = 50
# What may stand next to an address in it (RFC 5322's dot-atom, as Django's EmailValidator
# takes it, and any letter of a domain's name): another address is not this one.
_IN_ADDRESS = r"\w!#$%&'*+/=?^`{|}~.-"
# An address starts where no such character comes before it, or after a quote that itself
# starts a word (Python quotes an address as 'a@x'; o'brien@x is not brien@x) ...
_STARTS = rf"(?:(?<![{_IN_ADDRESS}])|(?<=(?<![{_IN_ADDRESS}])['`]))"
# ... and ends where no letter, digit or hyphen of its domain follows, nor a dot before one
# (a full stop ends a sentence; a@x.org.uk is not a@x.org).
_ENDS = r"(?![\w-]|\.[\w-])"


def address_pattern(emails: Iterable[str]) -> re.Pattern[str]:
    """Finds each of the addresses as a whole, in any case: never the end of a longer one
    (a@x in ana@x) nor its beginning (a@x.org in a@x.org.uk)."""
    alternatives = sorted({re.escape(e) for e in emails if e}, key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!)")  # no address: nothing matches, not everything
    return re.compile(f"{_STARTS}(?:{'|'.join(alternatives)}){_ENDS}", re.IGNORECASE)


def _replaced(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    """The value with each address replaced: a str, or JSON walked through (its keys too), so
    that what stands next to an address is what was written, not JSON's escaping."""
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, dict):
        return {
            _replaced(k, pattern, replacement): _replaced(v, pattern, replacement)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_replaced(item, pattern, replacement) for item in value]
    return value


def texts_naming(value: Any, pattern: re.Pattern[str]) -> list[str]:
    """The words in the value (a str, or JSON walked through) that hold one of the pattern's
    addresses as a whole."""
    if isinstance(value, str):
        return [value] if pattern.search(value) else []
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return [text for item in value for text in texts_naming(item, pattern)]
    return []


def rows_naming(rows: QuerySet[Any], fields: Iterable[str], emails: list[str]) -> list[Any]:
    """The rows any of whose fields holds one of the addresses as a whole. The database finds
    those that hold it anywhere; the pattern decides."""
    fields, emails = tuple(fields), [e for e in emails if e]
    if not emails:
        return []
    pattern = address_pattern(emails)
    found, _ = _mentioning(rows, fields, emails)
    return [row for row in found if any(texts_naming(getattr(row, f), pattern) for f in fields)]


def _mentioning(
    rows: QuerySet[Any], fields: Iterable[str], emails: list[str]
) -> tuple[QuerySet[Any], dict[str, str]]:
    """The rows any of whose fields mentions one of the addresses, and the column each field
    is searched in (a JSON field as its text)."""
    columns: dict[str, str] = {}
    casts: dict[str, Any] = {}
    for name in fields:
        if isinstance(rows.model._meta.get_field(name), JSONField):
            columns[name] = f"_{name}_text"
            casts[columns[name]] = Cast(name, TextField())
        else:
            columns[name] = name
    condition = Q()
    for column in columns.values():
        for email in emails:
            condition |= Q(**{f"{column}__icontains": email})
    return rows.annotate(**casts).filter(condition), columns


def text_scrub(
    rows: QuerySet[Any], fields: Iterable[str], emails: Iterable[str], replacement: str
) -> int:
    """Replaces every address in these fields of these rows; how many rows changed. Trail
    entries are changed through their one permitted way (`_anonymise`)."""
    fields, wanted = tuple(fields), sorted({e for e in emails if e})
    changed = 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        pattern = address_pattern(chunk)
        found, _ = _mentioning(rows, fields, chunk)
        for row in found.only("pk", *fields):
            changes = {name: _replaced(getattr(row, name), pattern, replacement) for name in fields}
            changes = {k: v for k, v in changes.items() if v != getattr(row, k)}
            if changes:
                _update(type(row), row.pk, changes)
                changed += 1
    return changed


def _update(model: type[Model], pk: Any, changes: dict[str, Any]) -> None:
    """One row changed; an append-only trail's (ours, the audits') through `_anonymise`, the
    one way its person columns may change."""
    one = model._default_manager.filter(pk=pk)
    anonymise = getattr(one, "_anonymise", None)
    if anonymise is not None:
        anonymise(**changes)
    else:
        one.update(**changes)
    if model is Answer:  # its response changed: its scrutiny's evidence stamp moves (scrutiny.kept)
        Response.objects.filter(answers__pk=pk).update(updated_at=timezone.now())


def trail_scrub(*, partnership: Partnership, emails: Iterable[str], replacement: str) -> int:
    """Takes the addresses out of the partnership's trail entries."""
    entries = TrailEntry.objects.filter(partnership=partnership)
    return text_scrub(entries, TRAIL_FIELDS, emails, replacement)
