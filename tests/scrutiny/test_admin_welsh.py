"""The admin's own words, the API documentation's title and the partnership's statement fields
in Welsh (issue 18), from the shipped catalogue (locale/cy)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.functional import Promise

from scrutiny import admin as scrutiny_admin
from tests.conftest import client_for, second_factor_for
from tests.factories import UserFactory


@pytest.fixture
def welsh():
    """The shipped catalogue (locale/cy) is what these pages read: nothing to set up. The
    fixture names the tests that read Welsh."""


def _in_welsh(client, url: str, **kwargs):
    client.cookies["django_language"] = "cy"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="cy", **kwargs)


def test_the_admins_words_are_marked():
    from django.contrib import admin

    assert isinstance(admin.site.site_header, Promise)
    assert isinstance(admin.site.site_title, Promise)
    for fieldsets in (scrutiny_admin.OPERATOR_FIELDSETS, scrutiny_admin.BUSINESS_UNIT_FIELDSETS):
        assert all(isinstance(name, Promise) for name, _ in fieldsets if name)
    reset = scrutiny_admin.UserAdmin.second_factor_reset
    assert isinstance(reset.short_description, Promise)  # type: ignore[attr-defined]


def test_the_admin_in_welsh(welsh, business_unit):
    client = client_for(business_unit)
    page = _in_welsh(client, reverse("admin:index")).content.decode()
    assert "Gweinyddu craffu diogelu" in page
    assert "Safeguarding scrutiny administration" not in page
    people = _in_welsh(client, reverse("admin:scrutiny_user_changelist")).content.decode()
    assert "Ailosod dilysu dau gam (ffôn wedi&#x27;i golli)" in people
    person = _in_welsh(
        client, reverse("admin:scrutiny_user_change", args=[business_unit.pk])
    ).content.decode()
    assert "Mynediad" in person and "Dyddiadau" in person


def test_the_reset_message_says_how_many_in_each_language(welsh, business_unit, partnership):
    people = [
        UserFactory(partnership=partnership, email=f"p{n}@fernhill.invalid") for n in range(2)
    ]
    for person in people:
        second_factor_for(person)
    client = client_for(business_unit)
    url = reverse("admin:scrutiny_user_changelist")
    action = {"action": "second_factor_reset", "_selected_action": [p.pk for p in people]}
    english = client.post(url, action, follow=True).content.decode()
    assert "Two-factor authentication reset for 2 people: each sets up a new app" in english
    client.cookies["django_language"] = "cy"
    welsh_page = client.post(url, action, follow=True, HTTP_ACCEPT_LANGUAGE="cy")
    assert "ailosod ar gyfer 2 berson" in welsh_page.content.decode()


def test_the_api_documentation_has_its_title_in_welsh(welsh, auditor_council):
    client = client_for(auditor_council)
    for name in ("api-docs", "api-redoc"):
        english = client.get(reverse(name)).content.decode()
        assert '<html lang="en-GB">' in english
        assert "<title>Safeguarding scrutiny API</title>" in english
        welsh_page = _in_welsh(client, reverse(name)).content.decode()
        client.cookies.pop("django_language")
        assert '<html lang="cy">' in welsh_page
        assert "<title>API craffu diogelu</title>" in welsh_page
        assert 'lang="en-GB"></' in welsh_page  # the documentation itself is in English


def test_the_statement_fields_are_labelled_in_welsh(welsh, business_unit):
    page = _in_welsh(client_for(business_unit), reverse("partnership-edit")).content.decode()
    assert "Datganiad hygyrchedd (Cymraeg)" in page
    assert "Hysbysiad preifatrwydd (Cymraeg)" in page
