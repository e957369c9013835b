"""A job's page in Welsh: its title and heading from the job's kind in words (never the stored
kind, "responses import"), and the status's words for job.js in the page's language (the
accessibility and Welsh review found the page turning English after its first poll)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from scrutiny import services
from scrutiny.imports import RESPONSES_IMPORT
from tests.conftest import client_for
from tests.welsh.conftest import assert_welsh, welsh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [RESPONSES_IMPORT, "selfcheck", "responses export", "other"])
def test_a_job_page_is_welsh_title_and_all(business_unit, partnership, kind):
    job = services.job_create(kind=kind, user=business_unit)
    response = welsh(client_for(business_unit)).get(reverse("job-detail", args=[job.pk]))
    page = assert_welsh(response, [partnership.name, business_unit.full_name])
    tree = lxml_html.document_fromstring(page)
    title = tree.findtext(".//title")
    assert kind not in title.lower()
    assert tree.findtext(".//h1") in title
    status = tree.xpath("//span[@data-job-status]")[0]
    words = [status.get(f"data-{name}") for name in ("queued", "running", "done", "failed")]
    assert words == ["Yn aros i ddechrau", "Ar y gweill", "Wedi gorffen", "Wedi methu"]
    assert status.get("data-stalled") and status.get("data-stalled") != "Stalled"
    assert status.getparent().get("aria-live") == "polite"
