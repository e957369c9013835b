"""Small numbers, tried as a reader of the pack and the API would (SCORING.md §9, issue 12).

The attack: one practitioner is the only Police officer in the South who is a team manager.
Agency, area and role are each common (Police 12, South 11, team managers 6), so suppressing
them one field at a time showed all three on that row, with the day and the comment. And a
board questionnaire, answered by name, showed that 3 members chose "Good".

Here: no row of any response sheet, and no comment's label, shows a combination of agency,
area, role and day that fewer than the threshold (5) of rows show; the board questionnaire's
3 reads "fewer than 5" in the API, the workspace page and both files of the pack.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from celery import current_app as celery_app
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.models import Agency, Area, PractitionerRole, Response, Scrutiny
from tests.conftest import client_for
from tests.scrutiny.test_scoring_builders import Q, make_instrument, make_scrutiny

pytestmark = pytest.mark.django_db
SLUG = "small-numbers"
TARGET = "Only I manage the South's Police team and I raised this twice."


def _day(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC)


@pytest.fixture
def scrutiny(partnership) -> Scrutiny:
    scrutiny = make_scrutiny(partnership, slug=SLUG, agencies=["POL", "EDU"], areas=["NTH", "STH"])
    roles = {
        code: PractitionerRole.objects.create(partnership=partnership, code=code, name=code)
        for code in ("SW", "TM")
    }
    agencies = dict(Agency.objects.filter(partnership=partnership).values_list("code", "pk"))
    areas = dict(Area.objects.filter(partnership=partnership).values_list("code", "pk"))
    survey = make_instrument(
        scrutiny,
        code="PS",
        kind="practitioner_survey",
        questions=[Q("P1"), Q("C1", options="", factors="", type="text")],
    )
    board = make_instrument(scrutiny, code="BQ", kind="board_questionnaire", questions=[Q("B1")])

    def submit(compiled, values, agency=None, area=None, role=None, day=2):
        response_submit(
            compiled=compiled,
            values=values,
            details=ResponseDetails(
                agency_id=agencies.get(agency),
                area_id=areas.get(area),
                role_id=roles[role].pk if role else None,
                submitted_at=_day(day),
            ),
            channel=Response.Channel.WORKBOOK,
        )

    for _ in range(6):
        submit(survey, {"P1": "4"}, "POL", "NTH", "SW", 2)
    for _ in range(5):
        submit(survey, {"P1": "3"}, "EDU", "STH", "TM", 2)
    for _ in range(5):
        submit(survey, {"P1": "3"}, "POL", "STH", "SW", 3)
    submit(survey, {"P1": "1", "C1": TARGET}, "POL", "STH", "TM", 4)  # unique on all three
    for grade in ["3"] * 3 + ["4"] * 6:
        submit(board, {"B1": grade})
    return scrutiny


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _pack_through_the_api(
    scrutineer, monkeypatch, settings, tmp_path, capture
) -> tuple[bytes, bytes]:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.MEDIA_ROOT = tmp_path
    client = _api(scrutineer)
    with capture(execute=True):
        started = client.post(reverse("api-workspace-packs", args=[SLUG]))
    pack = client.get(reverse("api-workspace-pack", args=[SLUG, started.json()["id"]])).json()
    assert pack["status"] == "done"
    files = [b"".join(client.get(pack[kind]).streaming_content) for kind in ("xlsx", "pdf")]
    return files[0], files[1]


def test_no_row_shows_a_combination_fewer_than_five_rows_show(
    scrutiny, scrutineer, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    xlsx, _ = _pack_through_the_api(
        scrutineer, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
    )
    workbook = load_workbook(io.BytesIO(xlsx), read_only=True)
    # The responses in words for people, and the same rows in codes for analysts: both hide alike.
    for prefix in ("Responses ", "Codes "):
        sheets = [name for name in workbook.sheetnames if name.startswith(prefix)]
        assert sheets == [f"{prefix}BQ", f"{prefix}PS"]
        for name in sheets:
            rows = list(workbook[name].iter_rows(values_only=True))
            assert [str(h).lower() for h in rows[0][2:6]] == ["agency", "area", "role", "submitted"]
            shown = Counter(tuple(row[2:6]) for row in rows[1:])
            assert sum(shown.values()) == len(rows) - 1
            small = {combination: n for combination, n in shown.items() if n < 5}
            assert small == {}, (name, small)
    in_words = list(workbook["Responses PS"].iter_rows(values_only=True))
    assert next(row for row in in_words if TARGET in row)[2:6] == (None, None, None, None)
    survey_rows = list(workbook["Codes PS"].iter_rows(values_only=True))
    target = next(row for row in survey_rows if TARGET in row)
    # The agency, area and role that single the writer out are gone, and so is the day.
    assert target[2:6] == (None, None, None, None)
    assert not any(row[2:5] == ("POL", "STH", "TM") for row in survey_rows)
    # The six-strong POL NTH SW rows keep what they share: the blanking is no wider than needed.
    assert shown_count(survey_rows, ("POL", "NTH", "SW")) == 6


def shown_count(rows, combination) -> int:
    return sum(1 for row in rows if row[2:5] == combination)


def test_a_comment_is_not_labelled_with_what_its_row_hides(scrutiny, scrutineer):
    evidence = _api(scrutineer).get(reverse("api-workspace-evidence", args=[SLUG, "SF1"])).json()
    # Police (12) and South (11) are both shown in the factor's breakdowns...
    assert not any(c["suppressed"] for c in evidence["agencies"] + evidence["areas"])
    labels = {c["text"]: c["label"] for c in evidence["comments"]}
    # ...but together, on this comment, they would name its writer.
    assert labels[TARGET] == ""


def test_a_board_questionnaires_three_reads_fewer_than_five_everywhere(
    scrutiny,
    scrutineer,
    board_member,
    monkeypatch,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    # The API's distributions.
    rows = _api(board_member).get(reverse("api-instrument-distributions", args=[SLUG, "BQ"]))
    assert rows.status_code == 200
    options = {o["value"]: (o["count"], o["suppressed"]) for o in rows.json()[0]["options"]}
    # 3 is below 5; 6, the next smallest chosen, goes with it so that 9 - 6 does not give it.
    # And B1 is the board's only question on SF1: the board's score for SF1, 88.9 from 9, with
    # the other grades' zeros would give 6 and 3 back, so those read "fewer than 5" too.
    assert options["3"] == (None, True) and options["4"] == (None, True)
    assert options["2"] == (None, True)
    assert rows.json()[0]["answered"] == 9

    # The workspace's evidence, through the API and on the page.
    evidence = _api(scrutineer).get(reverse("api-workspace-evidence", args=[SLUG, "SF1"])).json()
    board = next(q for q in evidence["questions"] if q["instrument"] == "BQ")
    assert {o["value"]: o["count"] for o in board["options"]}["3"] is None
    page = client_for(scrutineer).get(reverse("workspace-factor", args=[SLUG, "SF1"])).text
    good = page.split('<th scope="row">Good</th>')
    # The practitioner survey (17 responses, fewer than 20) is protected too: every "Good"
    # on the page reads "fewer than 5" or a count of at least 5.
    assert len(good) == 3
    for after in good[1:]:
        cell = after.split("</td>")[0]
        assert cell == "<td>fewer than 5" or int(cell.removeprefix("<td>")) >= 5, cell

    # Both files of the pack.
    xlsx, pdf = _pack_through_the_api(
        scrutineer, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
    )
    workbook = load_workbook(io.BytesIO(xlsx), read_only=True)
    header, *lines = list(workbook["Distributions"].iter_rows(values_only=True))
    column = header.index("Responses")
    counts = {(line[1], line[5]): line[column] for line in lines if line[1] in ("BQ", "PS")}
    assert counts[("BQ", "3")] == "fewer than 5"
    for value in counts.values():
        assert value in (0, "fewer than 5") or value >= 5, counts
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "fewer than 5" in text

    # Scores and n are unaffected: the factor still counts every response.
    assert evidence["factor"]["n"] == 17 + 9


def test_the_packs_method_hides_an_areas_few_case_files(scrutiny):
    from scrutiny.packs.data import pack_data

    audit = make_instrument(scrutiny, code="CFA", kind="file_audit", questions=[Q("A1")])
    areas = dict(Area.objects.values_list("code", "pk"))
    for i, area in enumerate(["NTH"] * 6 + ["STH"] * 2):
        response_submit(
            compiled=audit,
            values={"A1": "3"},
            details=ResponseDetails(area_id=areas[area], case_ref=f"CF-{i:03}"),
            channel=Response.Channel.WORKBOOK,
        )
    method = dict(pack_data(scrutiny=scrutiny).method)
    names = dict(Area.objects.values_list("code", "name"))
    # The South's 2 read "fewer than 5", and the North's 6 with them, or 8 - 6 gives it away.
    assert method["Instrument CFA"] == (
        f"8 audits of 8 case files ({names['NTH']}: fewer than 5; {names['STH']}: fewer than 5)"
    )


def test_a_drafted_finding_names_no_question_whose_counts_are_hidden(scrutiny):
    """The board's 3 and 6 are both hidden where counts are shown: a drafted finding naming
    "BQ B1 (…, n 9)" with its score would give them back. So would the survey's P1 ("74.5, n
    17" beside 6, 10 and 1, of which the 6 and the 1 are hidden): a question is named only
    where none of its counts is hidden."""
    from scrutiny.findings import findings_drafted

    drafts = findings_drafted(scrutiny=scrutiny)
    text = "\n".join(finding.drafted for finding in drafts)
    assert "Strongest question" not in text
    assert "BQ B1" not in text and "PS P1" not in text
