"""Reading the trail: a partnership's entries, filtered, and the rows of its export."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from scrutiny.models import TrailEntry
from scrutiny.trail import ACTIONS

# The kinds of object, in the reader's language (the entry stores the key).
OBJECT_TYPES: dict[str, StrOrPromise] = {
    "partnership": _("Partnership"),
    "user": _("Person"),
    "agency": _("Agency"),
    "scrutiny": _("Scrutiny"),
    "successfactor": _("Success factor"),
    "instrument": _("Instrument"),
    "survey": _("Survey"),
    "casefile": _("Case file"),
    "assignment": _("Audit"),
    "immediateconcern": _("Immediate concern"),
    "eventpack": _("Event pack"),
    "quote": _("Quote"),
    "priority": _("Priority"),
    "action": _("Action"),
    "actionupdate": _("Action update"),
    "job": _("Job"),
}

EXPORT_HEADER = (
    "When",
    "Person",
    "Action",
    "What it means",
    "Object type",
    "Object id",
    "Object",
    "Detail",
    "Data",
)


@dataclass(frozen=True)
class TrailFilters:
    person: str = ""
    object_type: str = ""
    object: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of the day where the partnership is (TIME_ZONE), as an aware time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def trail_entries(*, partnership_id: int | None, filters: TrailFilters) -> QuerySet[TrailEntry]:
    """The partnership's entries, newest first, as the filters ask. None of a partnership of
    none (the platform's own entries are read in the admin site alone). One query, whatever
    their number; no join (the person is kept on the entry as they were named)."""
    if partnership_id is None:
        return TrailEntry.objects.none()
    entries = TrailEntry.objects.filter(partnership_id=partnership_id)
    if filters.person:
        entries = entries.filter(actor__icontains=filters.person)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object:
        entries = entries.filter(
            Q(object_id=filters.object) | Q(object_label__icontains=filters.object)
        )
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from is not None:
        entries = entries.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return entries.order_by("-at", "-pk")


def trail_object_types(*, partnership_id: int | None) -> list[tuple[str, StrOrPromise]]:
    """The kinds of object the partnership's entries name, for the filter (one query)."""
    if partnership_id is None:
        return []
    kinds = (
        TrailEntry.objects.filter(partnership_id=partnership_id)
        .exclude(object_type="")
        .values_list("object_type", flat=True)
        .order_by()
        .distinct()
    )
    choices = ((kind, OBJECT_TYPES.get(kind, kind)) for kind in kinds)
    return sorted(choices, key=lambda choice: str(choice[1]))


def trail_actions(*, partnership_id: int | None) -> list[tuple[str, StrOrPromise]]:
    """Every action the trail knows, and any other its entries hold, for the filter (one
    query)."""
    present: set[str] = set()
    if partnership_id is not None:
        present = set(
            TrailEntry.objects.filter(partnership_id=partnership_id)
            .values_list("action", flat=True)
            .order_by()
            .distinct()
        )
    choices: dict[str, StrOrPromise] = {**{code: code for code in present}, **ACTIONS}
    return sorted(choices.items(), key=lambda choice: str(choice[1]).lower())


def entry_person(entry: TrailEntry) -> str:
    return entry.actor or "No one signed in"


def entry_rows(entries: QuerySet[TrailEntry]) -> Iterator[list[object]]:
    """The export's rows, read in chunks: the time in the partnership's time zone. What an
    action means and the kind of object stay in English, as the export's header is."""
    with translation.override("en"):
        meanings = {code: str(words) for code, words in ACTIONS.items()}
        kinds = {code: str(words) for code, words in OBJECT_TYPES.items()}
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0),
            entry_person(entry),
            entry.action,
            meanings.get(entry.action, entry.action),
            kinds.get(entry.object_type, entry.object_type),
            entry.object_id,
            entry.object_label,
            entry.detail,
            json.dumps(entry.data, sort_keys=True) if entry.data else "",
        ]
