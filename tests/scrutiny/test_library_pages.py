"""The template library on the web: listed, downloadable, and added to a scrutiny."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from scrutiny.library import TEMPLATES
from scrutiny.models import Instrument, Scrutiny
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, scrutiny_save
from tests.conftest import client_for


@pytest.fixture
def scrutiny(partnership) -> Scrutiny:
    factors = tuple((f"SF{n}", f"Success factor {n}") for n in range(1, 7))
    data = ScrutinyData(settings=ScrutinySettings(slug="lfp", title="Learning"), factors=factors)
    return scrutiny_save(partnership=partnership, data=data).scrutiny


@pytest.mark.django_db
def test_the_library_lists_every_template_and_adds_one(scrutineer, scrutiny):
    client = client_for(scrutineer)
    url = reverse("template-library", args=[scrutiny.slug])
    page = client.get(url).content.decode()
    for template in TEMPLATES:
        assert escape(template.definition.title) in page  # an apostrophe is escaped
    response = client.post(url, {"template": "case-file-audit", "with_factors": "yes"})
    assert response.status_code == 302
    audit = Instrument.objects.get(scrutiny=scrutiny)
    assert audit.kind == "file_audit"
    again = client.post(url, {"template": "case-file-audit", "with_factors": "yes"}, follow=True)
    assert "was already there, unchanged" in again.content.decode()
    assert Instrument.objects.filter(scrutiny=scrutiny).count() == 1


@pytest.mark.django_db
def test_a_template_needing_factors_the_scrutiny_lacks_is_explained(scrutineer, partnership):
    bare = scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(settings=ScrutinySettings(slug="bare", title="Bare"), factors=()),
    ).scrutiny
    url = reverse("template-library", args=[bare.slug])
    response = client_for(scrutineer).post(
        url, {"template": "practitioner-survey", "with_factors": "yes"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Template library" in body
    assert "which scrutiny bare does not have" in body
    assert not Instrument.objects.filter(scrutiny=bare).exists()
    added = client_for(scrutineer).post(
        url, {"template": "practitioner-survey", "with_factors": "no"}
    )
    assert added.status_code == 302
    assert Instrument.objects.filter(scrutiny=bare).count() == 1


@pytest.mark.django_db
def test_download_and_who_may_add(board_member, auditor_council, scrutiny):
    url = reverse("template-library", args=[scrutiny.slug])
    reader = client_for(board_member)
    assert reader.get(url).status_code == 200
    assert "Add the template" not in reader.get(url).content.decode()
    assert (
        reader.post(url, {"template": "case-file-audit", "with_factors": "yes"}).status_code == 404
    )
    download = reader.get(reverse("template-workbook", args=[scrutiny.slug, "board-questionnaire"]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "questions" in book.sheetnames
    missing = reverse("template-workbook", args=[scrutiny.slug, "no-such-template"])
    assert reader.get(missing).status_code == 404
    assert client_for(auditor_council).get(url).status_code == 404
    assert not Instrument.objects.exists()


@pytest.mark.django_db
def test_copy_an_instrument_into_another_scrutiny_maps_factors_by_code(
    scrutineer, scrutiny, partnership
):
    from scrutiny.instruments import definition_from_version
    from scrutiny.library import template_import

    source = template_import(scrutiny=scrutiny, slug="case-file-audit").instrument
    factors = tuple((f"SF{n}", f"Next year's factor {n}") for n in range(1, 7))
    later = scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(
            settings=ScrutinySettings(slug="lfp-next", title="Next"), factors=factors
        ),
    ).scrutiny
    client = client_for(scrutineer)
    url = reverse("instrument-copy", args=[scrutiny.slug, source.pk])
    response = client.post(url, {"to_scrutiny": later.pk, "code": ""})
    assert response.status_code == 302
    copy = Instrument.objects.get(scrutiny=later)
    original = definition_from_version(source.versions.get())
    copied = definition_from_version(copy.versions.get())
    assert copied.questions == original.questions
    links = copy.versions.get().sections.values_list(
        "questions__factor_links__factor__scrutiny__slug", flat=True
    )
    assert set(links) - {None} == {"lfp-next"}


@pytest.mark.django_db
def test_copy_refused_where_the_factors_are_missing(scrutineer, scrutiny, partnership):
    from scrutiny.library import template_import

    source = template_import(scrutiny=scrutiny, slug="case-file-audit").instrument
    bare = scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(settings=ScrutinySettings(slug="bare", title="Bare"), factors=()),
    ).scrutiny
    url = reverse("instrument-copy", args=[scrutiny.slug, source.pk])
    response = client_for(scrutineer).post(url, {"to_scrutiny": bare.pk})
    assert response.status_code == 200
    assert "Scrutiny bare has no success factor SF1" in response.content.decode()
    assert not Instrument.objects.filter(scrutiny=bare).exists()
