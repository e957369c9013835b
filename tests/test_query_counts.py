"""Query counts pinned where the pages and builders read most (issue 13): the event pack's data,
the plan's selectors, answering a survey page (a personal link and the open link, and the
submit) and a page of the audit wizard.

Each test counts the queries with a little data, adds more (three times the responses, the
actions, the questions answered), counts again, and asserts that the counts are equal (they do
not grow with the data) and no more than the number pinned here. A change that adds a query to
one of these paths changes its number here, on purpose, in review. The numbers are SQLite's and
PostgreSQL's alike (savepoints and locks included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits import completion
from audits.models import Assignment
from scrutiny import findings
from scrutiny import plan as actions
from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Action, Brag, Instrument, Priority, Response, Scrutiny
from scrutiny.packs.data import pack_data
from scrutiny.scorecard import factor_comments
from surveys.models import Survey
from tests.audits.builders_completion import CASE_REFS, assign, make_sample, wizard_data
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import eager_tasks as eager_tasks
from tests.audits.builders_completion import tool as tool
from tests.conftest import client_for
from tests.scrutiny.test_actions import earlier as earlier
from tests.scrutiny.test_actions import signed as signed
from tests.scrutiny.test_workspace import scrutiny as scrutiny
from tests.surveys.conftest import make_invitation
from tests.surveys.conftest import social_worker as social_worker
from tests.surveys.conftest import survey as survey
from tests.surveys.conftest import survey_scrutiny as survey_scrutiny
from tests.surveys.conftest import survey_tool as survey_tool

pytestmark = pytest.mark.django_db

# The most queries each may take.
SURVEY_PAGES = {
    # 10 before a version's compilation was kept by the process (version_compile), 6 before
    # its page forms were (pinned at 6, 11, 10, 6, 3 and 14 until 2026-12-07)
    "show a page": 2,
    "save a page": 7,  # 19 when the page's version was compiled again to save it
    "save the last page": 6,
    "show a page answered": 2,
    "check": 2,
    "submit": 8,  # 22 when the submit compiled the version a second time; 15 when an anonymous
    # response was written with its exact time and then coarsened to the day
}
OPEN_LINK_PAGES = {name: n + 1 for name, n in SURVEY_PAGES.items()}  # the survey, then the draft
# An anonymous survey's invitation: its keyed draft read apart from it, and inserted on the
# first save (surveys.services.invited_drafts); a named survey's as SURVEY_PAGES.
INVITED_PAGES = {name: n + 1 + (name == "save a page") for name, n in SURVEY_PAGES.items()}
# Each with the audit trail's one insert (a case file's page viewed or changed: scrutiny.trail)
# and the auditor's second factor read back from the session (django-otp's device).
AUDIT_PAGES = {
    # The assignment's query joins its draft response and the sample's audit tool: 7, 19, 22,
    # 8, 8 and 25 before.
    "show a page": 6,  # 15 before a version's compilation was kept by the process
    # 30 when the page's version was compiled again to save it; 16 when the draft was written
    # inside a savepoint of the audit's transaction (two statements more). A first save reads
    # the current version again under its lock (a version nobody answered may be replaced).
    "save a page": 14,
    # 21 when a save deleted every stored answer and wrote them all again (with the delete's
    # cascades to quotes and disclosure reviews); now only the answers that changed. The page's
    # read brings the version its draft answers: 18 and 17 before; 17 when the draft was locked
    # apart from its assignment and written inside a savepoint.
    "save the last page": 14,
    "show a page answered": 6,
    "check": 6,
    # 32 when the submit compiled the version a second time, 24 when it wrote every answer
    # again, 20 when it read the draft before its lock as well as under it, 19 when it read
    # the draft's version apart, 18 when the draft was locked apart and written inside a
    # savepoint; 15 when the draft's answers were read twice under the lock, for their values
    # and to be compared (`answers_stored`). Two of the 14 lock the case file and then read its
    # moderation (`moderation_case_locked`), so that an audit arriving after moderation never
    # counts twice (13 on SQLite, whose one writer needs no row lock).
    "submit": 14,
}
# 4 of them evidence stamps (scrutiny/kept.py), read outside a request; 2 the quotes' labels as
# they stand now (QuoteLabels: the quoted answers and the rows' labels).
PACK_DATA = 55
PLAN_READS = {
    "actions shown": 10,
    "priority counts": 2,
    "priority outcomes": 5,
    "plan rows": 4,
    "delivery plan": 4,
    "actions to flag": 1,
}


def captured(call: Callable[[], Any]) -> list[str]:
    """The SQL that `call` runs, with nothing kept (scrutiny/kept.py): the most it takes."""
    caches["evidence"].clear()
    with CaptureQueriesContext(connection) as queries:
        call()
    return [query["sql"] for query in queries.captured_queries]


def count(call: Callable[[], Any]) -> int:
    return len(captured(call))


def compiles(sql: list[str]) -> int:
    """How many times an instrument version was compiled: `version_compile` reads a version's
    sections once, and nothing else on these pages reads them."""
    return sum(1 for query in sql if query.startswith('SELECT "scrutiny_section".'))


def assert_flat(few: Mapping[str, int], many: Mapping[str, int], most: Mapping[str, int]) -> None:
    assert many == few, f"the queries grew with the data: {few} then {many}"
    over = {name: n for name, n in many.items() if n > most[name]}
    assert not over, f"more queries than pinned: {over}; pinned {dict(most)}"


def submit_one(instrument: Instrument, agency_id: int, values: dict[str, Any]) -> Response:
    """Another respondent's response, written as every channel writes one."""
    return response_submit(
        compiled=version_compile(instrument_current_version(instrument)),
        values=values,
        details=ResponseDetails(agency_id=agency_id),
        channel=Response.Channel.WORKBOOK,
    )


