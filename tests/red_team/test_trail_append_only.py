"""Nobody can change or delete an entry of the audit trail: not through the ORM's public
methods, not in the admin site (as the business unit or the platform's operator), not through a
page or the API. Only the retention run and erasure hold the doors (`_expire`, `_anonymise`),
and nothing else in the code opens them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from audits.models import AuditEvent
from scrutiny.models import Scrutiny, TrailEntry, User
from scrutiny.trail import trail_record
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The modules allowed to expire or anonymise trail entries: retention and erasure.
DOORS = (
    "scrutiny/retention/",
    "audits/retention.py",
    "surveys/retention.py",
    "scrutiny/people_data/",
)


@pytest.fixture
def trail(partnership, business_unit) -> tuple[TrailEntry, AuditEvent]:
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug="lfp-2026", title="LfP")
    event = AuditEvent.objects.create(scrutiny=scrutiny, action=AuditEvent.Action.VIEWED)
    entry = trail_record(action="evidence_viewed", user=business_unit, obj=scrutiny)
    return entry, event


def _unchanged(entry: TrailEntry, event: AuditEvent) -> bool:
    stored = TrailEntry.objects.filter(pk=entry.pk).values("action", "actor", "detail").first()
    kept = AuditEvent.objects.filter(pk=event.pk).values("action", "detail").first()
    return stored == {"action": entry.action, "actor": entry.actor, "detail": ""} and kept == {
        "action": event.action,
        "detail": "",
    }


@pytest.mark.parametrize("model", [TrailEntry, AuditEvent])
def test_the_orm_refuses_every_change_and_deletion(trail, model):
    row = next(r for r in trail if isinstance(r, model))
    row.detail = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        row.save()
    with pytest.raises(TypeError, match="append-only"):
        row.delete()
    with pytest.raises(TypeError, match="append-only"):
        model.objects.filter(pk=row.pk).delete()
    with pytest.raises(TypeError, match="append-only"):
        model.objects.all().update(detail="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        model.objects.filter(pk=row.pk).update(action="nothing")
    assert _unchanged(*trail)


@pytest.fixture
def operator(db) -> User:
    return UserFactory(
        email="op@platform.invalid", is_staff=True, is_superuser=True, partnership=None
    )


@pytest.mark.parametrize("who", ["business_unit", "operator"])
@pytest.mark.parametrize("model", ["scrutiny/trailentry", "audits/auditevent"])
def test_the_admin_site_deletes_and_changes_nothing(request, trail, who, model):
    client = client_for(request.getfixturevalue(who))
    entry, event = trail
    pk = entry.pk if model.endswith("trailentry") else event.pk
    base = f"/admin/{model}/"
    client.post(f"{base}{pk}/delete/", {"post": "yes"})
    client.post(base, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
    client.post(f"{base}{pk}/change/", {"action": "nothing", "detail": "rewritten"})
    client.post(f"{base}add/", {"action": "forged", "detail": "forged"})
    assert _unchanged(entry, event)
    assert not TrailEntry.objects.filter(action="forged").exists()
    assert not TrailEntry.objects.filter(action="admin_deleted").exists()


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                found += _routes(pattern, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            found.append(prefix + str(pattern.pattern))
    return found


def test_no_page_or_api_address_writes_to_the_trail_pages(trail, business_unit):
    """The trail's pages (the partnership's and a case file's) answer reads alone."""
    client = client_for(business_unit)
    entry, event = trail
    addresses = [
        "/" + re.sub(r"<[^>]+>", "1", route)
        for route in _routes(get_resolver())
        if "trail" in route
    ]
    assert "/trail/" in addresses
    for address in addresses:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(address)
            assert response.status_code in (403, 404, 405), (method, address)
    assert _unchanged(entry, event)


def test_only_retention_and_erasure_open_the_doors():
    """`_expire` and `_anonymise` are called from retention and erasure, nowhere else; no
    module writes to the trail's tables in SQL of its own."""
    root = Path(settings.BASE_DIR)
    callers = []
    for app in ("scrutiny", "audits", "surveys", "config"):
        for path in (root / app).rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            text = path.read_text(encoding="utf-8")
            if re.search(r"\._(expire|anonymise)\(", text) and not relative.startswith(DOORS):
                callers.append(relative)
            assert not re.search(
                r"(?i)(delete\s+from|update)\s+\"?(scrutiny_trailentry|audits_auditevent)", text
            ), relative
    assert callers == []
