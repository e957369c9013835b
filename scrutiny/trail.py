"""The partnership's audit trail: `trail_record` writes an entry, the selectors read them.

Every entry is append-only (scrutiny/models/trail.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from scrutiny.models import Partnership, TrailEntry, User
from scrutiny.permissions import AnyUser


def trail_record(
    *,
    action: str,
    user: AnyUser | None = None,
    partnership: Partnership | None = None,
    obj: Model | None = None,
    detail: str = "",
    data: dict[str, Any] | None = None,
) -> TrailEntry:
    """Records that `user` did `action` (to `obj`), in `partnership` (the user's when not
    given)."""
    person = user if isinstance(user, User) else None
    if partnership is None and person is not None:
        partnership = person.partnership
    return TrailEntry.objects.create(
        partnership=partnership,
        user=person,
        actor=person.email if person is not None else "",
        action=action,
        object_type=obj._meta.model_name or "" if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:300] if obj is not None else "",
        detail=detail,
        data=data or {},
    )