def _status(response: Any, status: int) -> None:
    assert response.status_code == status, (response.status_code, response.content[:300])


# ---------------------------------------------------------------------------------------------
# Answering a survey: a page shown, a page saved, the check page and the submit

FIRST_PAGE = {"0-Q1": "yes", "0-Q2": "A plan was made", "action": "continue"}
FEW_ANSWERS = {"1-Q6": "3", "action": "continue"}
MANY_ANSWERS = {
    "1-Q3": ["briefing", "training", "supervision"],
    "1-Q4": "3",
    "1-Q5": "2025-03-27",
    "1-Q6": "3",
    "1-Q7": "Briefings landed well.",
    "action": "continue",
}
OTHERS = {"Q1": "yes", "Q2": "A plan", "Q6": "4"}

Step = Callable[[str], str]


def answering(client: Client, url: Step, last_page: dict) -> dict[str, list[str]]:
    """The SQL of each request of one respondent, from the first page to the submit."""
    return {
        "show a page": captured(lambda: _status(client.get(url("0")), 200)),
        "save a page": captured(lambda: _status(client.post(url("0"), FIRST_PAGE), 302)),
        "save the last page": captured(lambda: _status(client.post(url("1"), last_page), 302)),
        "show a page answered": captured(lambda: _status(client.get(url("1")), 200)),
        "check": captured(lambda: _status(client.get(url("check")), 200)),
        "submit": captured(lambda: _status(client.post(url("check"), {"action": "submit"}), 302)),
    }


def invited(survey: Survey, email: str, agency) -> tuple[Client, Step]:
    """A respondent who has opened their personal link (the token swapped for a cookie)."""
    _, token = make_invitation(survey, email, agency)
    client = Client()
    _status(client.get(reverse("survey-invitation", args=[token])), 302)
    return client, lambda step: reverse("survey-invited-step", args=[survey.pk, step])


def by_open_link(survey: Survey, agency, role) -> tuple[Client, Step]:
    """A respondent who has chosen their agency and role at the open link."""
    client = Client()
    start = reverse("survey-open", args=[survey.public_key])
    _status(client.post(start, {"agency": agency.pk, "role": role.pk}), 302)
    return client, lambda step: reverse("survey-open-step", args=[survey.public_key, step])


