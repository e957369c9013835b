"""The sign-in, auditors' and board's pages in Welsh (issue 18): a Welsh heading, and none of the
page's English sentences left.

The English sentences looked for are every msgid of the Welsh catalogue (locale/cy).
"""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def _sentences() -> list[str]:
    """The English of every msgid this page set marks, without placeholders or markup."""
    return [
        e.msgid
        for e in polib.pofile(str(CATALOGUE))
        if "%(" not in e.msgid and "<" not in e.msgid and "'" not in e.msgid and len(e.msgid) > 12
    ]


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _both(client: Client, url: str) -> tuple[str, str]:
    english = _main(client.get(url).content.decode())
    client.cookies["django_language"] = "cy"
    welsh = _main(client.get(url, HTTP_ACCEPT_LANGUAGE="cy").content.decode())
    client.cookies.pop("django_language")
    return english, welsh


def _no_english_left(english: str, welsh: str) -> None:
    left = [s for s in _sentences() if s in english and s in welsh]
    assert not left, left


def test_the_sign_in_page_is_in_welsh(db):
    english, welsh = _both(Client(), reverse("login"))
    assert "<h1>Mewngofnodi</h1>" in welsh
    _no_english_left(english, welsh)


def test_the_auditors_pages_are_in_welsh(auditor_council):
    client = client_for(auditor_council)
    english, welsh = _both(client, reverse("audit-mine"))
    assert "<h1>Eich archwiliadau</h1>" in welsh
    _no_english_left(english, welsh)


def test_the_home_page_and_two_factor_page_are_in_welsh(board_member):
    client = client_for(board_member)
    english, welsh = _both(client, reverse("home"))
    assert "Beth y gallwch ei wneud" in welsh or "Beth arall y gallwch ei wneud" in welsh
    _no_english_left(english, welsh)
    english, welsh = _both(client, reverse("two-factor"))
    assert "<h1>Dilysu dau gam</h1>" in welsh
    _no_english_left(english, welsh)


def test_the_published_results_are_in_welsh(board_member):
    english, welsh = _both(client_for(board_member), reverse("published-list"))
    assert "<h1>Canlyniadau a gyhoeddwyd</h1>" in welsh
    _no_english_left(english, welsh)
