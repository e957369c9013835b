"""The scrutineer's workspace and the action plan in Welsh (issue 18): Welsh headings, buttons and
sentences, none of the page's English sentences left, and English exactly as it was.

The Welsh comes from the catalogue the platform ships (locale/cy): these tests pass once
locale-parts/N.po is merged into it and compiled (docs/welsh.md).
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.scrutiny.test_actions import signed as signed
from tests.scrutiny.test_plan_pages import plan as plan
from tests.scrutiny.test_welsh_pages import _both, _sentences
from tests.scrutiny.test_workspace import scrutiny as scrutiny

SLUG = "lfp-2026"
# Words these pages show but do not write: the evidence notes' kinds (the model's choices,
# scrutiny.models.findings), the instruments' titles (the partnership's own words), the finding
# the platform drafts (scrutiny.findings) and the delivery plan workbook's own row markers,
# which the import reads as written.
NOT_THESE_PAGES = {
    "Practitioner forum",
    "Scrutiny event",
    "Practitioner survey",
    "Multi-agency case-file audit",
    "Case-file audit",  # an instrument's title here, and a response channel's words elsewhere
    "Limited evidence",
    "Measuring impact:",
    "Related work:",
}


def _no_english_left(english: str, welsh: str) -> None:
    left = [s for s in _sentences() if s in english and s in welsh and s not in NOT_THESE_PAGES]
    assert not left, left


def _welsh_and_english(client: Client, url: str) -> tuple[str, str]:
    english, welsh = _both(client, url)
    assert english.count("<h2") == welsh.count("<h2")
    return english, welsh


def test_the_workspace_is_in_welsh(scrutiny, scrutineer):
    english, welsh = _welsh_and_english(client_for(scrutineer), reverse("workspace", args=[SLUG]))
    assert "<h1>Scrutineer's workspace</h1>" in english
    assert "<h1>Gweithle&#x27;r craffwr</h1>" in welsh or "<h1>Gweithle'r craffwr</h1>" in welsh
    assert "Cerdyn sgorio" in welsh
    assert "Creu&#x27;r pecyn digwyddiad" in welsh or "Creu'r pecyn digwyddiad" in welsh
    assert "Dargyfeiriol:</strong>" in welsh
    _no_english_left(english, welsh)


def test_a_factors_evidence_is_in_welsh(scrutiny, scrutineer):
    url = reverse("workspace-factor", args=[SLUG, "SF1"])
    english, welsh = _welsh_and_english(client_for(scrutineer), url)
    assert "Answers to its questions" in english
    assert "Atebion i&#x27;w gwestiynau" in welsh or "Atebion i'w gwestiynau" in welsh
    assert "Dyfyniadau ar gyfer y pecyn" in welsh
    assert "Yn ôl asiantaeth" in welsh and "By agency" not in welsh
    _no_english_left(english, welsh)


def test_the_action_plan_is_in_welsh(plan, scrutineer):
    client = client_for(scrutineer)
    english, welsh = _welsh_and_english(client, reverse("plan"))
    assert "<h1>Action plan</h1>" in english
    assert "<h1>Cynllun gweithredu</h1>" in welsh
    assert "Allwedd RAG" in welsh and "Ychwanegu blaenoriaeth" in welsh
    _no_english_left(english, welsh)
    action = plan[0]
    for url in (
        reverse("plan-action", args=[action.pk]),
        reverse("plan-priority", args=[action.outcome.priority_id]),
        reverse("scrutiny-actions", args=[SLUG]),
        reverse("plan-import"),
    ):
        english, welsh = _welsh_and_english(client, url)
        assert english != welsh
        _no_english_left(english, welsh)


def test_the_english_pages_stay_english(plan, scrutineer):
    client = client_for(scrutineer)
    page = client.get(reverse("workspace", args=[SLUG])).content.decode()
    assert "Sign off the findings" in page or "The findings are signed off" in page
    assert "Gweithle" not in page
    page = client.get(reverse("plan")).content.decode()
    assert "RAG key" in page and "Allwedd RAG" not in page