def assert_answering_flat(
    few: dict[str, list[str]], many: dict[str, list[str]], most: Mapping[str, int]
) -> None:
    counts = {name: len(sql) for name, sql in few.items()}
    assert_flat(counts, {name: len(sql) for name, sql in many.items()}, most)
    # No request compiles the version answered: the page drawn with it is saved and submitted
    # with it (surveys.services.holder_compiled), and this process compiled it already, when the
    # other respondents' answers were stored (scrutiny.instruments.version_compile keeps it).
    assert {name: compiles(sql) for name, sql in many.items()} == dict.fromkeys(most, 0)


def test_answering_by_a_personal_link(survey, council, police):
    submit_one(survey.instrument, council.pk, OTHERS)
    few = answering(*invited(survey, "ash@fernhill.invalid", council), FEW_ANSWERS)
    for _ in range(2):
        submit_one(survey.instrument, police.pk, OTHERS)
    many = answering(*invited(survey, "bo@fernhill.invalid", police), MANY_ANSWERS)
    assert survey.anonymous
    assert_answering_flat(few, many, INVITED_PAGES)
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 5


def test_answering_by_the_open_link(survey, council, police, social_worker):
    submit_one(survey.instrument, council.pk, OTHERS)
    few = answering(*by_open_link(survey, council, social_worker), FEW_ANSWERS)
    for _ in range(2):
        submit_one(survey.instrument, police.pk, OTHERS)
    many = answering(*by_open_link(survey, police, social_worker), MANY_ANSWERS)
    assert_answering_flat(few, many, OPEN_LINK_PAGES)
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 5


# ---------------------------------------------------------------------------------------------
# The event pack's data


def pack_evidence(scrutiny: Scrutiny, user, *, quotes: int, notes: int) -> None:
    """Quotes of SF1's comments not yet quoted, and notes from a forum tagged to both factors."""
    factor = scrutiny.factors.get(code="SF1")
    quoted = set(scrutiny.quotes.values_list("answer_id", flat=True))
    comments = factor_comments(scrutiny=scrutiny, factor=factor)
    fresh = [c for c in comments if c.answer_id not in quoted]
    for comment in fresh[:quotes]:
        findings.quote_tag(scrutiny=scrutiny, factor=factor, answer_id=comment.answer_id, user=user)
    for i in range(notes):
        findings.note_record(
            scrutiny=scrutiny,
            kind="practitioner_forum",
            text=f"Said at the forum ({i}).",
            factor_codes=["SF1", "SF2"],
            user=user,
        )


def test_pack_data(scrutiny, scrutineer, council, police):
    pack_evidence(scrutiny, scrutineer, quotes=1, notes=1)  # a note's factors are then read
    pack_data(scrutiny=scrutiny)  # the first build drafts the findings
    few = count(lambda: pack_data(scrutiny=scrutiny))
    survey_tool = scrutiny.instruments.get(code="PS")
    for i in range(30):  # the fixture's 15 responses, three times over
        agency = council if i % 2 else police
        submit_one(survey_tool, agency.pk, {**OTHERS, "Q7": f"Briefing {i} was useful."})
    pack_evidence(scrutiny, scrutineer, quotes=5, notes=2)
    pack_data(scrutiny=scrutiny)
    many = count(lambda: pack_data(scrutiny=scrutiny))
    assert_flat({"pack data": few}, {"pack data": many}, {"pack data": PACK_DATA})


# ---------------------------------------------------------------------------------------------
# The plan's selectors


def plan_reads(partnership, scrutiny: Scrutiny) -> dict[str, int]:
    mine = Action.objects.filter(partnership=partnership)
    priority = Priority.objects.filter(partnership=partnership).order_by("position").first()
    later = timezone.now() + dt.timedelta(days=400)  # every open action overdue and drifting
    return {
        "actions shown": count(lambda: actions.actions_shown(actions.plan_actions(mine))),
        "priority counts": count(
            lambda: actions.priority_counts(Priority.objects.filter(partnership=partnership), mine)
        ),
        "priority outcomes": count(lambda: actions.priority_outcomes(priority, mine)),
        "plan rows": count(lambda: actions.plan_rows(mine)),
        "delivery plan": count(lambda: actions.delivery_plan(scrutiny=scrutiny)),
        "actions to flag": count(lambda: actions.actions_to_flag(now=later)),
    }


