"""What the completion tests build on: a scrutiny with a two-page audit tool, a sample of case
files, and assignments made directly (the tests of assigning go through the services).

The audit tool is tests.scrutiny.test_questionnaires.sample_definition:
page 0 "About the case": Q1 (yes/no, required), Q2 (text, required, shown if Q1 = yes);
page 1 "Practice": Q3 (multiple), Q4 (number), Q5 (date), Q6 (grade, required, shown if
Q1 = yes), Q7 (text). Every name and reference is made up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from celery import current_app as celery_app
from django.utils import timezone

from audits.models import Assignment, CaseFile, Sample
from scrutiny.instruments import instrument_save
from scrutiny.models import Agency, Area, Instrument, Scrutiny, SuccessFactor, User
from tests.factories import UserFactory
from tests.scrutiny.test_questionnaires import sample_definition

SLUG = "neglect-2025"
CASE_REFS = ["CF-1042", "CF-0087", "CF-2210"]
COMPLETE = {"Q1": "yes", "Q2": "A child protection plan", "Q6": "3"}


@pytest.fixture
def eager_tasks(monkeypatch) -> None:
    """Tasks run in the test process even where CI configures a broker, so that mailoutbox
    holds what they send."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def audit_scrutiny(partnership) -> Scrutiny:
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug=SLUG, title="Neglect 2025")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF2", statement="Learning reaches all.")
    return scrutiny


@pytest.fixture
def tool(audit_scrutiny) -> Instrument:
    return instrument_save(scrutiny=audit_scrutiny, definition=sample_definition()).instrument


def make_sample(
    scrutiny: Scrutiny,
    instrument: Instrument | None,
    refs: list[str],
    *,
    area: Area | None = None,
) -> list[CaseFile]:
    sample = Sample.objects.create(
        scrutiny=scrutiny,
        instrument=instrument,
        file_name="cases.csv",
        file_sha256="0" * 64,
        columns=["case_ref", "area"],
        by="area",
        per=len(refs),
        seed=42,
        population=40,
        drawn_at=timezone.now(),
    )
    return [
        CaseFile.objects.create(
            sample=sample, position=i, case_ref=ref, group="NTH", area=area, data={"area": "NTH"}
        )
        for i, ref in enumerate(refs)
    ]


@pytest.fixture
def cases(audit_scrutiny, tool, area) -> list[CaseFile]:
    return make_sample(audit_scrutiny, tool, CASE_REFS, area=area)


def assign(
    case: CaseFile,
    agency: Agency,
    auditor: User,
    *,
    role: str = Assignment.Role.FIRST,
    due: dt.date | None = None,
) -> Assignment:
    return Assignment.objects.create(
        case=case,
        agency=agency,
        auditor=auditor,
        role=role,
        due=due or timezone.localdate() + dt.timedelta(days=14),
    )


@pytest.fixture
def council_audit(cases, council, auditor_council) -> Assignment:
    return assign(cases[0], council, auditor_council)


@pytest.fixture
def police_audit(cases, police, auditor_police) -> Assignment:
    return assign(cases[0], police, auditor_police)


@pytest.fixture
def second_council_auditor(partnership, council) -> User:
    return UserFactory(
        partnership=partnership,
        email="ray@fernhill.invalid",
        full_name="Ray Second",
        role=User.Role.AUDITOR,
        agency=council,
    )


def wizard_data(step: str, answers: dict[str, Any], *, revision: int, action: str = "continue"):
    """A page's POST as the browser sends it: `<step>-<code>` fields, the revision, a button."""
    data: dict[str, Any] = {"revision": str(revision), "action": action}
    data.update({f"{step}-{code}": value for code, value in answers.items()})
    return data
