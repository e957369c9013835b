"""Assigning auditors and completing audits: the services of audits.completion, their tasks and
the auditor's list of audits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits import assignments, completion, concerns, permissions, selectors
from audits.models import Assignment, AuditEvent, ImmediateConcern, Moderation
from scrutiny import findings
from scrutiny.disclosure import quotes_shown
from scrutiny.errors import ApplicationError
from scrutiny.instruments import instrument_save
from scrutiny.models import Quote, Response, User
from tests.audits.builders_completion import CASE_REFS, COMPLETE, assign, make_sample
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import eager_tasks as eager_tasks
from tests.audits.builders_completion import police_audit as police_audit
from tests.audits.builders_completion import second_council_auditor as second_council_auditor
from tests.audits.builders_completion import tool as tool
from tests.factories import UserFactory
from tests.scrutiny.test_questionnaires import sample_definition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

IN_TWO_WEEKS = timezone.localdate() + dt.timedelta(days=14)


def state(assignment: Assignment) -> tuple:
    """What a refused change must leave as it was."""
    assignment.refresh_from_db()
    response = assignment.response
    answers = (
        sorted(response.answers.values_list("question__code", "option__value", "text"))
        if response
        else None
    )
    return (
        assignment.revision,
        assignment.current_step,
        response.status if response else None,
        answers,
        AuditEvent.objects.count(),
    )


def no_case_ref_in(message) -> None:
    for ref in CASE_REFS:
        assert ref not in message.subject
        assert ref not in message.body


# ---------------------------------------------------------------------------------------------
# Assigning


class TestAssign:
    def test_assigns_records_and_emails_the_auditor_once_on_commit(
        self, cases, council, auditor_council, business_unit, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assignment = assignments.assignment_create(
                case=cases[0],
                agency=council,
                auditor=auditor_council,
                due=IN_TWO_WEEKS,
                user=business_unit,
            )
            assert mail.outbox == []  # nothing is sent before the transaction commits
        assert len(callbacks) == 1
        assert assignment.role == Assignment.Role.FIRST
        event = AuditEvent.objects.get(action=AuditEvent.Action.ASSIGNED)
        assert (event.user, event.assignment, event.case) == (business_unit, assignment, cases[0])
        assert "FHC" in event.detail
        (message,) = mail.outbox
        assert message.to == [auditor_council.email]
        assert message.subject == "You have 1 case-file audit to complete"
        assert "Fernhill Council" in message.body and "Neglect 2025" in message.body
        assert "/audits/" in message.body
        no_case_ref_in(message)
        assignment.refresh_from_db()
        assert assignment.notified_at is not None

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            ({"agency": "police"}, "is not an active auditor of Fernhill Police"),
            ({"due": "past"}, "has passed"),
            ({"due": None}, "Give the date the audit is due."),
            ({"role": "third"}, "Choose the role"),
            ({"role": Assignment.Role.SECOND}, "first auditor for case file CF-1042 before"),
        ],
    )
    def test_refused_with_a_reason_and_nothing_made(
        self, cases, council, police, auditor_council, business_unit, change, expected
    ):
        kwargs = {
            "case": cases[0],
            "agency": council,
            "auditor": auditor_council,
            "due": IN_TWO_WEEKS,
            "user": business_unit,
        }
        if change.get("agency") == "police":
            kwargs["agency"] = police
        if "due" in change:
            due = change["due"]
            kwargs["due"] = timezone.localdate() - dt.timedelta(days=1) if due == "past" else due
        if "role" in change:
            kwargs["role"] = change["role"]
        with pytest.raises(ApplicationError, match=re.escape(expected)):
            assignments.assignment_create(**kwargs)
        assert Assignment.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    def test_an_inactive_auditor_is_refused(self, cases, council, auditor_council, business_unit):
        auditor_council.is_active = False
        auditor_council.save()
        with pytest.raises(ApplicationError, match="is not an active auditor"):
            assignments.assignment_create(
                case=cases[0],
                agency=council,
                auditor=auditor_council,
                due=IN_TWO_WEEKS,
                user=business_unit,
            )

    def test_a_second_auditor_must_differ_from_the_first(
        self, council_audit, council, auditor_council, second_council_auditor, business_unit
    ):
        with pytest.raises(ApplicationError, match="someone other than the first auditor"):
            assignments.assignment_create(
                case=council_audit.case,
                agency=council,
                auditor=auditor_council,
                due=IN_TWO_WEEKS,
                role=Assignment.Role.SECOND,
                user=business_unit,
            )
        second = assignments.assignment_create(
            case=council_audit.case,
            agency=council,
            auditor=second_council_auditor,
            due=IN_TWO_WEEKS,
            role=Assignment.Role.SECOND,
            user=business_unit,
        )
        assert second.role == Assignment.Role.SECOND

    def test_the_same_agency_and_role_twice_is_refused(
        self, council_audit, council, second_council_auditor, business_unit
    ):
        with pytest.raises(ApplicationError, match="FHC already has an auditor for case file"):
            assignments.assignment_create(
                case=council_audit.case,
                agency=council,
                auditor=second_council_auditor,
                due=IN_TWO_WEEKS,
                user=business_unit,
            )

    def test_no_audit_tool_no_assignment(
        self, audit_scrutiny, council, auditor_council, business_unit
    ):
        (case,) = make_sample(audit_scrutiny, None, ["CF-9999"])
        with pytest.raises(ApplicationError, match="no case-file audit tool"):
            assignments.assignment_create(
                case=case,
                agency=council,
                auditor=auditor_council,
                due=IN_TWO_WEEKS,
                user=business_unit,
            )

    def test_a_sample_without_a_tool_uses_the_only_audit_tool(
        self, audit_scrutiny, tool, council, auditor_council, business_unit
    ):
        (case,) = make_sample(audit_scrutiny, None, ["CF-9999"])
        assignment = assignments.assignment_create(
            case=case, agency=council, auditor=auditor_council, due=IN_TWO_WEEKS, user=business_unit
        )
        assert completion.assignment_compiled(assignment).instrument_code == tool.code

    def test_many_at_once_all_or_nothing_one_email_per_auditor(
        self,
        audit_scrutiny,
        cases,
        council,
        police,
        auditor_council,
        auditor_police,
        business_unit,
        django_capture_on_commit_callbacks,
    ):
        good = [
            assignments.AssignmentRequest(case, agency, auditor, IN_TWO_WEEKS)
            for case in cases
            for agency, auditor in ((council, auditor_council), (police, auditor_police))
        ]
        bad = [*good, assignments.AssignmentRequest(cases[0], police, auditor_council, None)]
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(ApplicationError) as refused,
        ):
            assignments.assignments_assign(
                scrutiny=audit_scrutiny, requests=bad, user=business_unit
            )
        assert refused.value.extra["errors"] == {
            6: f"{auditor_council.full_name} is not an active auditor of Fernhill Police."
        }
        assert "nothing was assigned" in refused.value.message
        assert Assignment.objects.count() == 0
        assert mail.outbox == []

        with django_capture_on_commit_callbacks(execute=True):
            made = assignments.assignments_assign(
                scrutiny=audit_scrutiny, requests=good, user=business_unit
            )
        assert len(made) == 6
        assert AuditEvent.objects.filter(action=AuditEvent.Action.ASSIGNED).count() == 6
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [auditor_council.email, auditor_police.email]
        )
        for message in mail.outbox:
            assert message.subject == "You have 3 case-file audits to complete"
            no_case_ref_in(message)


class FlakyBackend(EmailBackend):
    """The mail server drops the first connection, then works."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures < 1:
            FlakyBackend.failures += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_dropped_mail_connection_is_retried_and_sends_once(
    settings, council_audit, auditor_council, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.audits.test_completion.FlakyBackend"
    FlakyBackend.failures = 0
    from audits.tasks import assignments_email

    # As a worker runs it: the failed try is retried (at once, when run in-process).
    assignments_email.apply(kwargs={"assignment_ids": [council_audit.pk]}, throw=False)
    assert FlakyBackend.failures == 1
    assert [m.to for m in mail.outbox] == [[auditor_council.email]]
    # Sent already: a second delivery of the same task sends nothing more.
    assignments_email.apply(kwargs={"assignment_ids": [council_audit.pk]}, throw=False)
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------------------------------------
# Drafts, submission, reopening


def reads_of_the_assignment(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "audits_assignment"' in query["sql"]
    ]


class TestDraft:
    def test_saves_the_answers_as_a_draft_of_the_agency_and_case(
        self, council_audit, auditor_council, council, area
    ):
        saved = completion.audit_save_page(
            assignment=council_audit,
            revision=0,
            step="1",
            values={"Q1": "yes"},
            user=auditor_council,
        )
        assert (saved.revision, saved.current_step) == (1, "1")
        response = saved.response
        assert response.status == Response.Status.DRAFT
        assert response.channel == Response.Channel.AUDIT
        assert (response.agency, response.area, response.case_ref) == (council, area, "CF-1042")
        assert completion.audit_values(saved) == {"Q1": "yes"}
        event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED)
        assert event.user == auditor_council
        assert event.detail == "Draft saved; resumes at page 2, “Practice”"

        again = completion.audit_save_page(
            assignment=saved,
            revision=1,
            step="check",
            values={"Q1": "yes", "Q2": "Plan", "Q4": "2"},
            user=auditor_council,
        )
        assert again.response.pk == response.pk
        assert again.revision == 2
        assert completion.audit_values(again) == {"Q1": "yes", "Q2": "Plan", "Q4": "2"}

    def test_saving_a_page_read_by_the_page_locks_the_row_without_its_case_again(
        self, council_audit, auditor_council, audit_scrutiny, django_assert_num_queries
    ):
        """The page reads the audit with its case file, sample, scrutiny, tool and agency; the
        save's lock then reads the assignment and its draft only (the rest never changes)."""
        page = permissions.access_assignment_to_complete(auditor_council, council_audit.pk)
        with django_assert_num_queries(0):
            assert page.auditor == auditor_council
            assert page.case.sample.scrutiny == audit_scrutiny
        with CaptureQueriesContext(connection) as queries:
            saved = completion.audit_save_page(
                assignment=page, revision=0, step="1", values={"Q1": "yes"}, user=auditor_council
            )
        (lock,) = reads_of_the_assignment(queries)
        assert '"audits_casefile"' not in lock
        assert '"scrutiny_response"' in lock
        assert (saved.case, saved.agency) == (page.case, page.agency)

        # Given the assignment alone, the lock reads its case file and agency with it.
        bare = Assignment.objects.get(pk=council_audit.pk)
        with CaptureQueriesContext(connection) as queries:
            again = completion.audit_save_page(
                assignment=bare, revision=1, step="0", values={"Q1": "no"}, user=auditor_council
            )
        (lock,) = reads_of_the_assignment(queries)
        assert '"audits_casefile"' in lock
        with django_assert_num_queries(0):
            assert again.case.sample.scrutiny == audit_scrutiny
            assert again.response.pk == saved.response.pk
        assert (again.revision, completion.audit_values(again)) == (2, {"Q1": "no"})

    def test_a_save_locks_the_draft_with_its_assignment_and_reads_it_once(
        self, council_audit, auditor_council
    ):
        """With a draft, the lock reads the assignment and the draft the page read it with in
        one statement (on PostgreSQL both rows locked by it), and nothing reads the draft again
        before it is written."""
        page = permissions.access_assignment_to_complete(auditor_council, council_audit.pk)
        saved = completion.audit_save_page(
            assignment=page, revision=0, step="1", values={"Q1": "no"}, user=auditor_council
        )
        page = permissions.access_assignment_to_complete(auditor_council, council_audit.pk)
        with CaptureQueriesContext(connection) as queries:
            completion.audit_save_page(
                assignment=page, revision=1, step="check", values=COMPLETE, user=auditor_council
            )
        (lock,) = reads_of_the_assignment(queries)
        assert 'INNER JOIN "scrutiny_response"' in lock
        if connection.vendor == "postgresql":
            assert lock.endswith('FOR UPDATE OF "audits_assignment", "scrutiny_response"')
        selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        assert not [sql for sql in selects if sql.split(" FROM ")[1].startswith('"scrutiny_resp')]
        savepoints = [q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
        assert len(savepoints) == 1  # the audit's own, inside the test's transaction: none more
        saved.refresh_from_db()
        assert (saved.revision, completion.audit_values(saved)) == (2, COMPLETE)

    def test_a_first_save_starts_in_the_current_version_when_the_pages_was_replaced(
        self, council_audit, auditor_council, audit_scrutiny, tool
    ):
        """The audit tool changed while the first page was open: its version, answered by
        nobody, was replaced (deleted). The draft starts in the version that exists now, with
        the answers that fit it."""
        page = permissions.access_assignment_to_complete(auditor_council, council_audit.pk)
        drawn = completion.assignment_compiled(page)
        revised = dataclasses.replace(sample_definition(), title="Audit tool, revised")
        replaced = instrument_save(scrutiny=audit_scrutiny, definition=revised)
        assert replaced.outcome == "replaced" and replaced.version.pk != drawn.version_id
        saved = completion.audit_save_page(
            assignment=page,
            revision=0,
            step="1",
            values={"Q1": "yes"},
            user=auditor_council,
            compiled=drawn,
        )
        assert saved.response.version_id == replaced.version.pk
        assert completion.audit_values(saved) == {"Q1": "yes"}

    def test_a_stale_revision_is_refused_and_nothing_changes(self, council_audit, auditor_council):
        completion.audit_save_page(
            assignment=council_audit,
            revision=0,
            step="1",
            values={"Q1": "no"},
            user=auditor_council,
        )
        before = state(council_audit)
        with pytest.raises(completion.StaleRevision) as refused:
            completion.audit_save_page(
                assignment=council_audit,
                revision=0,
                step="0",
                values={"Q1": "yes", "Q2": "Typed in the other tab"},
                user=auditor_council,
            )
        assert re.fullmatch(
            r"This audit was changed in another tab or by someone else at \d\d:\d\d\. Nothing "
            r"you typed on this page was saved\. Reload the page to see the answers saved now, "
            r"then make your changes again\.",
            refused.value.message,
        )
        assert refused.value.extra == {"revision": 1}
        assert state(council_audit) == before

    def test_only_its_auditor_saves_and_a_wrong_answer_saves_nothing(
        self, council_audit, auditor_council, second_council_auditor
    ):
        before = state(council_audit)
        with pytest.raises(ApplicationError, match="Only the auditor"):
            completion.audit_save_page(
                assignment=council_audit,
                revision=0,
                step="0",
                values={"Q1": "yes"},
                user=second_council_auditor,
            )
        with pytest.raises(ApplicationError, match="'maybe' is not an option of Q1"):
            completion.audit_save_page(
                assignment=council_audit,
                revision=0,
                step="0",
                values={"Q1": "maybe"},
                user=auditor_council,
            )
        assert state(council_audit) == before


class TestSubmit:
    def test_validates_the_whole_audit_then_locks_it(self, council_audit, auditor_council):
        saved = completion.audit_save_page(
            assignment=council_audit,
            revision=0,
            step="1",
            values={"Q1": "yes"},
            user=auditor_council,
        )
        before = state(saved)
        with pytest.raises(ApplicationError) as refused:
            completion.audit_submit(assignment=saved, revision=1, user=auditor_council)
        assert set(refused.value.extra["errors"]) == {"Q2", "Q6"}  # Q2 and Q6 follow Q1 = yes
        assert state(saved) == before

        saved = completion.audit_save_page(
            assignment=saved, revision=1, step="check", values=COMPLETE, user=auditor_council
        )
        submitted = completion.audit_submit(assignment=saved, revision=2, user=auditor_council)
        assert submitted.response.status == Response.Status.SUBMITTED
        assert submitted.response.submitted_at is not None
        assert submitted.revision == 3
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SUBMITTED).count() == 1
        with pytest.raises(ApplicationError, match="submitted and is locked"):
            completion.audit_save_page(
                assignment=submitted, revision=3, step="0", values=COMPLETE, user=auditor_council
            )

    def test_a_stale_submission_is_refused(self, council_audit, auditor_council):
        saved = completion.audit_save_page(
            assignment=council_audit, revision=0, step="", values=COMPLETE, user=auditor_council
        )
        with pytest.raises(completion.StaleRevision):
            completion.audit_submit(assignment=saved, revision=0, user=auditor_council)
        saved.refresh_from_db()
        assert saved.response.status == Response.Status.DRAFT


