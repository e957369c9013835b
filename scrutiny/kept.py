"""Aggregates over a scrutiny's evidence, kept between requests while its evidence is unchanged.

At a million answers, scoring a scrutiny, counting its options and grouping its responses take
seconds each (bench/RESULTS.md). The scrutineer's pages read them on every request, so they are
kept in the `evidence` cache (settings.CACHES), each under a key that holds the scrutiny's
**evidence stamp**: one cheap aggregate over its responses (an index read, about 20 ms at 50,000
responses), which changes whenever its evidence does:

- a response added or deleted changes how many there are and the sum of their ids (ids are
  never reused);
- a response submitted, reopened or superseded changes how many are submitted and the sum of
  the superseding ids;
- anything else written to a response or its answers moves the response's `updated_at`: every
  write path of `scrutiny.evidence` saves the response (or sets `updated_at` with the rows it
  updates), and so does everything else that rewrites them in bulk (retention, the disclosure
  flags, an erasure's scrub of a person's address, the case lists' relabelling).

tests/scrutiny/test_kept.py moves the stamp through each of those paths. What is kept is counts
and codes: a comment page's words are kept as a digest (scrutiny.evidence_comments), so nothing
a person wrote outlives its erasure in a cache. A kept value also holds
codes (of agencies, areas, roles and instruments): identifiers the platform never changes.

The cache holds a keyed digest of the stamp (an HMAC under the installation's secret key), never
the stamp itself: two stamps one submission apart differ by that response's id, so keys holding
stamps would give whoever reads the shared cache each anonymous response's random id in the
order they came (tests/red_team/test_anonymity.py).

A kept value is therefore never stale: a changed scrutiny has a new stamp, the old entry is
never read again and expires. What is kept is the raw aggregate, before any setting is applied
(thresholds, weights, suppression), so a changed setting needs no new stamp.

Within a GET or HEAD request, which never writes (the house rule), the stamp is read once per
scrutiny and remembered until the request ends; anywhere else (a POST, a job, a command) it is
read each time it is needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db.models import Count, Max, Q, Sum
from django.utils.crypto import salted_hmac

from scrutiny.models import Response, Scrutiny

T = TypeVar("T")

# Bumped when a kept value's shape or meaning changes, so that a new release never reads what an
# older one kept in a shared cache.
KEPT_VERSION = 1
KEPT_SECONDS = 24 * 60 * 60
CACHE_ALIAS = "evidence"
_STAMP_SALT = "scrutiny.kept.evidence-stamp"

_MISSING = object()
_request_stamps: ContextVar[dict[int, str] | None] = ContextVar("_request_stamps", default=None)


def evidence_stamp(scrutiny: Scrutiny | int) -> str:
    """The scrutiny's evidence stamp (see the module's docstring): one query."""
    scrutiny_id = scrutiny if isinstance(scrutiny, int) else scrutiny.pk
    row = (
        Response.objects.filter(scrutiny_id=scrutiny_id)
        .order_by()
        .aggregate(
            responses=Count("pk"),
            submitted=Count("pk", filter=Q(status=Response.Status.SUBMITTED)),
            ids=Sum("pk"),
            superseding=Sum("superseded_by_id"),
            changed=Max("updated_at"),
        )
    )
    changed = row["changed"].isoformat() if row["changed"] else ""
    parts = (row["responses"], row["submitted"], row["ids"] or 0, row["superseding"] or 0, changed)
    return "/".join(str(part) for part in parts)


def _stamp(scrutiny_id: int) -> str:
    remembered = _request_stamps.get()
    if remembered is None:
        return evidence_stamp(scrutiny_id)
    if scrutiny_id not in remembered:
        remembered[scrutiny_id] = evidence_stamp(scrutiny_id)
    return remembered[scrutiny_id]


def kept(scrutiny: Scrutiny | int, name: str, compute: Callable[[], T], *parts: object) -> T:
    """`compute()`, or what it gave for this scrutiny, `name` and `parts` while the scrutiny's
    evidence is unchanged. `compute` must read nothing but the scrutiny's evidence and what never
    changes under it (its versions' questions, options and factor links); `parts` name anything
    else it depends on (an instrument, the factors' ids)."""
    scrutiny_id = scrutiny if isinstance(scrutiny, int) else scrutiny.pk
    detail = hashlib.sha256(repr((name, parts)).encode()).hexdigest()[:32]
    stamp = salted_hmac(_STAMP_SALT, _stamp(scrutiny_id), algorithm="sha256").hexdigest()
    key = f"kept:{KEPT_VERSION}:{scrutiny_id}:{detail}:{stamp}"
    cache = caches[CACHE_ALIAS]
    value: Any = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, KEPT_SECONDS)
    return value


def _request_begins(sender: object, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
    method = (environ or {}).get("REQUEST_METHOD", "")
    _request_stamps.set({} if method in ("GET", "HEAD") else None)


def _request_ends(sender: object, **kwargs: Any) -> None:
    _request_stamps.set(None)


request_started.connect(_request_begins, dispatch_uid="scrutiny.kept.request_begins")
request_finished.connect(_request_ends, dispatch_uid="scrutiny.kept.request_ends")
