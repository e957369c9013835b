"""Taking an email address out of the words stored about something else: a trail entry's
label, a job's message, a comment. The words stay; the address becomes `replacement`.

Used by erasure (one address) and by the retention run (the addresses of invitations past
their period, which the trail may name).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import JSONField, Model, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from scrutiny.models import Answer, Partnership, Response, TrailEntry

TRAIL_FIELDS = ("actor", "object_label", "detail", "data")
CHUNK = 50


def _pattern(emails: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted({re.escape(e) for e in emails if e}, key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _replaced(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    # JSON: replaced in its text, each replacement itself a JSON string's safe content.
    return json.loads(pattern.sub(json.dumps(replacement)[1:-1], json.dumps(value)))


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
        pattern = _pattern(chunk)
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
