"""Values that no question, weight or parser can take: numbers too large for the answers table,
a JSON object where text is asked for, weights and points that are infinite (or not a number),
and JSON nested deeper than Python reads. Each is refused with a message a person can act on,
and nothing is stored (the house rule)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework import parsers

from scrutiny.errors import ApplicationError
from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Answer, FactorLink, Option, Response
from scrutiny.scoring import scrutiny_scores
from scrutiny.workbooks import instrument_from_workbook, instrument_import
from surveys.models import Invitation
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import tool as tool
from tests.conftest import client_for
from tests.scrutiny.test_workbooks_instruments import OPTIONS, QUESTIONS_HEADER, SETTINGS
from tests.scrutiny.test_workbooks_support import xlsx
from tests.surveys.conftest import COMPLETE, make_invitation

pytestmark = pytest.mark.django_db

RANGE = "from -999,999,999,999.999 to 999,999,999,999.999"


def _client(user) -> Client:
    client = client_for(user)
    client.raise_request_exception = False
    return client


def _open_submit(survey, body: dict | bytes):
    client = Client(raise_request_exception=False)
    url = reverse("api-survey-open-submit", args=[survey.public_key])
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def _responses_file(tmp_path, q4) -> str:
    path = tmp_path / "responses.xlsx"
    rows = [["ref", "agency", "Q1", "Q4"], ["R1", "FHC", "no", q4]]
    path.write_bytes(xlsx({"responses": rows}).getvalue())
    return str(path)


# ---------------------------------------------------------------------------------------------
# Numbers the answers table cannot hold: Answer.number keeps 12 digits before the point, 6 after,
# and SQLite reads it back with 15 significant digits (so 3 decimals at the top).


@pytest.mark.parametrize("number", ["1e30", "12345678901234567890", "-1e25", 1e30])
def test_a_number_too_large_to_store_is_refused_through_the_open_link(survey, council, number):
    answer = _open_submit(survey, {"agency": council.code, "answers": {**COMPLETE, "Q4": number}})
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"]["Q4"] == f"{number!r} is too large: give a number {RANGE}"
    assert not Response.objects.exists()


@pytest.mark.parametrize("more", ["1000000000000", "999999999999.9999", "-999999999999.9995"])
def test_the_largest_number_the_table_reads_back_is_kept_and_more_is_refused(
    survey, council, business_unit, more
):
    most = "999999999999.999"
    kept = _open_submit(survey, {"agency": council.code, "answers": {**COMPLETE, "Q4": most}})
    assert kept.status_code == 201, kept.content
    assert Answer.objects.get(number__isnull=False).number == Decimal(most)
    url = reverse("api-instrument-responses", args=[survey.scrutiny.slug, "PS"])
    assert _client(business_unit).get(url).status_code == 200  # and it reads back
    refused = _open_submit(survey, {"agency": council.code, "answers": {**COMPLETE, "Q4": more}})
    assert refused.status_code == 400
    assert refused.json()["errors"]["Q4"] == f"{more!r} is too large: give a number {RANGE}"
    assert Response.objects.count() == 1


def test_the_web_form_refuses_a_number_the_table_cannot_read_back(survey, council):
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    browser = Client()
    browser.get(reverse("survey-invitation", args=[token]))
    first = reverse("survey-invited-step", args=[survey.pk, "0"])
    browser.post(first, {"0-Q1": "yes", "0-Q2": "A plan"})
    invitation.refresh_from_db()
    before = invitation.draft_values
    second = reverse("survey-invited-step", args=[survey.pk, "1"])
    page = browser.post(second, {"1-Q4": "999999999999.9999", "1-Q6": "3", "action": "later"})
    assert page.status_code == 200
    assert "There is a problem" in page.text
    invitation.refresh_from_db()
    assert invitation.draft_values == before and "Q4" not in before


def test_more_decimal_places_than_the_table_holds_are_refused_as_the_web_form_refuses(
    survey, council
):
    body = {"agency": council.code, "answers": {**COMPLETE, "Q4": "2.1234567"}}
    answer = _open_submit(survey, body)
    assert answer.status_code == 400
    assert answer.json()["errors"]["Q4"] == (
        "'2.1234567' has more than 6 decimal places: round it to 6 or fewer"
    )
    assert not Response.objects.exists()
    # Zeros at the end are not decimal places that change anything.
    body["answers"]["Q4"] = "2.5000000"
    assert _open_submit(survey, body).status_code == 201
    assert Answer.objects.get(number__isnull=False).number == 2.5


def test_the_invitation_api_refuses_a_number_too_large_and_keeps_the_link(survey, council):
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    url = reverse("api-survey-invitation-submit")
    body = {"token": token, "answers": {**COMPLETE, "Q4": "1e30"}}
    answer = Client().post(url, body, content_type="application/json")
    assert answer.status_code == 400 and "Q4" in answer.json()["errors"]
    assert not Response.objects.exists() and not Invitation.objects.get().answered


def test_an_audit_draft_with_a_number_too_large_is_a_400_and_changes_nothing(
    council_audit, auditor_council
):
    url = reverse("api-audit-draft", args=[council_audit.pk])
    body = {"values": {"Q1": "no", "Q4": "-1e25"}, "revision": 0}
    answer = _client(auditor_council).put(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"]["Q4"] == f"'-1e25' is too large: give a number {RANGE}"
    council_audit.refresh_from_db()
    assert (council_audit.revision, council_audit.response) == (0, None)


@pytest.mark.parametrize(
    ("cell", "message"), [(1e30, "is too large"), (0.1234567, "has more than 6 decimal places")]
)
def test_a_responses_workbook_with_a_number_the_table_cannot_hold_is_refused(
    tmp_path, survey_tool, council, cell, message
):
    with pytest.raises(CommandError, match="row 2") as error:
        call_command(
            "import_responses", "learning-2025", "PS", _responses_file(tmp_path, cell),
            stdout=StringIO(),
        )  # fmt: skip
    assert message in str(error.value)
    assert not Response.objects.exists()


# ---------------------------------------------------------------------------------------------
# A value of a kind its question cannot take.


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("Q7", {"a": {"b": 1}}, "Q7 takes text, not an object"),
        ("Q7", ["a", "b"], "Q7 takes text, not a list"),
        ("Q7", True, "Q7 takes text, not true or false"),
        ("Q4", [3], "Q4 takes a number, not a list"),
        ("Q6", {"3": 1}, "Q6 takes one of its option values, not an object"),
        (
            "Q3",
            [{"briefing": 1}],
            "Q3 takes a list of its option values (or one text, separated by ;), not an object",
        ),
    ],
)
def test_a_value_its_question_cannot_take_is_refused_not_stored_as_python(
    survey, council, code, value, message
):
    answer = _open_submit(survey, {"agency": council.code, "answers": {**COMPLETE, code: value}})
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"][code] == message
    assert not Response.objects.exists()


def test_an_object_is_refused_where_numbers_and_lists_a_question_takes_are_taken(survey, council):
    answers = {**COMPLETE, "Q3": ["briefing", "training"], "Q4": 12, "Q6": 3, "Q7": {"a": 1}}
    refused = _open_submit(survey, {"agency": council.code, "answers": answers})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"Q7"}
    answers["Q7"] = 42  # a number is text enough
    assert _open_submit(survey, {"agency": council.code, "answers": answers}).status_code == 201
    assert Answer.objects.filter(text="42").exists()


# ---------------------------------------------------------------------------------------------
# JSON nested deeper than Python's reader recurses.


def test_deeply_nested_json_to_the_open_link_is_a_400_saying_so(survey):
    answer = _open_submit(survey, b"[" * 100_000)
    assert answer.status_code == 400
    assert "nested too deeply" in answer.json()["detail"]
    assert not Response.objects.exists()


def test_deeply_nested_json_is_a_400_where_the_default_parsers_read_it(survey):
    client = Client(raise_request_exception=False)
    for url in (reverse("api-token"), reverse("api-survey-invitation-submit")):
        answer = client.post(url, b'{"a": ' * 50_000, content_type="application/json")
        assert answer.status_code == 400, url


def _views(patterns) -> list[type]:
    found: list[type] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None:
                found.append(view)
    return found


def test_no_api_view_reads_json_with_the_parser_that_recurses_unguarded():
    views = _views(get_resolver().url_patterns)
    assert len(views) > 20
    unguarded = [v.__name__ for v in views if parsers.JSONParser in v.parser_classes]
    assert unguarded == []


# ---------------------------------------------------------------------------------------------
# Weights and points that are infinite, not a number, or past what scoring sums safely.


def _instrument_workbook(points, factors) -> object:
    options = [OPTIONS[0], ["grade", 4, "Outstanding", points], ["grade", 1, "Inadequate", 0]]
    question = ["Page", "Q1", "single", "How good?", "grade", "yes", factors, None, None]
    return xlsx(
        {"settings": SETTINGS, "questions": [QUESTIONS_HEADER, question], "options": options}
    )


@pytest.mark.parametrize(
    ("points", "factors", "message"),
    [
        ("1e400", "SF1", "points '1e400' is not a number"),
        (4, "SF1:inf", "the weight of SF1 is 'inf', not a number"),
        (4, "SF1:1e400", "the weight of SF1 is '1e400', not a number"),
        (4, "SF1:nan", "the weight of SF1 is 'nan', not a number"),
        (4, "SF1:2e6", "the weight of SF1 is '2e6', too large: use a number up to 1,000,000"),
        (-2e6, "SF1", "points '-2000000' is too small: use a number down to -1,000,000"),
    ],
)
def test_an_instrument_workbook_with_a_weight_or_points_past_bounds_is_refused(
    survey_scrutiny, points, factors, message
):
    with pytest.raises(ApplicationError) as error:
        instrument_import(scrutiny=survey_scrutiny, file=_instrument_workbook(points, factors))
    assert any(message in e for e in error.value.extra["errors"]), error.value.extra
    assert not FactorLink.objects.exists()


def _xlsform(points, factors) -> object:
    return xlsx(
        {
            "survey": [
                ["type", "name", "label", "required", "factors"],
                ["select_one grade", "Q1", "How good?", "yes", factors],
            ],
            "choices": [
                ["list_name", "name", "label", "points"],
                ["grade", "good", "Good", points],
                ["grade", "poor", "Poor", 0],
            ],
            "settings": [["form_title", "form_id", "kind"], ["Form", "F1", "file_audit"]],
        }
    )


@pytest.mark.parametrize(
    ("points", "factors", "message"),
    [
        (4, "SF1:inf", "the weight of SF1 is 'inf', not a number"),
        ("1e400", "SF1", "points '1e400' is not a number"),
    ],
)
def test_an_xlsform_with_an_infinite_weight_or_points_is_refused(points, factors, message):
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(_xlsform(points, factors))
    assert any(message in e for e in error.value.extra["errors"]), error.value.extra


@pytest.mark.parametrize("points", ["inf", "nan", "1e400", "-infinity", "2e6"])
def test_the_option_list_editor_refuses_points_past_bounds(survey_tool, scrutineer, points):
    url = reverse("instrument-list", args=[survey_tool.scrutiny.slug, survey_tool.pk])
    lines = f"4 | Outstanding | {points}\n3 | Good | 3\n2 | Fair | 2\n1 | Poor | 1"
    answer = _client(scrutineer).post(url + "?name=grade", {"name": "grade", "option_lines": lines})
    assert answer.status_code == 200  # the form again, with its error
    assert f"Line 1: points &#x27;{points}&#x27; is " in answer.text
    grade = list(Option.objects.filter(option_list__name="grade").values_list("points", flat=True))
    # Unchanged: 4, 3, 2, 1 and the unscored "Not applicable".
    assert sorted(p for p in grade if p is not None) == [1.0, 2.0, 3.0, 4.0]
    assert grade.count(None) == 1


def _question_edit(client, survey_tool, factors: str):
    url = reverse("instrument-question", args=[survey_tool.scrutiny.slug, survey_tool.pk])
    form = client.get(url + "?code=Q6").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    return client.post(url + "?code=Q6", {**data, "factors": factors})


def _submit_grades(survey_tool, council, grades) -> None:
    compiled = version_compile(instrument_current_version(survey_tool))
    for grade in grades:
        response_submit(
            compiled=compiled,
            values={**COMPLETE, "Q6": grade},
            details=ResponseDetails(agency_id=council.pk),
            channel=Response.Channel.WORKBOOK,
        )


def test_the_question_editor_refuses_an_infinite_weight_and_the_scores_stand(
    survey_tool, scrutineer, council
):
    client = _client(scrutineer)
    answer = _question_edit(client, survey_tool, "SF1:inf")
    assert answer.status_code == 200  # the form again, with its error
    assert "the weight of SF1 is &#x27;inf&#x27;, not a number" in answer.text
    assert list(FactorLink.objects.values_list("weight", flat=True)) == [2.0]
    # Worked by hand: Q6 alone counts for SF1 (weight 2). Grades 4, 1, 4, 1, 4, 1 on a scale
    # of 1 to 4 score 1, 0, 1, 0, 1, 0; each response's s(r, SF1) = 2·s / 2 = s; their mean
    # is 3/6 = 0.5, shown as 50.0, from n = 6 (at least the minimum of 5): Some evidence.
    _submit_grades(survey_tool, council, ["4", "1", "4", "1", "4", "1"])
    sf1 = scrutiny_scores(scrutiny=survey_tool.scrutiny).factor("SF1")
    assert (sf1.score, sf1.display, sf1.n) == (0.5, 50.0, 6)
    page = client.get(reverse("workspace", args=[survey_tool.scrutiny.slug]))
    assert page.status_code == 200


def test_the_largest_weight_is_taken_and_one_more_is_refused(survey_tool, scrutineer):
    client = _client(scrutineer)
    refused = _question_edit(client, survey_tool, "SF1:1000001")
    assert refused.status_code == 200
    assert "too large: use a number up to 1,000,000" in refused.text
    assert list(FactorLink.objects.values_list("weight", flat=True)) == [2.0]
    assert _question_edit(client, survey_tool, "SF1:1000000").status_code == 302
    assert list(FactorLink.objects.values_list("weight", flat=True)) == [1_000_000.0]