def submitted(assignment: Assignment) -> Assignment:
    assignment.refresh_from_db()
    saved = completion.audit_save_page(
        assignment=assignment,
        revision=assignment.revision,
        step="check",
        values=COMPLETE,
        user=assignment.auditor,
    )
    return completion.audit_submit(assignment=saved, revision=saved.revision, user=saved.auditor)


class TestReopen:
    def test_needs_a_reason_and_is_logged(self, council_audit, business_unit):
        done = submitted(council_audit)
        before = state(done)
        for reason in ("", "   "):
            with pytest.raises(ApplicationError, match="Give the reason"):
                completion.audit_reopen(assignment=done, reason=reason, user=business_unit)
        assert state(done) == before
        reopened = completion.audit_reopen(
            assignment=done, reason="Q6 graded on the wrong plan", user=business_unit
        )
        assert reopened.response.status == Response.Status.DRAFT
        assert reopened.revision == before[0] + 1
        event = AuditEvent.objects.get(action=AuditEvent.Action.REOPENED)
        assert (event.user, event.detail) == (business_unit, "Q6 graded on the wrong plan")

    def test_who_may_reopen(
        self, council_audit, auditor_council, second_council_auditor, scrutineer
    ):
        done = submitted(council_audit)
        with pytest.raises(ApplicationError, match="Only the business unit"):
            completion.audit_reopen(assignment=done, reason="Why", user=second_council_auditor)
        completion.audit_reopen(assignment=done, reason="My mistake", user=auditor_council)
        done = submitted(done)
        completion.audit_reopen(assignment=done, reason="Asked by the panel", user=scrutineer)

    def test_an_auditor_may_not_reopen_their_own_once_the_blind_pair_is_both_submitted(
        self, council_audit, council, auditor_council, second_council_auditor, business_unit
    ):
        """Both can now read each other's answers: reopening one's own to copy the other's
        would count as two independent audits agreeing."""
        second = assign(
            council_audit.case, council, second_council_auditor, role=Assignment.Role.SECOND
        )
        first = submitted(council_audit)
        # Before the second is submitted, the first auditor still may (nothing to copy yet).
        first = submitted(
            completion.audit_reopen(assignment=first, reason="My slip", user=auditor_council)
        )
        second = submitted(second)
        for audit, auditor in ((first, auditor_council), (second, second_council_auditor)):
            with pytest.raises(ApplicationError, match="only the business unit or the scrutineer"):
                completion.audit_reopen(assignment=audit, reason="A typo", user=auditor)
            audit.refresh_from_db()
            assert audit.response.status == Response.Status.SUBMITTED
        assert AuditEvent.objects.filter(action=AuditEvent.Action.REOPENED).count() == 1
        reopened = completion.audit_reopen(
            assignment=first, reason="Asked by the panel", user=business_unit
        )
        assert reopened.response.status == Response.Status.DRAFT

    def test_a_resubmit_keeps_the_quotes_of_the_answers_it_did_not_change(
        self, council_audit, auditor_council, audit_scrutiny, scrutineer
    ):
        """The scrutineer quoted a comment; the auditor reopens the audit to correct a grade:
        the quote stays. When the comment itself is changed, its quote goes with it (the words
        are no longer what the auditor wrote)."""
        comment = "Supervision notes were thin but the plan was followed."
        council_audit.refresh_from_db()
        saved = completion.audit_save_page(
            assignment=council_audit,
            revision=council_audit.revision,
            step="check",
            values={**COMPLETE, "Q7": comment},
            user=auditor_council,
        )
        done = completion.audit_submit(
            assignment=saved, revision=saved.revision, user=auditor_council
        )
        factor = audit_scrutiny.factors.get(code="SF1")
        answer = done.response.answers.get(text=comment)
        quote = findings.quote_tag(
            scrutiny=audit_scrutiny, factor=factor, answer_id=answer.pk, user=scrutineer
        )

        def resubmit(values: dict[str, str]) -> Assignment:
            reopened = completion.audit_reopen(
                assignment=done, reason="The grade was wrong", user=auditor_council
            )
            # While the audit is being corrected, its quotes are kept but do not leave the screen.
            assert Quote.objects.exists() and not quotes_shown(Quote.objects.all()).exists()
            again = completion.audit_save_page(
                assignment=reopened,
                revision=reopened.revision,
                step="check",
                values=values,
                user=auditor_council,
            )
            return completion.audit_submit(
                assignment=again, revision=again.revision, user=auditor_council
            )

        done = resubmit({**COMPLETE, "Q6": "2", "Q7": comment})
        grades = done.response.answers.filter(question__code="Q6")
        assert list(grades.values_list("option__value", flat=True)) == ["2"]
        assert Quote.objects.get() == quote
        assert quote.answer_id in done.response.answers.values_list("pk", flat=True)
        assert list(quotes_shown(Quote.objects.all())) == [quote]
        done = resubmit({**COMPLETE, "Q6": "2", "Q7": "The plan was followed."})
        assert not Quote.objects.exists()

    def test_refused_for_a_draft_and_once_moderated(self, council_audit, scrutineer):
        with pytest.raises(ApplicationError, match="nothing to reopen"):
            completion.audit_reopen(assignment=council_audit, reason="Why", user=scrutineer)
        done = submitted(council_audit)
        Moderation.objects.create(case=done.case, moderated_at=timezone.now())
        before = state(done)
        with pytest.raises(ApplicationError, match="has been moderated"):
            completion.audit_reopen(assignment=done, reason="Why", user=scrutineer)
        assert state(done) == before


