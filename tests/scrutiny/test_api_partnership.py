"""The partnership's settings and redaction terms through the API (scrutiny/apis/partnership.py):
the business unit's only, checked by the edit page's form, saved by its service."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from scrutiny.models import Partnership

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_business_unit_reads_and_changes_the_settings(partnership, business_unit):
    client = _api(business_unit)
    url = reverse("api-partnership")
    read = client.get(url).json()
    assert read["id"] == partnership.pk and read["name"] == partnership.name
    assert read["retain_answers_months"] == 24 and read["brag_red"] == "Off track"
    changed = client.patch(
        url,
        {"contact_email": "team@fernhill.invalid", "retain_answers_months": 36},
        format="json",
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["contact_email"], body["retain_answers_months"]) == ("team@fernhill.invalid", 36)
    assert body["name"] == partnership.name  # left out: kept
    stored = Partnership.objects.get(pk=partnership.pk)
    assert (stored.contact_email, stored.retain_answers_months) == ("team@fernhill.invalid", 36)


def test_bad_settings_are_explained_and_change_nothing(partnership, business_unit):
    client = _api(business_unit)
    url = reverse("api-partnership")
    refused = client.patch(
        url,
        {"contact_email": "not an email", "retain_answers_months": 0, "name": "Renamed"},
        format="json",
    )
    assert refused.status_code == 400
    errors = refused.json()
    assert set(errors) == {"contact_email", "retain_answers_months"}
    assert "from" in errors["retain_answers_months"][0]  # "a whole number of months from 1 to …"
    unknown = client.patch(url, {"slug": "taken-over"}, format="json")
    assert unknown.status_code == 400 and "no such setting" in str(unknown.json())
    stored = Partnership.objects.get(pk=partnership.pk)
    assert (stored.name, stored.contact_email, stored.slug) == (
        partnership.name,
        partnership.contact_email,
        partnership.slug,
    )


def test_redaction_terms_are_read_and_replaced(partnership, business_unit):
    client = _api(business_unit)
    url = reverse("api-partnership-redaction-terms")
    assert client.get(url).json() == {"terms": []}
    put = client.put(url, {"terms": ["  Fernhill  Primary ", "Oak Lane", ""]}, format="json")
    assert put.status_code == 200 and put.json() == {"terms": ["Fernhill Primary", "Oak Lane"]}
    assert (
        Partnership.objects.get(pk=partnership.pk).redaction_terms == "Fernhill Primary\nOak Lane"
    )
    assert client.get(url).json() == {"terms": ["Fernhill Primary", "Oak Lane"]}
    assert client.put(url, {"terms": "Oak Lane"}, format="json").status_code == 400
    assert client.put(url, {"terms": []}, format="json").json() == {"terms": []}


@pytest.mark.parametrize("persona", ["scrutineer", "board_member", "auditor_council"])
def test_no_one_else_reads_or_changes_them(partnership, persona, request):
    client = _api(request.getfixturevalue(persona))
    for url in (reverse("api-partnership"), reverse("api-partnership-redaction-terms")):
        assert client.get(url).status_code == 403
    assert client.patch(reverse("api-partnership"), {"name": "X"}, format="json").status_code == 403
    terms = reverse("api-partnership-redaction-terms")
    assert client.put(terms, {"terms": ["X"]}, format="json").status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).name == partnership.name
