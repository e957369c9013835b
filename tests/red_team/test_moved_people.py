"""Who may see what once a person changes: each test here failed before its fix (found in a
red-team pass of 2026-12-06).

- A person moved to another partnership keeps nothing of the first one's: not their audits
  (case references, answers, the right to fill them in), not the immediate concerns they raised,
  not their jobs, which stay with the first partnership's business unit (`Job.partnership`).
- A person whose role no longer lets them see case data no longer reads an immediate concern
  they raised (its case reference and what was found about the child).
- An agency lead, who may read no scrutiny's scores, cannot have the platform work out a
  scrutiny's factor score by naming it as the evidence of an update to their action.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from rest_framework.test import APIClient

from audits.models import ImmediateConcern
from scrutiny import jobs, services
from scrutiny.models import (
    Action,
    Agency,
    Brag,
    EventPack,
    Job,
    Scrutiny,
    SuccessFactor,
    User,
)
from tests.audits.conftest_moderation import answers, make_audits
from tests.conftest import client_for
from tests.factories import AgencyFactory, PartnershipFactory, UserFactory
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

CASE_REF = "FH-CASE-0042"
CONCERN = "Fernhill child left alone overnight."


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _moved(user: User, partnership, agency: Agency | None) -> User:
    """The person moved to another partnership, as the operator does it in the admin site:
    their partnership and agency changed, checked as the admin's form checks them."""
    user.partnership = partnership
    user.agency = agency
    user.full_clean()
    user.save()
    user.refresh_from_db()
    return user


@pytest.fixture
def fernhill_audit(partnership, council, auditor_council):
    """Fernhill's audit of a case file, by its council's auditor, submitted, with an immediate
    concern the auditor raised about the child."""
    audits = make_audits(partnership)
    case = audits.case(CASE_REF)
    assignment = audits.assign(case, council, auditor=auditor_council)
    audits.submit(assignment, answers(Q2="Seen at Fernhill Primary."))
    concern = ImmediateConcern.objects.create(
        case=case, assignment=assignment, raised_by=auditor_council, concern=CONCERN
    )
    return assignment, concern


@pytest.fixture
def ashdown():
    b = PartnershipFactory(name="Ashdown Safeguarding Partnership", contact_email="")
    agency = AgencyFactory(partnership=b, code="ASH", name="Ashdown Council")
    admin_b = UserFactory(
        partnership=b, email="ash@ashdown.invalid", role=User.Role.ADMINISTRATOR, is_staff=True
    )
    return b, agency, admin_b


# A person moved to another partnership ----------------------------------------------------------


def test_an_auditor_moved_to_another_partnership_no_longer_reaches_the_first_ones_audits(
    fernhill_audit, auditor_council, ashdown
):
    """Sam audited for Fernhill, then moved to Ashdown (an auditor of Ashdown Council now).
    Fernhill's case file is no business of Ashdown's people: its audit, its case reference and
    its answers answer "not found", on the pages and through the API, and it cannot be changed.
    (audits.permissions.assignments_visible_to lets `auditor=user` through whatever partnership
    the person is of now.)"""
    assignment, _ = fernhill_audit
    b, ashdown_council, _ = ashdown
    sam = _moved(auditor_council, b, ashdown_council)
    page = client_for(sam)
    api = _api(sam)

    mine = page.get(reverse("audit-mine"))
    assert CASE_REF not in mine.content.decode(), "Ashdown's auditor lists Fernhill's case file"
    assert CASE_REF not in api.get(reverse("api-audit-list")).content.decode()
    assert page.get(reverse("audit-detail", args=[assignment.pk])).status_code == 404
    assert api.get(reverse("api-audit-detail", args=[assignment.pk])).status_code == 404
    # Nor filled in again: reopened (their own, so allowed) and changed from Ashdown.
    reopened = api.post(
        reverse("api-audit-reopen", args=[assignment.pk]), {"reason": "Moved on"}, format="json"
    )
    assert reopened.status_code == 404
    assignment.refresh_from_db()
    assert assignment.response.status == "submitted"


