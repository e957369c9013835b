"""The audit sample and moderation pages, the possible disclosures and the young scrutineers'
pages in Welsh (issue 18, round 2): a Welsh heading, and none of the page's English sentences
left.

These render with the shipped catalogue (locale/cy): they pass once locale-parts/M.po is merged
into it (docs/welsh.md, "The catalogue").
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from scrutiny.models import User
from tests.audits.conftest_samples import scrutiny as scrutiny
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.scrutiny.test_welsh_pages import _both, _no_english_left

pytestmark = pytest.mark.django_db


def test_the_sample_page_is_in_welsh(scrutiny, business_unit):
    client = client_for(business_unit)
    english, welsh = _both(client, reverse("audit-sample", args=[scrutiny.slug]))
    assert "<h1>Sample of case files</h1>" in english
    assert "<h1>Sampl o ffeiliau achos</h1>" in welsh
    assert "Sut mae'r tynnu'n gweithio" in welsh or "Sut mae&#x27;r tynnu" in welsh
    _no_english_left(english, welsh)


def test_the_moderation_overview_is_in_welsh(scrutiny, business_unit):
    client = client_for(business_unit)
    english, welsh = _both(client, reverse("audit-overview", args=[scrutiny.slug]))
    assert "<h1>Case-file audits</h1>" in english
    assert "<h1>Archwiliadau ffeiliau achos</h1>" in welsh
    assert "Cynnydd" in welsh
    _no_english_left(english, welsh)


def test_the_possible_disclosures_page_is_in_welsh(partnership):
    admin = UserFactory(partnership=partnership, role=User.Role.ADMINISTRATOR)
    english, welsh = _both(client_for(admin), reverse("disclosure-list"))
    assert "<h1>Possible disclosures</h1>" in english
    assert "<h1>Datgeliadau posibl</h1>" in welsh
    assert "I edrych arnynt" in welsh
    _no_english_left(english, welsh)


def test_the_young_scrutineers_home_page_is_in_welsh(partnership):
    young = UserFactory(partnership=partnership, role=User.Role.YOUNG_SCRUTINEER)
    english, welsh = _both(client_for(young), reverse("young-home"))
    assert "<h1>Your scrutinies</h1>" in english
    assert "<h1>Eich gwaith craffu</h1>" in welsh
    assert "Craffwr Annibynnol" in welsh
    _no_english_left(english, welsh)


def test_the_case_list_upload_page_and_its_form_are_in_welsh(scrutiny, business_unit):
    client = client_for(business_unit)
    url = reverse("audit-sample-draw", args=[scrutiny.slug]) + "?step=upload"
    english, welsh = _both(client, url)
    assert "<h1>Upload the case list</h1>" in english
    assert "Llyfr gwaith Excel (.xlsx)" in welsh
    _no_english_left(english, welsh)