# ---------------------------------------------------------------------------------------------
# Immediate concerns


class TestConcern:
    TEXT = "Bruising noted on CF-1042 at the last visit, never followed up."

    def test_recorded_and_the_lead_emailed_at_once_with_no_case_details(
        self, council_audit, auditor_council, partnership, django_capture_on_commit_callbacks
    ):
        partnership.safeguarding_lead_name = "Dana Lead"
        partnership.safeguarding_lead_email = "dana.lead@fernhill.invalid"
        partnership.save()
        with django_capture_on_commit_callbacks(execute=True):
            result = concerns.concern_raise(
                assignment=council_audit, concern=f"  {self.TEXT} ", user=auditor_council
            )
        concern = ImmediateConcern.objects.get()
        assert concern == result.concern
        assert (concern.case, concern.assignment, concern.raised_by, concern.concern) == (
            council_audit.case,
            council_audit,
            auditor_council,
            self.TEXT,
        )
        assert concern.lead_notified_at is not None
        assert result.recipient.is_lead
        event = AuditEvent.objects.get(action=AuditEvent.Action.CONCERN)
        assert self.TEXT not in event.detail
        (message,) = mail.outbox
        assert message.to == ["dana.lead@fernhill.invalid"]
        assert message.subject == "Immediate concern about a child raised in a case-file audit"
        no_case_ref_in(message)
        assert "Bruising" not in message.body and "Bruising" not in message.subject
        assert f"/audits/concerns/{concern.pk}/" in message.body
        assert str(auditor_council) in message.body and "Fernhill Council" in message.body
        assert "Dear Dana Lead," in message.body

    def test_without_a_lead_the_contact_address_is_told(
        self, council_audit, auditor_council, partnership, django_capture_on_commit_callbacks
    ):
        assert partnership.safeguarding_lead_email == ""
        with django_capture_on_commit_callbacks(execute=True):
            result = concerns.concern_raise(
                assignment=council_audit, concern=self.TEXT, user=auditor_council
            )
        assert not result.recipient.is_lead
        (message,) = mail.outbox
        assert message.to == [partnership.contact_email]
        assert "please pass it to the safeguarding lead now" in message.body
        no_case_ref_in(message)

    def test_with_nobody_to_tell_it_is_still_recorded_and_says_so(
        self, council_audit, auditor_council, partnership, django_capture_on_commit_callbacks
    ):
        partnership.contact_email = ""
        partnership.save()
        with django_capture_on_commit_callbacks(execute=True):
            result = concerns.concern_raise(
                assignment=council_audit, concern=self.TEXT, user=auditor_council
            )
        assert result.recipient is None
        assert ImmediateConcern.objects.get().lead_notified_at is None
        assert mail.outbox == []
        event = AuditEvent.objects.get(action=AuditEvent.Action.CONCERN)
        assert "nobody could be emailed" in event.detail

    def test_an_empty_concern_is_refused(self, council_audit, auditor_council):
        with pytest.raises(ApplicationError, match="Describe the concern"):
            concerns.concern_raise(assignment=council_audit, concern=" ", user=auditor_council)
        assert ImmediateConcern.objects.count() == 0

    def test_acknowledged_once(self, council_audit, auditor_council, scrutineer):
        result = concerns.concern_raise(
            assignment=council_audit, concern=self.TEXT, user=auditor_council
        )
        concern = concerns.concern_acknowledge(concern=result.concern, user=scrutineer)
        assert concern.acknowledged_by == scrutineer
        with pytest.raises(ApplicationError, match="already acknowledged"):
            concerns.concern_acknowledge(concern=concern, user=scrutineer)


