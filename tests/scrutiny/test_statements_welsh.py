"""The partnership's accessibility statement and privacy notice in both languages (issue 18).

The business unit writes each beside its Welsh text; the public page in Welsh shows the Welsh
text, or, without one, the English text under a note in Welsh saying it is only in English.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from scrutiny.apis.partnership import SETTINGS_FIELDS
from scrutiny.models import Partnership
from tests.conftest import client_for

FORM = {
    "name": "Fernhill Safeguarding Children Partnership",
    "contact_email": "unit@fernhill.invalid",
    "accessibility_statement": "We aim for WCAG 2.2 AA.",
    "accessibility_statement_cy": "Rydym yn anelu at WCAG 2.2 AA.",
    "privacy_notice": "We keep survey data for 24 months.",
    "privacy_notice_cy": "Rydym yn cadw data arolygon am 24 mis.",
    "brag_blue": "Complete",
    "brag_green": "On track",
    "brag_amber": "At risk",
    "brag_red": "Off track",
}


def _page(url: str, welsh: bool) -> str:
    client = Client()
    if welsh:
        client.cookies["django_language"] = "cy"
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    else:
        html = client.get(url).content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_edit_form_puts_each_statement_beside_its_welsh(business_unit, partnership):
    page = client_for(business_unit).get(reverse("partnership-edit")).content.decode()
    pairs = [p[: p.index("</div></div>")] for p in page.split('<div class="field-pair">')[1:]]
    assert len(pairs) == 2
    for pair, english in zip(pairs, ("accessibility_statement", "privacy_notice"), strict=True):
        assert pair.index(f'name="{english}"') < pair.index(f'name="{english}_cy"')
        assert f'name="{english}_cy" cols="40" rows="14" lang="cy"' in pair
    assert (
        '<label class="label" for="id_accessibility_statement_cy">Accessibility statement '
        "(Welsh)" in pairs[0]
    )


def test_the_welsh_page_shows_the_welsh_statements(business_unit, partnership):
    response = client_for(business_unit).post(reverse("partnership-edit"), FORM)
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.privacy_notice_cy == "Rydym yn cadw data arolygon am 24 mis."

    welsh = _page(reverse("accessibility"), welsh=True)
    assert "Rydym yn anelu at WCAG 2.2 AA." in welsh
    assert "We aim for WCAG 2.2 AA." not in welsh
    assert "only in English" not in welsh
    english = _page(reverse("accessibility"), welsh=False)
    assert "We aim for WCAG 2.2 AA." in english and "Rydym" not in english

    slug = reverse("partnership-privacy", args=[partnership.slug])
    assert "Rydym yn cadw data arolygon am 24 mis." in _page(slug, welsh=True)
    assert "We keep survey data for 24 months." in _page(slug, welsh=False)


def test_without_welsh_the_english_follows_a_welsh_note(partnership):
    Partnership.objects.filter(pk=partnership.pk).update(
        privacy_notice="We keep survey data for 24 months.", privacy_notice_cy=""
    )
    welsh = _page(reverse("privacy"), welsh=True)
    note = welsh.index('<p class="hint" lang="cy">')
    assert note < welsh.index('<div lang="en-GB"><p>We keep survey data for 24 months.</p>')
    english = _page(reverse("privacy"), welsh=False)
    assert '<p class="hint" lang="cy">' not in english
    assert "<p>We keep survey data for 24 months.</p>" in english


def test_a_form_without_the_welsh_fields_keeps_them(business_unit, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(
        accessibility_statement_cy="Datganiad", privacy_notice_cy="Hysbysiad"
    )
    older = {k: v for k, v in FORM.items() if not k.endswith("_cy")}
    assert client_for(business_unit).post(reverse("partnership-edit"), older).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.accessibility_statement_cy, partnership.privacy_notice_cy) == (
        "Datganiad",
        "Hysbysiad",
    )
    # Given empty, a Welsh text is removed, and the English is shown under the note again.
    emptied = {**FORM, "privacy_notice_cy": "  "}
    assert client_for(business_unit).post(reverse("partnership-edit"), emptied).status_code == 302
    partnership.refresh_from_db()
    assert partnership.privacy_notice_cy == ""
    assert partnership.accessibility_statement_cy == "Rydym yn anelu at WCAG 2.2 AA."


def test_the_api_reads_and_writes_the_welsh_statements(business_unit, partnership):
    assert {"accessibility_statement_cy", "privacy_notice_cy"} <= set(SETTINGS_FIELDS)
    client = client_for(business_unit)
    url = reverse("api-partnership")
    response = client.patch(
        url, {"privacy_notice_cy": "Hysbysiad preifatrwydd."}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["privacy_notice_cy"] == "Hysbysiad preifatrwydd."
    assert client.get(url).json()["accessibility_statement_cy"] == ""


@pytest.mark.django_db(transaction=True)
def test_the_archive_carries_the_welsh_statements(partnership, council, tmp_path):
    Partnership.objects.filter(pk=partnership.pk).update(
        accessibility_statement_cy="Datganiad y bartneriaeth.",
        privacy_notice_cy="Hysbysiad y bartneriaeth.",
    )
    archive = tmp_path / "fernhill.zip"
    call_command("archive", "export", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    assert not Partnership.objects.exists()
    call_command("archive", "import", str(archive), stdout=io.StringIO())
    restored = Partnership.objects.get(slug=partnership.slug)
    assert (restored.accessibility_statement_cy, restored.privacy_notice_cy) == (
        "Datganiad y bartneriaeth.",
        "Hysbysiad y bartneriaeth.",
    )
