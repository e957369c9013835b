"""What the Welsh page tests build on: a Welsh browser, and the check of every page it gets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.test import Client

from tests.welsh import check

COOKIE = settings.LANGUAGE_COOKIE_NAME


def welsh(client: Client | None = None) -> Client:
    """A browser that asks for Welsh, and has chosen it with the switch."""
    client = client or Client()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "cy"
    client.cookies[COOKIE] = "cy"
    return client


def assert_welsh(
    response: Any, data: Iterable[str] = (), *, status: int = 200, url: str = ""
) -> str:
    """The page is Welsh: `lang="cy"` and no English text but `data` (names the test made)."""
    page = response.content.decode()
    where = url or response.request.get("PATH_INFO", "?")
    assert response.status_code == status, f"{where}: {response.status_code}"
    assert '<html lang="cy"' in page, f"{where}: not lang=cy"
    offenders = check.english_in(page, data)
    assert not offenders, f"English on {where}:\n  " + "\n  ".join(offenders)
    return page