def test_a_concern_stays_with_its_partnership_when_its_raiser_moves(
    fernhill_audit, auditor_council, ashdown
):
    """The immediate concern Sam raised about a Fernhill child is Fernhill's: once Sam is
    Ashdown's, its page (the case reference and what was found) answers "not found"
    (audits.permissions.access_concern_for_user: `raised_by_id == user.pk`, whatever the
    person's partnership, role or audits now)."""
    _, concern = fernhill_audit
    b, ashdown_council, _ = ashdown
    sam = _moved(auditor_council, b, ashdown_council)
    answer = client_for(sam).get(reverse("audit-concern-detail", args=[concern.pk]))
    body = answer.content.decode()
    assert CONCERN not in body and CASE_REF not in body
    assert answer.status_code == 404


def test_a_job_stays_with_its_partnership_when_its_starter_moves(
    partnership, business_unit, scrutineer, ashdown
):
    """A job is its starter's partnership's (scrutiny.permissions.jobs_visible_to), read from
    the starter's partnership *now*: once Fernhill's scrutineer moves to Ashdown, Ashdown's
    business unit reads (and may start again) Fernhill's job, and Fernhill's no longer does."""
    audits = make_audits(partnership)
    job = services.job_create(kind="event pack", user=scrutineer)
    EventPack.objects.create(scrutiny=audits.scrutiny, built_by=scrutineer, job=job)
    b, _, admin_b = ashdown
    assert client_for(admin_b).get(reverse("job-detail", args=[job.pk])).status_code == 404
    _moved(scrutineer, b, None)
    answer = client_for(admin_b).get(reverse("job-detail", args=[job.pk]))
    assert answer.status_code == 404, "Ashdown's business unit reads Fernhill's job"
    assert audits.scrutiny.title not in answer.content.decode()
    assert client_for(business_unit).get(reverse("job-detail", args=[job.pk])).status_code == 200


# A role that no longer sees case data -------------------------------------------------------------


def test_a_raiser_whose_role_no_longer_sees_case_data_no_longer_reads_the_concern(
    fernhill_audit, auditor_council
):
    """Once the audits are over the business unit makes Sam a practitioner again: a role that
    sees no case reference, and so signs in with no second factor (needs_second_factor). The
    concern about the child, with its case reference, is no longer theirs to read; still it
    opens, to a session that proved no second factor."""
    _, concern = fernhill_audit
    sam = auditor_council
    sam.role = User.Role.PRACTITIONER
    sam.full_clean()
    sam.save()
    client = client_for(sam)  # a practitioner: no second factor asked, none proved
    assert client.get(reverse("audit-mine")).status_code == 404  # no audits of theirs now
    answer = client.get(reverse("audit-concern-detail", args=[concern.pk]))
    body = answer.content.decode()
    assert CASE_REF not in body and CONCERN not in body
    assert answer.status_code == 404


# An agency lead and a scrutiny's scores -----------------------------------------------------------


@pytest.fixture
def live_scrutiny(scrutiny, partnership):
    """Fernhill's 2026 scrutiny with its evidence in (SF1 at 46.8: tests/scrutiny's
    test_workspace), not signed off, so published to nobody; the 2024 one of the theme before
    it."""
    later = scrutiny
    later.starts = dt.date(2026, 1, 12)
    later.save()
    earlier = Scrutiny.objects.create(
        partnership=partnership, slug="lfp-2024", title="LfP 2024", starts=dt.date(2024, 1, 8)
    )
    SuccessFactor.objects.create(scrutiny=earlier, code="SF1", statement="Plans are good.")
    return earlier, later


def sf1_action(scrutiny: Scrutiny, council: Agency) -> Action:
    """The council's action on SF1, raised in `scrutiny`, on track."""
    return Action.objects.create(
        partnership_id=scrutiny.partnership_id,
        scrutiny=scrutiny,
        factor=scrutiny.factors.get(code="SF1"),
        text="Act on SF1",
        status=Brag.GREEN,
        responsible=council,
    )


def later_scrutiny_given(client: APIClient, action: Action, later: Scrutiny, evidence: str):
    """An on-track update to `action` giving the later scrutiny as its evidence, by the API."""
    body = {
        "status": Brag.GREEN,
        "note": "Still on track.",
        "evidence_kind": "scrutiny",
        "evidence_scrutiny": later.slug,
        "evidence": evidence,
    }
    return client.post(reverse("api-action-updates", args=[action.pk]), body, format="json")