# ---------------------------------------------------------------------------------------------
# The auditor's list


class TestAuditorList:
    def test_status_in_words(self, cases, council, auditor_council, police, auditor_police):
        today = timezone.localdate()
        not_started = assign(cases[0], council, auditor_council)
        overdue = assign(cases[1], council, auditor_council, due=today - dt.timedelta(days=1))
        draft = assign(cases[2], council, auditor_council, due=today + dt.timedelta(days=30))
        completion.audit_save_page(
            assignment=draft, revision=0, step="0", values={"Q1": "no"}, user=auditor_council
        )
        assign(cases[0], police, auditor_police)  # someone else's
        rows = selectors.audit_list_for_auditor(user=auditor_council)
        assert [(r.assignment.pk, r.status_words) for r in rows] == [
            (overdue.pk, "Overdue"),
            (not_started.pk, "Not started"),
            (draft.pk, "In draft"),
        ]
        submitted(draft)
        assert selectors.audit_detail(assignment_id=draft.pk).status_words == "Submitted"
        Moderation.objects.create(case=draft.case, moderated_at=timezone.now())
        assert selectors.audit_detail(assignment_id=draft.pk).status_words == "Moderated"

    def test_one_query_however_many(
        self, audit_scrutiny, tool, council, auditor_council, django_assert_num_queries
    ):
        few = make_sample(audit_scrutiny, tool, ["CF-1"])
        assign(few[0], council, auditor_council)
        with django_assert_num_queries(1):
            assert len(selectors.audit_list_for_auditor(user=auditor_council)) == 1
        sample = few[0].sample
        for i in range(2, 12):
            case = sample.cases.create(position=i, case_ref=f"CF-{i}", group="NTH")
            assign(case, council, auditor_council)
        with django_assert_num_queries(1):
            assert len(selectors.audit_list_for_auditor(user=auditor_council)) == 11

    def test_nobody_else_has_a_list(self, council_audit, board_member):
        assert selectors.audit_list_for_auditor(user=board_member) == []
        other = UserFactory(role=User.Role.AUDITOR, agency=council_audit.agency)
        assert selectors.audit_list_for_auditor(user=other) == []
