"""Query counts pinned for the big pages of issue 19: a factor's evidence page (its first page of
comments, a later page, a search and one question's comments), the audits' overview, the
moderation of a case file and the agreement statistics, and a survey's response rates.

As tests/test_query_counts.py: each page is counted with a little data, then with three times
the responses (and comments, audits, invitations), and the counts must be equal (they do not
grow with the data) and no more than the number pinned here. A change that adds a query to one
of these pages changes its number here, on purpose, in review. bench/pages.py times them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Assignment
from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Agency, Instrument, Response, Scrutiny
from surveys.models import Invitation, Survey, new_token, token_hash
from tests.audits.conftest_moderation import Audits, answers
from tests.audits.conftest_moderation import audits as audits
from tests.conftest import client_for
from tests.scrutiny.test_workspace import _submit
from tests.scrutiny.test_workspace import scrutiny as scrutiny
from tests.surveys.conftest import COMPLETE
from tests.surveys.conftest import survey as survey
from tests.surveys.conftest import survey_scrutiny as survey_scrutiny
from tests.surveys.conftest import survey_tool as survey_tool

pytestmark = pytest.mark.django_db

# The most queries each page may take, signed in with a second factor (the session, the user,
# the device) and its trail (scrutiny.trail) included, with nothing kept (scrutiny/kept.py): one
# is the scrutiny's evidence stamp. On the factor's page, one is the factors' links, which say
# which questions' counts a source's score would give back (scrutiny.disclosure.distributions).
FACTOR_PAGE = {"first page": 35, "page 2": 35, "search": 35, "one question": 35}
AUDIT_PAGES = {"overview": 7, "moderate": 12, "agreement": 7}
RATES_PAGE = 15


def count(client: Client, url: str) -> int:
    """The queries of one request with nothing kept (scrutiny/kept.py): the most it takes."""
    caches["evidence"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def counts(client: Client, urls: Mapping[str, str]) -> dict[str, int]:
    return {name: count(client, url) for name, url in urls.items()}


def assert_flat(
    client: Client, urls: Mapping[str, str], more: Callable[[], None], most: Mapping[str, int]
) -> None:
    few = counts(client, urls)
    more()
    many = counts(client, urls)
    assert many == few, f"the queries grew with the data: {few} then {many}"
    over = {name: n for name, n in many.items() if n > most[name]}
    assert not over, f"more queries than pinned: {over}; pinned {dict(most)}"


# ---------------------------------------------------------------------------------------------
# A factor's evidence page


def test_the_factor_page_reads_a_fixed_number_of_queries(scrutiny: Scrutiny, scrutineer):
    url = reverse("workspace-factor", args=[scrutiny.slug, "SF1"])
    question = scrutiny.instruments.get(code="PS").versions.get().questions.get(code="Q7")
    urls = {
        "first page": url,
        "page 2": f"{url}?page=2",
        "search": f"{url}?q=supervision&page=2",
        "one question": f"{url}?question={question.pk}&page=2",
    }
    survey, audit = (scrutiny.instruments.get(code=code) for code in ("PS", "AUD"))
    council, police = (Agency.objects.get(code=code) for code in ("FHC", "POL"))

    def more() -> None:
        # Three times the responses, with comments over several pages (ten to a page).
        for i in range(16):
            _submit(survey, police, "3", f"Supervision is rushed in team {i}.")
            _submit(survey, council, "4", "Supervision is rushed." if i % 2 else "")
            _submit(audit, council, "2", f"Plan {i} was not reviewed.", f"C-9{i:03d}")

    client = client_for(scrutineer)
    assert ">2</a>" not in client.get(url).content.decode()  # one page of comments at first
    assert_flat(client, urls, more, FACTOR_PAGE)
    page = client.get(f"{url}?q=supervision&page=2").content.decode()
    assert "Supervision is rushed in team" in page  # the search carries to the second page
    assert 'aria-current="page"' in page


# ---------------------------------------------------------------------------------------------
# The audits' pages


def test_the_audit_pages_read_a_fixed_number_of_queries(
    audits: Audits, council, police, area, auditor_council, auditor_police, scrutineer
):
    case = audits.case("C-0042", area=area)
    audits.submit(audits.assign(case, council, auditor=auditor_council), answers(q6="4"))
    audits.submit(audits.assign(case, police, auditor=auditor_police), answers(q6="1"))
    slug = audits.scrutiny.slug
    urls = {
        "overview": reverse("audit-overview", args=[slug]),
        "moderate": reverse("audit-moderate", args=[slug, case.pk]),
        "agreement": reverse("audit-agreement", args=[slug]),
    }

    def more() -> None:
        for i in range(6):
            other = audits.case(f"C-1{i:02d}")
            audits.submit(audits.assign(other, council), answers(q6="4"))
            second = audits.assign(other, council, role=Assignment.Role.SECOND)
            audits.submit(second, answers(q6=str(1 + i % 4)))
            audits.submit(audits.assign(other, police), answers(q6="2"))

    assert_flat(client_for(scrutineer), urls, more, AUDIT_PAGES)


# ---------------------------------------------------------------------------------------------
# A survey's response rates


def _returns(survey: Survey, instrument: Instrument, agency: Agency, n: int) -> None:
    compiled = version_compile(instrument_current_version(instrument))
    for i in range(n):
        Invitation.objects.create(
            survey=survey,
            email=f"{agency.code.lower()}{Invitation.objects.count()}-{i}@fernhill.invalid",
            agency=agency,
            token_sha256=token_hash(new_token()),
        )
        response_submit(
            compiled=compiled,
            values=COMPLETE,
            details=ResponseDetails(agency_id=agency.pk),
            channel=Response.Channel.SURVEY,
        )


def test_the_rates_page_reads_a_fixed_number_of_queries(
    survey: Survey, survey_tool: Instrument, council, police, business_unit
):
    _returns(survey, survey_tool, council, 3)
    _returns(survey, survey_tool, police, 3)
    url = reverse("survey-rates", args=[survey_tool.scrutiny.slug, survey_tool.code])

    def more() -> None:
        _returns(survey, survey_tool, council, 6)
        _returns(survey, survey_tool, police, 6)

    assert_flat(client_for(business_unit), {"rates": url}, more, {"rates": RATES_PAGE})
