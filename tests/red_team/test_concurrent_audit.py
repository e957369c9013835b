"""Two tabs of one audit saving, or submitting, at the same moment: one is written, the other
refused as changed elsewhere (StaleRevision), never both and never a 500 (issue 19: the draft
is now locked with its assignment in one statement, and written without a savepoint).

Real threads, each with its own database connection and its own transaction, through the audit
service as the wizard and the API call it: on PostgreSQL the test database as it is, on SQLite a
copy of it on file (tests/red_team/test_concurrent_submit.py says why)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from audits import completion, permissions
from audits.models import Assignment
from scrutiny.models import Response
from tests.audits.builders_completion import COMPLETE
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import tool as tool
from tests.red_team.test_concurrent_submit import database_on_file, in_a_thread

TABS = 2


def at_once(work: list[Any]) -> list[tuple[str, Any]]:
    """Each call in a thread of its own, started together: ("done", result) or ("refused",
    the error's class name)."""
    start = threading.Barrier(len(work))
    outcomes: list[tuple[str, Any]] = []
    lock = threading.Lock()

    def run(call: Any) -> None:
        try:
            start.wait()
            outcome: tuple[str, Any] = ("done", call())
        except completion.StaleRevision:
            outcome = ("refused", "StaleRevision")
        except BaseException as exc:
            outcome = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def page_read(assignment: Assignment) -> Assignment:
    """The audit as a page reads it (with its case file, tool and draft)."""
    return permissions.access_assignment_to_complete(assignment.auditor, assignment.pk)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_at_once_one_is_saved(tmp_path, council_audit):
    auditor = council_audit.auditor
    completion.audit_save_page(
        assignment=council_audit, revision=0, step="1", values={"Q1": "no"}, user=auditor
    )
    tabs = [{"Q1": "yes", "Q2": f"Typed in tab {n}"} for n in range(TABS)]
    with database_on_file(tmp_path):
        pages = [in_a_thread(lambda: page_read(council_audit)) for _ in tabs]
        outcomes = at_once(
            [
                lambda page=page, values=values: (
                    completion.audit_save_page(
                        assignment=page, revision=1, step="1", values=values, user=auditor
                    ).revision
                )
                for page, values in zip(pages, tabs, strict=True)
            ]
        )
        saved = in_a_thread(lambda: completion.audit_values(page_read(council_audit)))
        revision = in_a_thread(lambda: Assignment.objects.get(pk=council_audit.pk).revision)
    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"], outcomes
    assert revision == 2
    assert saved in tabs  # one tab's answers whole, never a mixture


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_submit_once(tmp_path, council_audit):
    auditor = council_audit.auditor
    completion.audit_save_page(
        assignment=council_audit, revision=0, step="check", values=COMPLETE, user=auditor
    )
    with database_on_file(tmp_path):
        pages = [in_a_thread(lambda: page_read(council_audit)) for _ in range(TABS)]
        outcomes = at_once(
            [
                lambda page=page: (
                    completion.audit_submit(assignment=page, revision=1, user=auditor).revision
                )
                for page in pages
            ]
        )
        status = in_a_thread(
            lambda: (
                Assignment.objects.select_related("response")
                .get(pk=council_audit.pk)
                .response.status
            )
        )
    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"], outcomes
    assert status == Response.Status.SUBMITTED
