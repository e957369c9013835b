"""The audit pages' read of the assignment (`access_assignment_to_complete`, its SQL made once a
process by scrutiny.prepared) gives exactly what the visibility rule and the ORM give: the same
people let in, the same assignment with the same case file, sample, scrutiny, audit tool, agency
and draft, field by field."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Model
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from audits import completion, permissions
from audits.models import Assignment
from scrutiny.models import User
from tests.audits.builders_completion import COMPLETE, assign
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import police_audit as police_audit
from tests.audits.builders_completion import second_council_auditor as second_council_auditor
from tests.audits.builders_completion import tool as tool
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(obj: Model | None) -> dict[str, object] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _picture(assignment: Assignment) -> list[dict[str, object] | None]:
    """Everything the pages read of the assignment, field by field."""
    sample = assignment.case.sample
    return [
        _fields(assignment),
        _fields(assignment.case),
        _fields(sample),
        _fields(sample.scrutiny),
        _fields(sample.instrument),
        _fields(assignment.agency),
        _fields(assignment.response),
    ]


@pytest.fixture
def everyone(
    partnership, auditor_council, auditor_police, second_council_auditor, business_unit, scrutineer
) -> list[User]:
    practitioner = UserFactory(
        partnership=partnership, email="pat@fernhill.invalid", role=User.Role.PRACTITIONER
    )
    moved = UserFactory(
        partnership=PartnershipFactory(name="Ashdown Safeguarding Partnership"),
        email="moved@ashdown.invalid",
        role=User.Role.AUDITOR,
        agency=auditor_council.agency,
    )
    return [
        auditor_council,
        auditor_police,
        second_council_auditor,
        business_unit,
        scrutineer,
        practitioner,
        moved,
    ]


def test_the_same_people_get_the_same_assignment_as_the_rule_and_the_orm_give(
    everyone, council_audit, police_audit, cases, council, business_unit, auditor_council
):
    drafted = completion.audit_save_page(
        assignment=council_audit, revision=0, step="1", values=COMPLETE, user=auditor_council
    )
    own_audits = [
        drafted,
        police_audit,
        assign(cases[1], council, business_unit),  # the business unit's own audit
        assign(cases[2], council, everyone[-1]),  # of one who has since moved away
    ]
    let_in = 0
    for user in everyone:
        for assignment in own_audits:
            expected = (
                permissions.assignments_visible_to(user)
                .filter(pk=assignment.pk, auditor_id=user.pk)
                .first()
            )
            try:
                given = permissions.access_assignment_to_complete(user, assignment.pk)
            except Http404:
                given = None
            assert (given is None) == (expected is None), (user.email, assignment.pk)
            if given is not None and expected is not None:
                let_in += 1
                assert _picture(given) == _picture(expected)
                assert given.auditor is user
    assert let_in == 3  # each auditor their own, the moved one not


def test_one_query_and_nothing_for_an_unknown_or_impossible_id(council_audit, auditor_council):
    with CaptureQueriesContext(connection) as queries:
        permissions.access_assignment_to_complete(auditor_council, council_audit.pk)
    assert len(queries) == 1
    for missing in (council_audit.pk + 1000, -1, 2**63, 10**30):
        with pytest.raises(Http404):
            permissions.access_assignment_to_complete(auditor_council, missing)
