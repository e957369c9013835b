"""Every page a respondent sees is rendered in Welsh by a test of this package (issue 18): the
respondents' URL names are read from the URL resolver and scrutiny/trail/routes.py, so a new
respondent page that no test here renders fails this test.

A respondent is anyone answering or signing in to answer: a practitioner, a board member, a
family, a child, a young scrutineer, an auditor. Their pages are the survey-answering routes
(`routes.ANSWERING`), the public and account pages (`routes.NOT_RECORDED` with the public or
account reason), and every route of the views they use (`RESPONDENT_VIEWS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from scrutiny.trail import routes

RESPONDENT_VIEWS = (
    "surveys.views.respond",
    "surveys.views.young",
    "surveys.views.signed_in",
    "audits.views.reading",
    "audits.views.completion",
    "audits.views.concerns",
    "audits.views.reopening",
    "scrutiny.views.young_scrutineers",
    "scrutiny.mfa.views",
    "django.contrib.auth.views",
    "scrutiny.oidc",
)
# Respondents' routes that are not an HTML page in a language, or not theirs, and why.
NOT_RESPONDENT_PAGES = {
    "surveys.views.respond.invitation_start": "survey-invitation's view at an older address",
    "api-survey-open-submit": "the API: JSON",
    "api-survey-invitation-submit": "the API: JSON",
    "two-factor-qr": "an image (SVG) of the set-up key",
    "oidc_authentication_init": "a redirect to the partnership's identity provider",
    "oidc_authentication_callback": "the identity provider's redirect back",
    "oidc_logout": "a redirect to the identity provider",
    "set_language": "the language switch: a redirect",
    "audit-reopen": "the business unit's (reopening a submitted audit)",
    "young-summary": "the scrutineer's and the business unit's (writing the summary)",
    "young-feedback-results": "the business unit's and the board's (counts of feedback)",
    "api-token": "the API's users: staff",
    "api-token-revoke": "the API's users: staff",
}
HERE = Path(__file__).resolve().parent


def _routes(resolver: URLResolver) -> Iterator[tuple[str, str]]:
    """(view name, view module) of every route, as tests/scrutiny/test_trail.py names them."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if not pattern.namespace:  # the admin's are nobody's in particular
                yield from _routes(pattern)
            continue
        assert isinstance(pattern, URLPattern)
        func: Any = getattr(pattern.callback, "view_class", pattern.callback)
        module = getattr(func, "__module__", "")
        yield pattern.name or f"{module}.{getattr(func, '__name__', '')}", module


def respondent_routes() -> set[str]:
    public = (routes._PUBLIC, routes._ACCOUNT)
    return {
        name
        for name, module in _routes(get_resolver())
        if name in routes.ANSWERING
        or routes.NOT_RECORDED.get(name) in public
        or module.startswith(RESPONDENT_VIEWS)
    }


def test_every_respondent_page_is_rendered_in_welsh_here() -> None:
    tests = "".join(path.read_text() for path in HERE.glob("test_*.py") if path != Path(__file__))
    pages = respondent_routes() - set(NOT_RESPONDENT_PAGES)
    uncovered = sorted(name for name in pages if f'"{name}"' not in tests)
    assert not uncovered, (
        f"Respondent pages no test in tests/welsh/ renders in Welsh: {uncovered}. Render each "
        "with assert_welsh, or say in NOT_RESPONDENT_PAGES why it is not a respondent's page."
    )


def test_the_list_of_exceptions_names_only_routes_that_exist() -> None:
    names = {name for name, _ in _routes(get_resolver())}
    assert set(NOT_RESPONDENT_PAGES) <= names, set(NOT_RESPONDENT_PAGES) - names
