"""Setting up a scrutiny: its settings, success factors and source weights, and the partnership's
shared lists (agencies, areas, practitioner roles) that come with it.

`scrutiny_save` takes plain data (what a scrutiny workbook or the settings page gives) and creates
or updates the scrutiny; saving the same data twice changes nothing. Agencies, areas and roles
belong to the partnership: rows are added or updated, never deleted.

`settings_errors` holds the checks of the settings taken together (the thresholds' order, the
dates): the settings page, the workbook reader and `scrutiny_save` all make them there, in the
same words.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction

from scrutiny.errors import ApplicationError
from scrutiny.models import (
    Agency,
    Area,
    Partnership,
    PractitionerRole,
    Scrutiny,
    Source,
    SuccessFactor,
)


@dataclass(frozen=True)
class ScrutinySettings:
    slug: str
    title: str
    priority: str = ""
    starts: dt.date | None = None
    ends: dt.date | None = None
    strong_threshold: float = 75
    some_threshold: float = 50
    min_responses: int = 5
    suppression_threshold: int = 5
    # None: left as they are (a scrutiny workbook carries neither; the settings page does).
    status: str | None = None
    redaction_terms: str | None = None


@dataclass(frozen=True)
class AgencyData:
    code: str
    name: str
    type: str = Agency.Type.OTHER
    workforce: int | None = None


@dataclass(frozen=True)
class ScrutinyData:
    settings: ScrutinySettings
    factors: tuple[tuple[str, str], ...]  # (code, statement)
    source_weights: dict[str, float] = field(default_factory=dict)
    agencies: tuple[AgencyData, ...] = ()
    areas: tuple[tuple[str, str], ...] = ()
    roles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ScrutinySaveResult:
    scrutiny: Scrutiny
    created: bool
    changed: bool


def settings_errors(
    *,
    strong_threshold: float | None,
    some_threshold: float | None,
    starts: dt.date | None,
    ends: dt.date | None,
) -> dict[str, str]:
    """What is wrong with a scrutiny's settings taken together, by the setting to correct; empty
    when nothing is. A setting that is not known (None: missing or itself wrong) is not checked.
    """
    errors: dict[str, str] = {}
    some, strong = some_threshold, strong_threshold
    if some is not None and strong is not None and some > strong:
        errors["some_threshold"] = (
            f"some_threshold ({some:g}) is above strong_threshold ({strong:g}): the "
            "some-evidence line must be the lower one."
        )
    if starts is not None and ends is not None and ends < starts:
        errors["ends"] = "The end date must be on or after the start date."
    return errors


def _check(instance: models.Model, what: str) -> None:
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        raise ApplicationError(f"{what}: {problems}") from None


def _upsert(
    model: type[models.Model], lookup: dict[str, object], values: dict[str, object], what: str
) -> bool:
    """Create or update one row; True when anything changed."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        _check(instance, what)
        instance.save()
        return True
    if all(getattr(instance, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(instance, name, value)
    _check(instance, what)
    instance.save()
    return True


def _data_check(data: ScrutinyData) -> None:
    """Refuse data whose settings, source weights or factor codes are wrong, saying why."""
    settings = data.settings
    errors = settings_errors(
        strong_threshold=settings.strong_threshold,
        some_threshold=settings.some_threshold,
        starts=settings.starts,
        ends=settings.ends,
    )
    if errors:
        raise ApplicationError(" ".join(errors.values()))
    unknown = sorted(set(data.source_weights) - set(Source.values))
    if unknown:
        raise ApplicationError(
            f"Unknown source {', '.join(unknown)}: use {', '.join(Source.values)}."
        )
    for kind, weight in data.source_weights.items():
        if not 0 < weight < math.inf:  # an infinite weight is not JSON: the database refuses it
            raise ApplicationError(
                f"The weight of source {kind} must be a number above 0, such as 0.5 or 2, not "
                f"{weight:g}."
            )
    codes = [code for code, _ in data.factors]
    if len(set(codes)) != len(codes):
        raise ApplicationError("A success factor code is used twice: each needs its own code.")


def _partnership_lists_save(*, partnership: Partnership, data: ScrutinyData) -> bool:
    """Add or update the partnership's agencies, areas and roles; True when any changed."""
    changed = False
    for agency in data.agencies:
        changed |= _upsert(
            Agency,
            {"partnership": partnership, "code": agency.code},
            {"name": agency.name, "type": agency.type, "workforce": agency.workforce},
            f"Agency {agency.code}",
        )
    for code, name in data.areas:
        changed |= _upsert(
            Area, {"partnership": partnership, "code": code}, {"name": name}, f"Area {code}"
        )
    for code, name in data.roles:
        changed |= _upsert(
            PractitionerRole,
            {"partnership": partnership, "code": code},
            {"name": name},
            f"Role {code}",
        )
    return changed


@transaction.atomic
def scrutiny_save(*, partnership: Partnership, data: ScrutinyData) -> ScrutinySaveResult:
    """Create or update a scrutiny with its factors, weights and the partnership's lists."""
    _data_check(data)
    settings = data.settings
    changed = _partnership_lists_save(partnership=partnership, data=data)
    # A slug names a scrutiny within its partnership: another partnership's scrutiny of the
    # same slug is never looked at, so nothing here says that it exists.
    ours = Scrutiny.objects.filter(partnership=partnership, slug=settings.slug)
    existing = ours.select_for_update().first()
    weights = {kind: float(weight) for kind, weight in sorted(data.source_weights.items())}
    created = existing is None
    changed |= _upsert(
        Scrutiny,
        {"partnership": partnership, "slug": settings.slug},
        {
            "title": settings.title,
            "priority": settings.priority,
            "starts": settings.starts,
            "ends": settings.ends,
            "strong_threshold": float(settings.strong_threshold),
            "some_threshold": float(settings.some_threshold),
            "min_responses": settings.min_responses,
            "suppression_threshold": settings.suppression_threshold,
            "source_weights": weights,
            **{
                name: value
                for name, value in (
                    ("status", settings.status),
                    ("redaction_terms", settings.redaction_terms),
                )
                if value is not None
            },
        },
        f"Scrutiny {settings.slug}",
    )
    scrutiny = ours.get()
    for code, statement in data.factors:
        changed |= _upsert(
            SuccessFactor,
            {"scrutiny": scrutiny, "code": code},
            {"statement": statement},
            f"Success factor {code}",
        )
    # Factors are not deleted by a workbook that leaves them out: questions and findings may
    # point at them. Removing one is a deliberate act in the admin.
    return ScrutinySaveResult(scrutiny, created, changed)


def scrutiny_event_settings_save(
    *, scrutiny: Scrutiny, event_date: dt.date | None, divergence_margin: float
) -> Scrutiny:
    """The scrutiny event's date (on the pack's cover) and the margin by which a factor's
    sources must differ to be flagged as divergent."""
    if not 0 <= divergence_margin <= 100:
        raise ApplicationError("The divergence margin is a number of points from 0 to 100.")
    scrutiny.event_date = event_date
    scrutiny.divergence_margin = divergence_margin
    scrutiny.save(update_fields=["event_date", "divergence_margin", "updated_at"])
    return scrutiny
