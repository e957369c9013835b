"""The auditor's pages: their audits, the audit tool page by page with a draft saved on every
page, two tabs, checking and submitting, reading, reopening, immediate concerns; and the
business unit's page for assigning auditors."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits import completion, concerns
from audits.models import Assignment, AuditEvent, ImmediateConcern
from scrutiny.models import Response, User
from tests.audits.builders_completion import CASE_REFS, COMPLETE, SLUG, assign, wizard_data
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import eager_tasks as eager_tasks
from tests.audits.builders_completion import police_audit as police_audit
from tests.audits.builders_completion import second_council_auditor as second_council_auditor
from tests.audits.builders_completion import tool as tool
from tests.conftest import client_for, second_factor_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def fill_url(assignment: Assignment, step: str | None = None) -> str:
    args = [assignment.pk] if step is None else [assignment.pk, step]
    return reverse("audit-complete", args=args)


def revision_of(assignment: Assignment) -> int:
    assignment.refresh_from_db()
    return assignment.revision


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def saved_values(assignment: Assignment) -> dict:
    assignment.refresh_from_db()
    return completion.audit_values(assignment)


def submit_whole_audit(assignment: Assignment) -> None:
    saved = completion.audit_save_page(
        assignment=assignment,
        revision=revision_of(assignment),
        step="check",
        values=COMPLETE,
        user=assignment.auditor,
    )
    completion.audit_submit(assignment=saved, revision=saved.revision, user=saved.auditor)


# ---------------------------------------------------------------------------------------------
# Your audits


class TestYourAudits:
    def test_lists_own_audits_with_status_in_words(
        self, council_audit, police_audit, auditor_council
    ):
        body = page(client_for(auditor_council).get(reverse("audit-mine")))
        assert "<h1>Your audits</h1>" in body
        assert "CF-1042" in body and "Not started" in body
        assert 'data-status="not_started"' in body
        assert fill_url(council_audit) in body
        assert 'aria-label="Start the audit of CF-1042">Start</a>' in body
        assert f"/audits/{police_audit.pk}/" not in body

    def test_others_get_a_404(self, board_member, practitioner, agency_lead, client):
        for user in (board_member, practitioner, agency_lead):
            assert client_for(user).get(reverse("audit-mine")).status_code == 404
        assert client.get(reverse("audit-mine")).status_code == 302  # sign in first

    def test_queries_do_not_grow_with_audits(self, cases, council, auditor_council):
        client = client_for(auditor_council)
        assign(cases[0], council, auditor_council)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                page(client.get(reverse("audit-mine")))
            return len(queries.captured_queries)

        one = count()
        sample = cases[0].sample
        for i in range(1, 3):
            assign(cases[i], council, auditor_council)
        for i in range(3, 15):
            case = sample.cases.create(position=i, case_ref=f"CF-X{i}", group="STH")
            assignment = assign(case, council, auditor_council)
            if i % 2:
                completion.audit_save_page(
                    assignment=assignment,
                    revision=0,
                    step="0",
                    values={"Q1": "no"},
                    user=auditor_council,
                )
        assert count() == one


# ---------------------------------------------------------------------------------------------
# Completing the audit


class TestCompleting:
    def test_every_page_saves_a_draft_and_a_new_session_resumes_there(
        self, council_audit, auditor_council
    ):
        client = client_for(auditor_council)
        start = client.get(fill_url(council_audit))
        assert start.status_code == 302 and start.url == fill_url(council_audit, "0")
        first = page(client.get(start.url))
        assert "<h1>About the case</h1>" in first
        assert 'name="revision" value="0"' in first
        assert "Save and come back later" in first
        assert "Raise an immediate concern about this child" in first
        assert "page 1 of 2" in first

        moved = client.post(
            fill_url(council_audit, "0"),
            wizard_data("0", {"Q1": "yes", "Q2": "A plan with dates"}, revision=0),
        )
        assert moved.status_code == 302 and moved.url == fill_url(council_audit, "1")
        # Saved in the database after the page, not only in the session.
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.DRAFT
        assert (council_audit.revision, council_audit.current_step) == (1, "1")
        assert saved_values(council_audit) == {"Q1": "yes", "Q2": "A plan with dates"}

        # Days later, another browser: no session, the draft opens where they were.
        later = client_for(auditor_council)
        resumed = later.get(fill_url(council_audit))
        assert resumed.url == fill_url(council_audit, "1")
        second = page(later.get(resumed.url))
        assert "<h1>Practice</h1>" in second
        assert "How good was the plan?" in second  # Q6: Q1 = yes on the saved page 0
        assert 'name="revision" value="1"' in second
        back = page(later.get(fill_url(council_audit, "0")))
        assert 'value="yes" id="id_0-Q1_0" checked' in back
        assert "A plan with dates" in back

        done = later.post(
            fill_url(council_audit, "1"),
            wizard_data("1", {"Q4": "3", "Q6": "3", "Q3": ["briefing", "training"]}, revision=1),
        )
        assert done.url == fill_url(council_audit, "check")
        assert saved_values(council_audit) == {
            "Q1": "yes",
            "Q2": "A plan with dates",
            "Q3": ["briefing", "training"],
            "Q4": "3",
            "Q6": "3",
        }
        assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED).count() == 2

    def test_a_required_answer_is_needed_to_go_on_but_not_to_leave(
        self, council_audit, auditor_council
    ):
        client = client_for(auditor_council)
        missing = page(
            client.post(fill_url(council_audit, "0"), wizard_data("0", {"Q2": "x"}, revision=0))
        )
        assert "<title>Error: About the case" in missing
        assert "There is a problem" in missing and "Choose an answer." in missing
        assert revision_of(council_audit) == 0

        later = client.post(
            fill_url(council_audit, "0"),
            wizard_data("0", {"Q2": "Half typed"}, revision=0, action="later"),
        )
        assert later.status_code == 302 and later.url == reverse("audit-mine")
        assert saved_values(council_audit) == {}  # Q2 waits for Q1 = yes: not an answer yet
        assert council_audit.current_step == "0"
        listed = page(client.get(reverse("audit-mine")))
        assert "Your answers are saved." in listed and "In draft" in listed

    def test_two_tabs_never_overwrite_each_other(self, council_audit, auditor_council):
        tab_one, tab_two = client_for(auditor_council), client_for(auditor_council)
        assert 'name="revision" value="0"' in page(tab_one.get(fill_url(council_audit, "0")))
        assert 'name="revision" value="0"' in page(tab_two.get(fill_url(council_audit, "0")))
        tab_one.post(fill_url(council_audit, "0"), wizard_data("0", {"Q1": "no"}, revision=0))
        events = AuditEvent.objects.count()

        clash = page(
            tab_two.post(
                fill_url(council_audit, "0"),
                wizard_data("0", {"Q1": "yes", "Q2": "From tab two"}, revision=0),
            )
        )
        assert "<title>Error: " in clash
        assert "There is a problem" in clash
        assert re.search(
            r"This audit was changed in another tab or by someone else at \d\d:\d\d\. Nothing "
            r"you typed on this page was saved\.",
            clash,
        )
        assert "Reload this page" in clash
        assert "From tab two" in clash  # still on screen, to copy
        assert 'name="revision" value="0"' in clash  # sending again is refused again
        assert saved_values(council_audit) == {"Q1": "no"}
        assert revision_of(council_audit) == 1
        assert AuditEvent.objects.count() == events

    def test_check_your_answers_then_submit(self, council_audit, auditor_council):
        client = client_for(auditor_council)
        client.post(
            fill_url(council_audit, "0"),
            wizard_data("0", {"Q1": "yes"}, revision=0, action="later"),
        )
        check = page(client.get(fill_url(council_audit, "check")))
        assert "Check your answers before you submit" in check
        assert "2 questions still need an answer" in check
        assert f'href="{fill_url(council_audit, "0")}#id_0-Q2"' in check
        assert f'href="{fill_url(council_audit, "1")}#id_1-Q6_0"' in check

        refused = page(client.post(fill_url(council_audit, "check"), {"revision": "1"}))
        assert "<title>Error: Check your answers" in refused
        assert "Answer “What did the plan say?”" in refused
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.DRAFT

        client.post(
            fill_url(council_audit, "0"), wizard_data("0", {"Q1": "yes", "Q2": "Plan"}, revision=1)
        )
        client.post(fill_url(council_audit, "1"), wizard_data("1", {"Q6": "2"}, revision=2))
        check = page(client.get(fill_url(council_audit, "check")))
        assert "still need" not in check
        assert "Requires improvement" in check and "Plan" in check
        done = client.post(fill_url(council_audit, "check"), {"revision": "3"})
        assert done.status_code == 302 and done.url == reverse(
            "audit-detail", args=[council_audit.pk]
        )
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.SUBMITTED
        detail = page(client.get(done.url))
        assert "Your audit is submitted." in detail and "Submitted" in detail
        # Locked: the tool sends the auditor to the read-only page.
        again = client.get(fill_url(council_audit, "0"))
        assert again.status_code == 302 and again.url == done.url
        posted = client.post(
            fill_url(council_audit, "0"), wizard_data("0", {"Q1": "no"}, revision=4)
        )
        assert posted.status_code == 302
        assert saved_values(council_audit)["Q1"] == "yes"

    def test_a_stale_submission_is_refused(self, council_audit, auditor_council):
        client = client_for(auditor_council)
        completion.audit_save_page(
            assignment=council_audit,
            revision=0,
            step="check",
            values=COMPLETE,
            user=auditor_council,
        )
        refused = page(client.post(fill_url(council_audit, "check"), {"revision": "0"}))
        assert "changed in another tab" in refused
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.DRAFT

    def test_going_back_a_page_saves_what_is_typed(self, council_audit, auditor_council):
        client = client_for(auditor_council)
        client.post(fill_url(council_audit, "0"), wizard_data("0", {"Q1": "no"}, revision=0))
        second = page(client.get(fill_url(council_audit, "1")))
        assert "Save and go back a page" in second
        assert "How good was the plan?" not in second  # Q6 follows Q1 = yes only
        back = client.post(
            fill_url(council_audit, "1"),
            wizard_data("1", {"Q4": "1,250"}, revision=1, action="previous"),
        )
        assert back.url == fill_url(council_audit, "0")
        assert saved_values(council_audit) == {"Q1": "no", "Q4": "1250"}
        assert council_audit.current_step == "0"
        wrong = page(
            client.post(
                fill_url(council_audit, "1"),
                wizard_data("1", {"Q4": "lots"}, revision=2, action="later"),
            )
        )
        assert "Enter a number, like 12 or 3.5." in wrong  # a wrong value is never saved
        assert saved_values(council_audit)["Q4"] == "1250"

    def test_a_page_that_does_not_apply_is_skipped(self, council_audit, auditor_council):
        client = client_for(auditor_council)
        bogus = client.get(fill_url(council_audit, "7"))
        assert bogus.status_code == 302 and bogus.url == fill_url(council_audit)


# ---------------------------------------------------------------------------------------------
# Who may see what


class TestWhoMaySee:
    def test_an_auditor_of_another_agency_gets_404_on_a_changed_id(
        self, council_audit, police_audit, auditor_police
    ):
        client = client_for(auditor_police)
        assert client.get(fill_url(police_audit, "0")).status_code == 200
        for url in (
            fill_url(council_audit),
            fill_url(council_audit, "0"),
            fill_url(council_audit, "check"),
            reverse("audit-detail", args=[council_audit.pk]),
            reverse("audit-reopen", args=[council_audit.pk]),
            reverse("audit-concern", args=[council_audit.pk]),
        ):
            assert client.get(url).status_code == 404, url
        posted = client.post(
            fill_url(council_audit, "0"), wizard_data("0", {"Q1": "no"}, revision=0)
        )
        assert posted.status_code == 404
        assert Response.objects.count() == 0

    def test_an_agency_colleague_reads_but_does_not_fill(
        self, council_audit, second_council_auditor
    ):
        client = client_for(second_council_auditor)
        assert client.get(reverse("audit-detail", args=[council_audit.pk])).status_code == 200
        assert client.get(fill_url(council_audit, "0")).status_code == 404

    def test_the_blind_second_audit_is_hidden_until_both_are_submitted(
        self, council_audit, council, auditor_council, second_council_auditor, scrutineer
    ):
        second = assign(
            council_audit.case, council, second_council_auditor, role=Assignment.Role.SECOND
        )
        first_page = reverse("audit-detail", args=[council_audit.pk])
        second_page = reverse("audit-detail", args=[second.pk])
        first_auditor = client_for(auditor_council)
        second_auditor = client_for(second_council_auditor)
        assert first_auditor.get(second_page).status_code == 404
        assert second_auditor.get(first_page).status_code == 404
        assert client_for(scrutineer).get(first_page).status_code == 200

        submit_whole_audit(council_audit)
        assert second_auditor.get(first_page).status_code == 404  # one submitted is not both
        assert first_auditor.get(second_page).status_code == 404
        submit_whole_audit(second)
        assert "A child protection plan" in page(second_auditor.get(first_page))
        assert first_auditor.get(second_page).status_code == 200

    def test_the_detail_page_records_who_viewed(self, council_audit, scrutineer):
        body = page(client_for(scrutineer).get(reverse("audit-detail", args=[council_audit.pk])))
        assert "CF-1042" in body and "Not started" in body
        event = AuditEvent.objects.get(action=AuditEvent.Action.VIEWED)
        assert (event.user, event.assignment) == (scrutineer, council_audit)


# ---------------------------------------------------------------------------------------------
# Reopening


class TestReopen:
    def test_needs_a_reason_and_is_logged(self, council_audit, business_unit):
        submit_whole_audit(council_audit)
        client = client_for(business_unit)
        url = reverse("audit-reopen", args=[council_audit.pk])
        assert "Why does the audit need reopening?" in page(client.get(url))
        blank = page(client.post(url, {"reason": "  "}))
        assert "<title>Error: Reopen" in blank and "Give the reason for reopening" in blank
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.SUBMITTED

        done = client.post(url, {"reason": "The grade for Q6 was for another plan"})
        assert done.status_code == 302
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.DRAFT
        event = AuditEvent.objects.get(action=AuditEvent.Action.REOPENED)
        assert event.detail == "The grade for Q6 was for another plan"
        history = page(client.get(done.url))
        assert "Reopened: The grade for Q6 was for another plan" in history

    def test_a_colleague_may_not_and_a_draft_has_nothing_to_reopen(
        self, council_audit, second_council_auditor, auditor_council
    ):
        url = reverse("audit-reopen", args=[council_audit.pk])
        own = client_for(auditor_council).get(url)
        assert own.status_code == 302  # a draft: back to the audit, with a message
        submit_whole_audit(council_audit)
        assert client_for(second_council_auditor).get(url).status_code == 403
        assert client_for(second_council_auditor).post(url, {"reason": "x"}).status_code == 403

    def test_an_auditor_is_told_why_once_the_blind_pair_is_both_submitted(
        self, council_audit, council, second_council_auditor, business_unit, scrutineer
    ):
        """The review's case: the first auditor read the second's answers, reopened their own
        with a reason and could copy them. Now the page says who can reopen it instead."""
        second = assign(
            council_audit.case, council, second_council_auditor, role=Assignment.Role.SECOND
        )
        submit_whole_audit(council_audit)
        submit_whole_audit(second)
        first = client_for(council_audit.auditor)
        assert first.get(reverse("audit-detail", args=[second.pk])).status_code == 200
        detail = page(first.get(reverse("audit-detail", args=[council_audit.pk])))
        assert "Reopen the audit" not in detail
        url = reverse("audit-reopen", args=[council_audit.pk])
        for answer in (
            first.get(url, follow=True),
            first.post(url, {"reason": "typo"}, follow=True),
        ):
            assert answer.redirect_chain[-1][0] == reverse("audit-detail", args=[council_audit.pk])
            assert "only the business unit or the scrutineer can reopen yours" in page(answer)
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.SUBMITTED
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.REOPENED).exists()

        for who in (business_unit, scrutineer):
            link = page(client_for(who).get(reverse("audit-detail", args=[second.pk])))
            assert "Reopen the audit" in link
        done = client_for(business_unit).post(url, {"reason": "Asked by the panel"})
        assert done.status_code == 302
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.DRAFT


# ---------------------------------------------------------------------------------------------
# Immediate concerns


class TestConcern:
    def test_raise_from_the_audit_and_the_lead_is_told_at_once(
        self,
        council_audit,
        auditor_council,
        partnership,
        scrutineer,
        auditor_police,
        django_capture_on_commit_callbacks,
    ):
        partnership.safeguarding_lead_name = "Dana Lead"
        partnership.safeguarding_lead_email = "dana.lead@fernhill.invalid"
        partnership.save()
        client = client_for(auditor_council)
        url = reverse("audit-concern", args=[council_audit.pk])
        form = page(client.get(url))
        assert "Dana Lead, is emailed as soon as you send this" in form
        assert "Neither the case reference nor what you write is put in the email" in form

        blank = page(client.post(url, {"concern": ""}))
        assert "Describe the concern." in blank
        assert ImmediateConcern.objects.count() == 0

        with django_capture_on_commit_callbacks(execute=True):
            raised = client.post(url, {"concern": "Unexplained injuries at the last visit."})
        concern = ImmediateConcern.objects.get()
        assert raised.url == reverse("audit-concern-detail", args=[concern.pk])
        (message,) = mail.outbox
        assert message.to == ["dana.lead@fernhill.invalid"]
        for ref in CASE_REFS:
            assert ref not in message.subject and ref not in message.body
        assert "injuries" not in message.body
        assert reverse("audit-concern-detail", args=[concern.pk]) in message.body

        shown = page(client.get(raised.url))
        assert "Dana Lead is being emailed now" in shown
        assert "Unexplained injuries at the last visit." in shown
        assert "Emailed at" in shown
        assert "Unexplained injuries" in page(client_for(scrutineer).get(raised.url))
        assert client_for(auditor_police).get(raised.url).status_code == 404

    def test_the_named_lead_reads_and_acknowledges(
        self, council_audit, auditor_council, partnership
    ):
        partnership.safeguarding_lead_email = "dana.lead@fernhill.invalid"
        partnership.save()
        lead = UserFactory(
            partnership=partnership,
            email="dana.lead@fernhill.invalid",
            role=User.Role.BOARD_MEMBER,
        )
        result = concerns.concern_raise(
            assignment=council_audit, concern="At risk now.", user=auditor_council
        )
        url = reverse("audit-concern-detail", args=[result.concern.pk])
        client = client_for(lead)
        body = page(client.get(url))
        assert "CF-1042" in body and "At risk now." in body
        assert "Acknowledge the concern" in body
        assert "Go to the audit" not in body  # the lead reads the concern, not the audit
        client.post(url)
        result.concern.refresh_from_db()
        assert result.concern.acknowledged_by == lead
        assert client_for(auditor_council).post(url).status_code == 403

    @pytest.fixture
    def lead_concern(self, council_audit, auditor_council, partnership):
        """A concern, and the partnership's named lead: a practitioner's account."""
        partnership.safeguarding_lead_email = "dana.lead@fernhill.invalid"
        partnership.save()
        lead = UserFactory(
            partnership=partnership,
            email="dana.lead@fernhill.invalid",
            role=User.Role.PRACTITIONER,
        )
        result = concerns.concern_raise(
            assignment=council_audit, concern="At risk now.", user=auditor_council
        )
        return lead, reverse("audit-concern-detail", args=[result.concern.pk])

    def test_the_named_lead_with_only_a_password_is_sent_to_the_second_factor(
        self, lead_concern, password
    ):
        lead, url = lead_concern
        client = Client()
        signed = client.post(reverse("login"), {"username": lead.email, "password": password})
        assert signed.status_code == 302
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"] == f"{reverse('two-factor-set-up')}?{urlencode({'next': url})}"
        second_factor_for(lead)
        assert client.get(url)["Location"].startswith(reverse("two-factor-verify"))
        assert "At risk now." in page(client_for(lead).get(url))

    def test_the_page_itself_refuses_a_session_without_the_second_factor(
        self, settings, lead_concern, auditor_council
    ):
        """Should any route pass the middleware by, the concern still opens to no session that
        has not proved the second factor: neither the lead's nor the raiser's."""
        settings.MIDDLEWARE = [
            m for m in settings.MIDDLEWARE if not m.endswith("SecondFactorMiddleware")
        ]
        lead, url = lead_concern
        second_factor_for(auditor_council)
        for person, to in ((lead, "two-factor-set-up"), (auditor_council, "two-factor-verify")):
            client = Client()
            client.force_login(person)
            for answer in (client.get(url), client.post(url)):
                assert answer.status_code == 302
                assert answer["Location"].startswith(reverse(to)), person
        assert ImmediateConcern.objects.get().acknowledged_by is None
        assert "At risk now." in page(client_for(lead).get(url))

    def test_with_nobody_to_email_the_page_says_so(
        self, council_audit, auditor_council, partnership
    ):
        partnership.contact_email = ""
        partnership.save()
        client = client_for(auditor_council)
        url = reverse("audit-concern", args=[council_audit.pk])
        assert "Nobody can be emailed" in page(client.get(url))
        raised = client.post(url, {"concern": "At risk now."}, follow=True)
        assert "nobody could be emailed" in page(raised)
        assert ImmediateConcern.objects.count() == 1
        assert mail.outbox == []


# ---------------------------------------------------------------------------------------------
# Assigning auditors


def assign_data(cases, **rows) -> dict:
    """rows: case index → (auditor, due, role); other cases left at "Nobody", with no date
    (which is no error)."""
    data = {}
    for i, case in enumerate(cases):
        auditor, due, role = rows.get(f"c{i}", (None, None, "first"))
        data[f"c{case.pk}-auditor"] = str(auditor.pk) if auditor else ""
        data[f"c{case.pk}-due"] = due.isoformat() if due else ""
        data[f"c{case.pk}-role"] = role
    return data


class TestAssignPage:
    def url(self) -> str:
        return reverse("audit-assign", args=[SLUG])

    def test_only_those_who_run_audits(self, cases, auditor_council, board_member, business_unit):
        assert client_for(auditor_council).get(self.url()).status_code == 404
        assert client_for(board_member).get(self.url()).status_code == 404
        body = page(client_for(business_unit).get(self.url()))
        for ref in CASE_REFS:
            assert f"Case file {ref}" in body
        assert '<legend class="label">Add an agency to case file CF-1042</legend>' in body

    def test_assigns_the_chosen_rows_and_emails_each_auditor_once(
        self,
        cases,
        auditor_council,
        auditor_police,
        business_unit,
        django_capture_on_commit_callbacks,
    ):
        client = client_for(business_unit)
        form = page(client.get(self.url()))
        assert '<optgroup label="Fernhill Council (FHC)">' in form
        assert f"FHC \N{EN DASH} {auditor_council.full_name}" in form
        due = timezone.localdate() + dt.timedelta(days=20)
        data = assign_data(
            cases, c0=(auditor_council, due, "first"), c2=(auditor_council, due, "first")
        )
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(self.url(), data)
        assert done.status_code == 302
        assert sorted(Assignment.objects.values_list("case__case_ref", flat=True)) == [
            "CF-1042",
            "CF-2210",
        ]
        (message,) = mail.outbox
        assert message.to == [auditor_council.email]
        after = page(client.get(self.url()))
        assert "2 audits assigned." in after
        assert f"FHC: {auditor_council}</a>, auditor, due" in after

        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url(), assign_data(cases, c0=(auditor_police, due, "first")))
        assert Assignment.objects.count() == 3
        assert len(mail.outbox) == 2

    def test_errors_are_linked_and_nothing_is_assigned(
        self, cases, auditor_council, business_unit, council
    ):
        assign(cases[1], council, auditor_council)
        client = client_for(business_unit)
        past = timezone.localdate() - dt.timedelta(days=3)
        data = assign_data(
            cases,
            c0=(auditor_council, None, "first"),
            c1=(auditor_council, timezone.localdate(), "first"),
            c2=(auditor_council, past, "first"),
        )
        body = page(client.post(self.url(), data))
        assert "<title>Error: Assign auditors" in body
        assert (
            f'<a href="#id_c{cases[0].pk}-due">Case file CF-1042, due date: '
            "Give the date the audit is due.</a>"
        ) in body
        assert Assignment.objects.count() == 1

        data = assign_data(
            cases,
            c1=(auditor_council, timezone.localdate(), "first"),
            c2=(auditor_council, timezone.localdate(), "first"),
        )
        body = page(client.post(self.url(), data))
        assert f'href="#id_c{cases[1].pk}-auditor"' in body
        assert "FHC already has an auditor for case file CF-0087" in body
        assert Assignment.objects.count() == 1  # CF-2210 was fine, but it is all or nothing

        nothing = page(client.post(self.url(), assign_data(cases)))
        assert "Choose an auditor for at least one case file." in nothing

    def test_without_a_sample(self, audit_scrutiny, business_unit):
        body = page(client_for(business_unit).get(self.url()))
        assert "No sample of case files has been drawn" in body

    def test_queries_do_not_grow_with_case_files(
        self, cases, council, police, auditor_council, auditor_police, business_unit
    ):
        client = client_for(business_unit)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                page(client.get(self.url()))
            return len(queries.captured_queries)

        few = count()
        sample = cases[0].sample
        for i in range(3, 12):
            case = sample.cases.create(position=i, case_ref=f"CF-Y{i}", group="STH")
            assign(case, council, auditor_council)
            assign(case, police, auditor_police)
        assert count() == few
