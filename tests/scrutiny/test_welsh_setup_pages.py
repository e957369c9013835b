"""The scrutiny set-up pages in Welsh (issue 18): the list of scrutinies and a scrutiny's page.

The Welsh assertions use the shipped catalogue (locale/cy): they pass once locale-parts/O.po is
merged into it. The English assertions hold before and after: English stays the default.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.scrutiny.test_scrutiny_pages import audit as audit
from tests.scrutiny.test_scrutiny_pages import scrutiny as scrutiny


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _welsh(client: Client, url: str) -> str:
    client.cookies["django_language"] = "cy"
    try:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    finally:
        client.cookies.pop("django_language")
    assert response.status_code == 200
    return _main(response.content.decode())


def test_the_english_pages_are_unchanged(business_unit, audit):
    client = client_for(business_unit)
    listing = _main(client.get(reverse("scrutiny-list")).content.decode())
    assert "<h1>Scrutinies</h1>" in listing
    assert "Set up a scrutiny" in listing
    detail = _main(
        client.get(reverse("scrutiny-detail", args=[audit.scrutiny.slug])).content.decode()
    )
    assert "<h2>Success factors</h2>" in detail
    assert "<h2>Instruments</h2>" in detail
    assert "Change the settings and success factors" in detail


# Welsh rendering: passes after locale-parts/O.po is merged into locale/cy (the lead's merge).


def test_the_scrutiny_list_is_in_welsh(business_unit, audit):
    welsh = _welsh(client_for(business_unit), reverse("scrutiny-list"))
    assert "<h1>Gwaith craffu</h1>" in welsh
    assert "Sefydlu craffu" in welsh
    assert "Lanlwytho llyfr gwaith craffu" in welsh
    assert "Yn dechrau" in welsh
    assert "Offerynnau" in welsh
    for english in ("Upload a scrutiny workbook", "Scrutinies, newest first", ">Starts<"):
        assert english not in welsh


def test_the_scrutiny_page_is_in_welsh(business_unit, audit):
    welsh = _welsh(
        client_for(business_unit), reverse("scrutiny-detail", args=[audit.scrutiny.slug])
    )
    assert "<h2>Ffactorau llwyddiant</h2>" in welsh
    assert "<h2>Offerynnau</h2>" in welsh
    assert "<h2>Canlyniadau a chamau gweithredu</h2>" in welsh
    assert "Newid y gosodiadau a&#x27;r ffactorau llwyddiant" in welsh or (
        "Newid y gosodiadau a'r ffactorau llwyddiant" in welsh
    )
    assert "Y flaenoriaeth a brofir" in welsh
    assert "Y llyfrgell templedi" in welsh
    for english in (
        "Success factors",
        "Priority tested",
        "Download the workbook",
        "The template library",
        "Results and actions",
        " or more",
    ):
        assert english not in welsh
