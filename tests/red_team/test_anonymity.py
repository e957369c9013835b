"""An anonymous survey's promise, tried as an attacker would: a dozen people of one agency and
role answer by personal link; then every table is dumped (and, against a real gunicorn, its
access log read) and every way of lining the responses up with the people is tried. None may
do better than chance, and nothing stored or logged may join a response to its invitation.

People arrive in order and submit in the same order, the attacker's best case: the order of
submitting is the order the log shows them arriving.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import subprocess
import time
from pathlib import Path
from unittest import mock

import pytest
import requests
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from scrutiny.models import Answer, Response
from scrutiny.packs.data import response_sheets
from surveys.models import Invitation, Survey, token_hash
from surveys.services import answering
from surveys.services.invited_drafts import invitations_answered
from tests.red_team.anonymity import (
    MOST_BY_CHANCE,
    PEOPLE,
    PYTHON,
    answers_of,
    is_midnight,
    lined_up,
    order_attacks,
    person_of,
    subprocess_env,
)
from tests.surveys.conftest import make_invitation

REPO = Path(__file__).resolve().parents[2]


def _step(survey_id: int, step: str) -> str:
    return reverse("survey-invited-step", args=[survey_id, step])


@pytest.mark.django_db
def test_no_statement_ever_writes_an_anonymous_response_s_time_finer_than_the_day(survey, council):
    """An attacker with the database's files or its log of statements reads old row versions
    and statements, not only the rows as they are now: a response written with its exact time
    and then coarsened would leave that time behind. Every statement that writes a response
    carries midnight, and none updates it afterwards."""
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    browser = Client()
    assert browser.get(reverse("survey-invitation", args=[token])).status_code == 302
    browser.post(_step(survey.pk, "0"), {"0-Q1": "yes", "0-Q2": "A plan", "action": "continue"})
    browser.post(_step(survey.pk, "1"), {"1-Q6": "3"})
    with CaptureQueriesContext(connection) as captured:
        assert browser.post(_step(survey.pk, "check"), {"action": "submit"}).status_code == 302
    written = [
        q["sql"]
        for q in captured
        if re.match(r'(INSERT INTO|UPDATE) "scrutiny_response"', q["sql"])
    ]
    assert [sql.split()[0] for sql in written] == ["INSERT"]  # written once, never coarsened
    times = re.findall(r"\d{4}-\d\d-\d\d[ T](\d\d:\d\d:\d\d(?:\.\d+)?)", written[0])
    assert times and set(times) == {"00:00:00"}, times
    assert is_midnight(Response.objects.get().created_at)


def _kept_keys() -> list[str]:
    """Every key of the evidence cache that holds a kept aggregate, as its reader sees them:
    Redis's (CI and production) or the process's own (the embedded default)."""
    cache = caches["evidence"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        return [key.decode() for key in client.scan_iter(match="*:kept:*")]
    return [key for key in cache._cache if ":kept:" in key]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_evidence_caches_keys_do_not_line_anonymous_responses_up_with_people(
    survey, council, social_worker, scrutineer
):
    """Every aggregate the scrutineer's pages keep (scrutiny.kept) is kept under a key that
    changes with the scrutiny's evidence. Were that the evidence stamp itself, which holds the
    sum of the responses' ids, two keys one submission apart would differ by that response's
    random id: whoever reads the shared cache (Redis in production: its keys and their times
    to live) would line the responses up with the people as they arrived. A dozen people
    answer in turn and the scrutineer looks at the scores after each (found in a red-team
    pass of 2026-12-06)."""
    scores = reverse("api-scrutiny-scores", args=[survey.scrutiny.slug])
    reader = APIClient()
    reader.force_authenticate(scrutineer)
    invitations = [
        make_invitation(survey, f"person{i}@fernhill.invalid", council, social_worker)[0]
        for i in range(PEOPLE)
    ]
    for invitation in invitations:
        answering.survey_submit(holder=invitation, values=answers_of(len(invitation.email)))
        assert reader.get(scores).status_code == 200

    keys = _kept_keys()
    assert len(keys) >= PEOPLE  # a key for each state of the evidence the scrutineer saw
    ids = list(Response.objects.values_list("pk", flat=True))
    assert all(pk >= 2**40 for pk in ids)  # random: nothing else orders them
    sums = {sum(ids[:n]) for n in range(1, len(ids) + 1)} | {sum(ids)}
    for key in keys:
        assert not any(str(number) in key for number in [*ids, *sums]), key
        assert "/" not in key.split(":kept:", 1)[1], f"a stamp in plain: {key}"


@pytest.mark.django_db
def test_every_table_dumped_links_no_response_to_its_invitation(survey, council, social_worker):
    people = [
        make_invitation(survey, f"person{i}@fernhill.invalid", council, social_worker)
        for i in range(PEOPLE)
    ]
    browsers = []
    for i, (_, token) in enumerate(people):  # each arrives and answers the first page
        browser = Client()
        assert browser.get(reverse("survey-invitation", args=[token])).status_code == 302
        first = {"0-Q1": "yes", "0-Q2": answers_of(i)["Q2"], "action": "continue"}
        assert browser.post(_step(survey.pk, "0"), first).url == _step(survey.pk, "1")
        browsers.append(browser)
    for browser in browsers:  # ... then each submits, in the same order
        assert browser.post(_step(survey.pk, "1"), {"1-Q6": "3"}).status_code == 302
        assert browser.post(_step(survey.pk, "check"), {"action": "submit"}).status_code == 302

    dump = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
    }
    responses = dump["scrutiny.Response"]
    answers = dump["scrutiny.Answer"]
    assert len(responses) == PEOPLE
    assert all(r["status"] == Response.Status.SUBMITTED for r in responses)
    text_of = {a["response_id"]: a["text"] for a in answers if a["text"]}
    truth = {rid: person_of(text) for rid, text in text_of.items()}  # the test's own knowledge

    # Ordered any way at all, the responses line up with the people no better than chance.
    arrivals = list(range(PEOPLE))
    for attack, order in order_attacks(responses, answers, truth.__getitem__).items():
        assert lined_up(arrivals, order) <= MOST_BY_CHANCE, attack

    # No time finer than the day, on the response or in its answers.
    for row in responses:
        for column in ("submitted_at", "created_at", "updated_at"):
            assert is_midnight(row[column]), column
    assert len({(r["submitted_at"], r["created_at"], r["updated_at"]) for r in responses}) == 1

    # Joined on what they share (agency and role: the invitation keeps no day), every
    # invitation matches all. The invitations hold nothing of the answering; their keyed drafts
    # (surveys.services.invited_drafts) hold only that they were answered, and no day.
    invitations = dump["surveys.Invitation"]
    keyed = [d for d in dump["surveys.OpenDraft"] if d["by_invitation"]]
    assert len(keyed) == PEOPLE and len({d["started_at"] for d in keyed}) == 1
    assert all(d["answered"] and d["used_at"] is None and d["agency_id"] is None for d in keyed)
    for invitation in invitations:
        assert not invitation["answered"] and invitation["used_at"] is None
        assert invitation["started_at"] is None
        assert invitation["response_id"] is None and invitation["draft_values"] == {}
        matches = [
            r
            for r in responses
            if (r["agency_id"], r["role_id"]) == (invitation["agency_id"], invitation["role_id"])
        ]
        assert len(matches) == PEOPLE

    # No other row anywhere holds a response's id, a token, a token's hash or an address.
    response_ids = {r["id"] for r in responses}
    tokens = {token for _, token in people}
    secrets_ = tokens | {token_hash(t) for t in tokens} | {i.email for i, _ in people}
    sessions = [s.get_decoded() for s in Session.objects.all()]
    for label, rows in [*dump.items(), ("sessions decoded", sessions)]:
        for row in rows:
            for column, value in row.items():
                if label == "scrutiny.Answer" and column == "response_id":
                    continue
                text = json.dumps(value, default=str)
                if label != "scrutiny.Response" or column != "id":
                    assert not any(str(rid) in text for rid in response_ids), (label, column)
                if label == "surveys.Invitation" and column in ("token_sha256", "email"):
                    continue
                assert not any(secret in text for secret in secrets_), (label, column)

    # The event pack's response sheet takes the random ids in its stride (on PostgreSQL they
    # once overflowed its shuffle), every response a row, in an order drawn for each pack.
    orders = []
    for _ in range(2):
        (sheet,) = [s for s in response_sheets(survey.scrutiny) if s.instrument == "PS"]
        rows = list(sheet.rows)
        assert len(rows) == PEOPLE
        orders.append([row[sheet.header.index("Q2")] for row in rows])
    assert sorted(orders[0]) == sorted(orders[1])


@pytest.mark.django_db
def test_people_answering_on_different_days_are_not_matched_by_the_day(
    survey, council, social_worker
):
    """The attack: join each invitation's agency, role and the day it was started to each
    response's agency, role and day, as most people start and submit on the same day. The
    invitation keeps no day, so each still matches every response of its agency and role."""
    first = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=first - dt.timedelta(days=30), closes_at=first + dt.timedelta(days=30)
    )
    people = [
        make_invitation(survey, f"person{i}@fernhill.invalid", council, social_worker)[0]
        for i in range(PEOPLE)
    ]
    for day, invitation in enumerate(people):
        with mock.patch("django.utils.timezone.now", return_value=first + dt.timedelta(day)):
            held = answering.survey_save_page(holder=invitation, step="0", values=answers_of(day))
            answering.survey_submit(holder=held)

    assert len({r.submitted_at.date() for r in Response.objects.all()}) == PEOPLE
    invitations = Invitation.objects.select_related("survey")
    assert invitations_answered(invitations) == {i.pk for i in invitations}
    for invitation in invitations:
        assert invitation.started_at is None and invitation.used_at is None
        same = Response.objects.filter(agency=invitation.agency, role=invitation.role)
        assert same.count() == PEOPLE


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # 127.0.0.1 only: no proxy from the environment
    return session


def _csrf(text: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)


def _answer(session: requests.Session, host: str, path: str, i: int) -> requests.Session:
    page = session.get(f"{host}{path}resume/")
    assert page.url.endswith(f"{path}0/"), page.url
    first = {"0-Q1": "yes", "0-Q2": answers_of(i)["Q2"], "action": "continue"}
    page = session.post(page.url, {"csrfmiddlewaretoken": _csrf(page.text), **first})
    assert page.url.endswith(f"{path}1/"), page.url
    return session


def _submit(session: requests.Session, host: str, path: str) -> None:
    page = session.get(f"{host}{path}1/")
    page = session.post(page.url, {"csrfmiddlewaretoken": _csrf(page.text), "1-Q6": "3"})
    assert page.url.endswith(f"{path}check/"), page.url
    done = session.post(page.url, {"csrfmiddlewaretoken": _csrf(page.text), "action": "submit"})
    assert done.url.endswith(f"{path}thanks/") and "Thank you" in done.text


def test_a_real_servers_access_log_and_database_link_no_one(tmp_path):
    """gunicorn as production runs it (its gunicorn.conf.py) on a database of its own, so that
    what it writes and logs can be read back whole, as a database administrator could."""
    database = tmp_path / "survey.sqlite3"
    env = subprocess_env(f"sqlite:///{database}")
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    seeded = json.loads(
        subprocess.run(
            [PYTHON, "-m", "tests.red_team.seed_survey"],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    tokens: list[str] = seeded["tokens"]
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if _browser().get(f"{host}/health/", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        sessions = []
        for i, token in enumerate(tokens):
            session = _browser()
            link = session.get(f"{host}/i/{token}/", allow_redirects=False)
            assert link.status_code == 302 and token not in link.headers["Location"]
            path = link.headers["Location"]
            sessions.append((_answer(session, host, path, i), path))
        for session, path in sessions:
            _submit(session, host, path)
    finally:
        server.terminate()
        server.wait(timeout=20)

    lines = log.read_text().splitlines()
    assert len(lines) > PEOPLE * 6
    # The log holds each token once, in a GET that carries no answers, and no address.
    token_lines = [line for line in lines if any(token in line for token in tokens)]
    assert len(token_lines) == PEOPLE
    assert all('"GET /i/' in line and line.endswith('" 302') for line in token_lines)
    assert not any("127.0.0.1" in line for line in lines)
    arrivals_by_hash = [
        token_hash(next(token for token in tokens if token in line)) for line in token_lines
    ]

    # Every table of the server's database, read as it lies.
    import sqlite3

    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row

        def rows(table: str) -> list[dict]:
            return [dict(row) for row in db.execute(f'SELECT * FROM "{table}"')]  # noqa: S608

        invitations = rows(Invitation._meta.db_table)
        responses = rows(Response._meta.db_table)
        answers = rows(Answer._meta.db_table)
        tables = [
            r["name"] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        everything = {table: rows(table) for table in tables}

    person_by_hash = {
        i["token_sha256"]: int(i["email"].removeprefix("person").split("@")[0]) for i in invitations
    }
    arrivals = [person_by_hash[digest] for digest in arrivals_by_hash]
    assert sorted(arrivals) == list(range(PEOPLE))
    text_of = {a["response_id"]: a["text"] for a in answers if a["text"]}
    assert len(responses) == PEOPLE
    for attack, order in order_attacks(
        responses, answers, lambda rid: person_of(text_of[rid])
    ).items():
        assert lined_up(arrivals, order) <= MOST_BY_CHANCE, attack
    assert all(is_midnight(r["submitted_at"]) and is_midnight(r["created_at"]) for r in responses)
    # The invitations hold nothing of the answering (its keyed drafts do: invited_drafts).
    assert not any(i["answered"] or i["used_at"] or i["draft_values"] != "{}" for i in invitations)
    # Nothing in any table, the invitations' own columns aside, holds a token.
    for table, content in everything.items():
        text = json.dumps(content, default=str)
        if table != Invitation._meta.db_table:
            assert not any(token_hash(t) in text for t in tokens), table
        assert not any(t in text for t in tokens), table


@pytest.mark.django_db(transaction=True)
def test_postgresqls_transaction_ids_link_no_invitation_to_its_response(
    survey, council, social_worker
):
    """The attack (PostgreSQL): any role that may SELECT a table reads the id of the
    transaction that last wrote each row (`xmin`). Submitting wrote the response and marked
    the invitation answered in one transaction, so `JOIN ... ON r.xmin = i.xmin` named every
    invitee beside their words; each page saved wrote the invitation just before. Now nothing
    written while an invitee answers is the invitation's row (surveys.services.invited_drafts):
    the join finds no one, and no invitation was written after the emails went."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no transaction id on a row; this runs on PostgreSQL")
    people = [
        make_invitation(survey, f"person{i}@fernhill.invalid", council, social_worker)
        for i in range(PEOPLE)
    ]

    def newest_invitation_write() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(xmin::text::bigint) FROM surveys_invitation")
            return int(cursor.fetchone()[0])

    sent = newest_invitation_write()
    browsers = []
    for i, (_, token) in enumerate(people):
        browser = Client()
        assert browser.get(reverse("survey-invitation", args=[token])).status_code == 302
        first = {"0-Q1": "yes", "0-Q2": answers_of(i)["Q2"], "action": "continue"}
        assert browser.post(_step(survey.pk, "0"), first).url == _step(survey.pk, "1")
        browsers.append(browser)
    for browser in reversed(browsers):
        assert browser.post(_step(survey.pk, "1"), {"1-Q6": "3"}).status_code == 302
        assert browser.post(_step(survey.pk, "check"), {"action": "submit"}).status_code == 302

    assert Response.objects.count() == PEOPLE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.email FROM surveys_invitation i JOIN scrutiny_response r ON r.xmin = i.xmin"
        )
        assert cursor.fetchall() == []
    assert newest_invitation_write() == sent