def more_actions(scrutiny: Scrutiny, earlier: Scrutiny, user, n: int) -> None:
    """n more actions under the scrutiny's outcome, each with two updates, and n carried from
    the earlier scrutiny."""
    outcome = Action.objects.filter(scrutiny=scrutiny).exclude(outcome=None).first().outcome
    for i in range(n):
        action = Action.objects.create(
            partnership_id=scrutiny.partnership_id,
            scrutiny=scrutiny,
            outcome=outcome,
            factor=scrutiny.factors.get(code="SF1"),
            text=f"More work {i}",
        )
        for note in ("Slipping.", "Back on track."):
            actions.action_update(action=action, status=Brag.AMBER, note=note, user=user)
        Action.objects.create(
            partnership_id=earlier.partnership_id,
            scrutiny=earlier,
            factor=earlier.factors.get(code="SF1" if i % 2 else "SF2"),
            text=f"Earlier work {i}",
            status=Brag.AMBER,
        )
    actions.actions_carry(scrutiny=scrutiny)


def test_the_plans_selectors(signed, earlier, partnership, scrutineer):
    actions.actions_draft(scrutiny=signed)
    more_actions(signed, earlier, scrutineer, 1)
    few = plan_reads(partnership, signed)
    assert Action.objects.count() == 4
    more_actions(signed, earlier, scrutineer, 6)
    many = plan_reads(partnership, signed)
    assert Action.objects.count() == 16
    assert_flat(few, many, PLAN_READS)


# ---------------------------------------------------------------------------------------------
# A page of the audit wizard


AUDIT_FIRST_PAGE = {"Q1": "yes", "Q2": "A child protection plan"}
AUDIT_FEW = {"Q6": "3"}
AUDIT_MANY = {
    "Q3": ["briefing", "training", "supervision"],
    "Q4": "3",
    "Q5": "2025-03-27",
    "Q6": "3",
    "Q7": "Supervision notes were thin.",
}


def auditing(assignment: Assignment, last_page: dict) -> dict[str, int]:
    """The queries of each request of one audit, first page to submit."""
    client = client_for(assignment.auditor)

    def url(step: str) -> str:
        return reverse("audit-complete", args=[assignment.pk, step])

    def post(step: str, answers: dict, revision: int) -> None:
        _status(client.post(url(step), wizard_data(step, answers, revision=revision)), 302)

    return {
        "show a page": count(lambda: _status(client.get(url("0")), 200)),
        "save a page": count(lambda: post("0", AUDIT_FIRST_PAGE, 0)),
        "save the last page": count(lambda: post("1", last_page, 1)),
        "show a page answered": count(lambda: _status(client.get(url("1")), 200)),
        "check": count(lambda: _status(client.get(url("check")), 200)),
        "submit": count(
            lambda: _status(client.post(url("check"), {"revision": "2", "action": "submit"}), 302)
        ),
    }


def audit_done(assignment: Assignment) -> None:
    """Another agency's audit of the case file, saved whole and submitted."""
    saved = completion.audit_save_page(
        assignment=assignment,
        revision=0,
        step="check",
        values={**AUDIT_FIRST_PAGE, **AUDIT_MANY},
        user=assignment.auditor,
    )
    completion.audit_submit(assignment=saved, revision=saved.revision, user=saved.auditor)


@pytest.mark.usefixtures("eager_tasks")
def test_a_page_of_an_audit(
    audit_scrutiny, tool, council, police, auditor_council, auditor_police, area
):
    cases = make_sample(audit_scrutiny, tool, CASE_REFS, area=area)
    audit_done(assign(cases[0], police, auditor_police))
    few = auditing(assign(cases[0], council, auditor_council), AUDIT_FEW)
    for case in cases[1:]:
        audit_done(assign(case, police, auditor_police))
    for i in range(6):
        case = cases[0].sample.cases.create(
            position=len(CASE_REFS) + i, case_ref=f"CF-9{i:03}", group="NTH", area=area
        )
        assign(case, council, auditor_council)
    many = auditing(assign(cases[1], council, auditor_council), AUDIT_MANY)
    assert_flat(few, many, AUDIT_PAGES)
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 5