def test_an_agency_lead_is_not_shown_the_scores_of_a_scrutiny_they_may_not_read(
    live_scrutiny, council, agency_lead
):
    """The council's lead may read no scrutiny (`scrutinies_visible_to`: the business unit,
    the scrutineer and the board) and no published results either; the 2026 scrutiny is not
    even signed off. Yet an update to their action naming it as evidence (status unchanged,
    not Blue) has the platform work out SF1's live score there and hand it back, kept in the
    action's history (scrutiny.plan.updates._movement_checked: any scrutiny of the
    partnership)."""
    earlier, later = live_scrutiny
    lead = _api(agency_lead)
    assert lead.get(reverse("api-scrutiny-scores", args=[later.slug])).status_code == 404
    assert client_for(agency_lead).get(reverse("published-list")).status_code == 404
    action = sf1_action(earlier, council)
    answer = later_scrutiny_given(lead, action, later, "Let's see.")
    shown = (
        answer.content.decode()
        + lead.get(reverse("api-action-updates", args=[action.pk])).content.decode()
    )
    assert "46.8" not in shown, f"the lead is shown the live score: {shown[:400]}"


def test_the_business_unit_still_gives_a_later_scrutiny_as_evidence(
    live_scrutiny, council, business_unit
):
    """Those who may read the scores give the factor's movement as before."""
    earlier, later = live_scrutiny
    action = sf1_action(earlier, council)
    answer = later_scrutiny_given(_api(business_unit), action, later, "Plans are better.")
    assert answer.status_code == 201, answer.content
    assert "to 46.8 (limited evidence) in" in answer.json()["evidence"]


def test_the_lead_is_told_what_to_attach_instead_and_nothing_is_kept(
    live_scrutiny, council, agency_lead
):
    earlier, later = live_scrutiny
    action = sf1_action(earlier, council)
    answer = later_scrutiny_given(_api(agency_lead), action, later, "Let's see.")
    assert answer.status_code == 400
    assert "attach an audit or a document" in answer.content.decode()
    assert not action.updates.exists()


# Jobs name their partnership ------------------------------------------------------------------


def test_a_job_names_the_partnership_of_whoever_started_it(partnership, scrutineer):
    queued = jobs.job_enqueue(kind="selfcheck", user=scrutineer, task="scrutiny.tasks.selfcheck")
    recorded = jobs.job_create(kind="event pack", user=scrutineer)
    platform = jobs.job_create(kind="event pack", user=None)
    assert [j.partnership_id for j in (queued, recorded, platform)] == [
        partnership.pk,
        partnership.pk,
        None,
    ]


def test_jobs_recorded_before_are_given_their_partnership_by_the_migration(
    partnership, scrutineer, ashdown
):
    """The migration names the partnership of the pack a job built, else its starter's."""
    audits = make_audits(partnership)
    built = Job.objects.create(kind="event pack", created_by=scrutineer)
    EventPack.objects.create(scrutiny=audits.scrutiny, built_by=scrutineer, job=built)
    started = Job.objects.create(kind="selfcheck", created_by=scrutineer)
    nobody = Job.objects.create(kind="selfcheck")
    _moved(scrutineer, ashdown[0], None)  # the pack's job stays Fernhill's: it built its pack
    migration = import_module("scrutiny.migrations.0020_job_partnership")
    migration.job_partnerships_fill(django_apps, None)
    assert Job.objects.get(pk=built.pk).partnership_id == partnership.pk
    assert Job.objects.get(pk=started.pk).partnership_id == ashdown[0].pk
    assert Job.objects.get(pk=nobody.pk).partnership_id is None


def test_the_action_page_offers_a_later_scrutiny_only_to_who_may_read_its_scores(
    live_scrutiny, council, agency_lead, business_unit
):
    earlier, later = live_scrutiny
    action = sf1_action(earlier, council)
    url = reverse("plan-action", args=[action.pk])
    lead_page = client_for(agency_lead).get(url).content.decode()
    assert 'name="note"' in lead_page  # the lead updates their action
    assert 'name="evidence_scrutiny"' not in lead_page
    assert 'value="scrutiny"' not in lead_page
    unit_page = client_for(business_unit).get(url).content.decode()
    assert 'name="evidence_scrutiny"' in unit_page and later.title in unit_page
