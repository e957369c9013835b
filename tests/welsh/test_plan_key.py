"""The action plan's RAG key in Welsh: its colours and the partnership's default words, in the
key, the priorities table's headings and the import page alike (the accessibility and Welsh
review found "Blue Complete · Green On track" on the Welsh pages)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from scrutiny.models import Priority
from tests.conftest import client_for
from tests.welsh import check
from tests.welsh.conftest import welsh

pytestmark = pytest.mark.django_db

KEY_CY = [
    "Glas Wedi'i gwblhau",
    "Gwyrdd Ar y trywydd iawn",
    "Ambr Mewn perygl",
    "Coch Oddi ar y trywydd",
]


def _texts(page: str, xpath: str) -> list[str]:
    tree = lxml_html.document_fromstring(page)
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


def test_the_plan_pages_key_is_in_welsh(partnership, business_unit):
    Priority.objects.create(partnership=partnership, title="Esgeulustod")
    page = welsh(client_for(business_unit)).get(reverse("plan")).content.decode()
    assert _texts(page, "//h2[@id='key']/following-sibling::ul[1]/li") == KEY_CY
    headings = _texts(page, "//table[1]/thead//th")
    assert headings[1:] == [words.replace(" ", ": ", 1) for words in KEY_CY]
    assert not check.english_in(
        "".join(f"<p>{text}</p>" for text in _texts(page, "//ul[@class='plain-list']/li"))
    )


def test_the_plan_import_pages_key_is_in_welsh(partnership, business_unit):
    page = welsh(client_for(business_unit)).get(reverse("plan-import")).content.decode()
    key = "; ".join(words.replace(" ", ": ", 1) for words in KEY_CY)
    rag = next(text for text in _texts(page, "//li") if text.startswith("RAG:"))
    assert rag.endswith(f"({key}).")


def test_the_partnerships_own_words_are_left_as_written(partnership, business_unit):
    partnership.brag_red = "CSPR due"
    partnership.save()
    page = welsh(client_for(business_unit)).get(reverse("plan")).content.decode()
    assert _texts(page, "//h2[@id='key']/following-sibling::ul[1]/li")[3] == "Coch CSPR due"
