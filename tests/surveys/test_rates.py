"""Response rates (CLI.md `response_rates`), worked by hand.

The partnership of these tests: Fernhill Council (FHC, workforce 10, nobody invited), Fernhill
Police (POL, workforce 20), Fernhill Schools (EDU, no workforce) and Fernhill Health (HLT, no
workforce). Roles SW and TCH.

| agency | invited | submitted | base           | rate               |
| ------ | ------- | --------- | -------------- | ------------------ |
| FHC    | 0       | 0         | workforce 10   | 0.0                |
| POL    | 10      | 7         | workforce 20   | 35.0 (suppressed)  |
| EDU    | 8       | 2         | invited 8      | 25.0 (suppressed)  |
| HLT    | 10      | 9         | invited 10     | 90.0               |

EDU's 2 is below the threshold of 5, the only cell that is: so the next smallest with at least
one return, POL's 7, is suppressed too (SCORING.md §9). FHC has none submitted and shows.
Of the 18 returns, 3 come from an imported workbook (HLT) and one HLT response is still a draft,
so 18 are submitted and 19 started.

| role | invited | submitted | rate                 |
| ---- | ------- | --------- | -------------------- |
| SW   | 12      | 6         | 50.0                 |
| TCH  | 6       | 5         | 83.3 (5/6 = 83.33…)  |
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scrutiny.evidence import ResponseDetails, response_save_draft, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Agency, Response
from surveys.models import Invitation, new_token, token_hash
from surveys.rates import RateCell, instrument_rates, response_rates
from tests.conftest import client_for
from tests.surveys.conftest import COMPLETE, SLUG

pytestmark = pytest.mark.django_db


def test_a_rate_rounds_half_up_to_one_decimal():
    assert RateCell("A", "A", invited=16, submitted=1).rate == 6.3  # 6.25
    assert RateCell("A", "A", invited=8, submitted=1).rate == 12.5
    assert RateCell("A", "A", invited=0, submitted=7, workforce=15).rate == 46.7
    assert RateCell("A", "A", invited=40, submitted=7, workforce=15).rate == 46.7  # workforce first
    assert RateCell("A", "A", invited=0, submitted=3).rate is None  # neither known


def _invite(survey, agency, role, n):
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            email=f"{agency.code.lower()}{role.code.lower() if role else ''}{i}@fernhill.invalid",
            agency=agency,
            role=role,
            token_sha256=token_hash(new_token()),
        )
        for i in range(n)
    )


def _answer(instrument, agency, role, n, *, channel=Response.Channel.SURVEY, draft=False):
    compiled = version_compile(instrument_current_version(instrument))
    write = response_save_draft if draft else response_submit
    for _ in range(n):
        write(
            compiled=compiled,
            values=COMPLETE,
            details=ResponseDetails(agency_id=agency.pk, role_id=role.pk if role else None),
            channel=channel,
        )


@pytest.fixture
def fernhill(partnership, council, police):
    council.workforce = 10
    council.save()
    police.workforce = 20
    police.save()
    schools = Agency.objects.create(partnership=partnership, code="EDU", name="Fernhill Schools")
    health = Agency.objects.create(partnership=partnership, code="HLT", name="Fernhill Health")
    return {"FHC": council, "POL": police, "EDU": schools, "HLT": health}


@pytest.fixture
def answered(survey, survey_tool, fernhill, social_worker, teacher):
    agencies = fernhill
    _invite(survey, agencies["POL"], social_worker, 6)
    _invite(survey, agencies["POL"], None, 4)
    _invite(survey, agencies["EDU"], teacher, 6)
    _invite(survey, agencies["EDU"], None, 2)
    _invite(survey, agencies["HLT"], social_worker, 6)
    _invite(survey, agencies["HLT"], None, 4)
    _answer(survey_tool, agencies["POL"], social_worker, 3)
    _answer(survey_tool, agencies["POL"], teacher, 4)
    _answer(survey_tool, agencies["EDU"], teacher, 1)
    _answer(survey_tool, agencies["EDU"], None, 1)
    _answer(survey_tool, agencies["HLT"], social_worker, 3)
    _answer(survey_tool, agencies["HLT"], None, 3, channel=Response.Channel.WORKBOOK)
    _answer(survey_tool, agencies["HLT"], None, 3)
    _answer(survey_tool, agencies["HLT"], None, 1, draft=True)
    return survey_tool


EXPECTED = {
    "instrument": "PS",
    "invited": 28,
    "started": 19,
    "submitted": 18,
    "agencies": {
        "EDU": {"suppressed": True},
        "FHC": {"invited": 0, "submitted": 0, "workforce": 10, "rate": 0.0},
        "HLT": {"invited": 10, "submitted": 9, "rate": 90.0},
        "POL": {"suppressed": True},
    },
    "roles": {
        "SW": {"invited": 12, "submitted": 6, "rate": 50.0},
        "TCH": {"invited": 6, "submitted": 5, "rate": 83.3},
    },
}


def test_hand_worked_rates_with_primary_and_secondary_suppression(answered):
    assert instrument_rates(instrument=answered).as_json() == EXPECTED


def test_unsuppressed_counts_are_the_raw_ones(answered):
    rates = response_rates(instrument=answered)
    assert {c.code: (c.invited, c.submitted, c.workforce) for c in rates.agencies} == {
        "FHC": (0, 0, 10),
        "POL": (10, 7, 20),
        "EDU": (8, 2, None),
        "HLT": (10, 9, None),
    }


def test_workforce_is_the_base_for_practitioner_surveys_only(board_tool, board_survey, police):
    police.workforce = 200
    police.save()
    _invite(board_survey, police, None, 8)
    _answer(board_tool, police, None, 6)
    rates = instrument_rates(instrument=board_tool).as_json()
    assert rates["agencies"] == {"POL": {"invited": 8, "submitted": 6, "rate": 75.0}}


def test_the_number_of_queries_does_not_grow_with_the_returns(survey, survey_tool, fernhill):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            instrument_rates(instrument=survey_tool)
        return len(queries)

    _invite(survey, fernhill["POL"], None, 3)
    _answer(survey_tool, fernhill["POL"], None, 2)
    few = count()
    _invite(survey, fernhill["EDU"], None, 30)
    _answer(survey_tool, fernhill["EDU"], None, 20)
    _answer(survey_tool, fernhill["HLT"], None, 20)
    assert count() == few <= 8


def test_command_prints_the_json_of_cli_md(answered):
    out = StringIO()
    call_command("response_rates", SLUG, "PS", "--json", stdout=out)
    assert json.loads(out.getvalue()) == EXPECTED


def test_command_table_says_what_is_suppressed(answered):
    out = StringIO()
    call_command("response_rates", SLUG, "PS", stdout=out)
    text = out.getvalue()
    assert "invited 28, started 19, submitted 18" in text
    assert "EDU        fewer than 5 submitted" in text
    assert "HLT        invited 10, submitted 9, rate 90.0%" in text
    assert "7" not in text.split("By agency:")[1].split("By role:")[0]  # POL's 7 is hidden


def test_command_names_the_survey_instruments_for_an_unknown_code(survey_tool):
    with pytest.raises(CommandError, match=r"no instrument 'NOPE'.*survey instruments are: PS"):
        call_command("response_rates", SLUG, "NOPE", "--json")
    with pytest.raises(CommandError, match="There is no scrutiny 'nope'"):
        call_command("response_rates", "nope", "PS")


def test_page_shows_the_chart_and_table_with_small_cells_suppressed(answered, scrutineer):
    page = client_for(scrutineer).get(reverse("survey-rates", args=[SLUG, "PS"]))
    assert page.status_code == 200
    text = page.text
    assert 'class="bar-chart" aria-hidden="true"' in text and "<caption id=" in text
    assert "Fernhill Health (HLT)" in text and "90.0%" in text
    assert text.count("Fewer than 5 submitted") == 2  # EDU and POL
    assert "35.0" not in text and "25.0" not in text


def test_page_is_not_found_for_those_who_do_not_run_surveys(answered, auditor_police, board_member):
    url = reverse("survey-rates", args=[SLUG, "PS"])
    assert client_for(auditor_police).get(url).status_code == 404
    assert client_for(board_member).get(url).status_code == 404


def test_the_event_packs_method_gives_each_questionnaires_returns_and_rate(answered):
    from scrutiny.packs.data import pack_data

    method = dict(pack_data(scrutiny=answered.scrutiny).method)
    # 18 of 28 invited. Not "7 of the 30 practitioners of FHC and POL": with FHC's 0 shown,
    # that would give away POL's 7, which the rates suppress.
    assert method["Practitioner survey"] == "18 submitted of 28 invited (64.3%)"
