"""The scrutiny pages: who may see and change them, workbooks, the builder, the preview."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from scrutiny.evidence import response_submit
from scrutiny.instruments import definition_from_version, instrument_save, version_compile
from scrutiny.models import Instrument, Partnership, Response, Scrutiny, SuccessFactor
from scrutiny.workbooks import instrument_from_workbook, instrument_to_workbook
from tests.conftest import client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads
from tests.jobs import through_job as through_job
from tests.scrutiny.test_questionnaires import sample_definition
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(sheets: dict[str, list[list[Any]]], name: str = "book.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(workbook: Workbook, name: str = "book.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


@pytest.fixture
def audit(scrutiny) -> Instrument:
    return instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument


def respond(instrument: Instrument, n: int = 1) -> list[Response]:
    compiled = version_compile(instrument.versions.order_by("-number").first())
    return [
        response_submit(
            compiled=compiled, values={"Q1": "yes", "Q2": "Plan", "Q6": "3"}, channel="audit"
        )
        for _ in range(n)
    ]


def urls(scrutiny: Scrutiny, instrument: Instrument) -> dict[str, str]:
    args = [scrutiny.slug, instrument.pk]
    return {
        "list": reverse("scrutiny-list"),
        "detail": reverse("scrutiny-detail", args=[scrutiny.slug]),
        "instrument": reverse("instrument-detail", args=args),
        "preview": reverse("instrument-preview", args=args),
        "workbook": reverse("instrument-workbook", args=args),
    }


def change_urls(scrutiny: Scrutiny, instrument: Instrument) -> dict[str, str]:
    args = [scrutiny.slug, instrument.pk]
    return {
        "new": reverse("scrutiny-new"),
        "import": reverse("scrutiny-import"),
        "edit": reverse("scrutiny-edit", args=[scrutiny.slug]),
        "instrument-new": reverse("instrument-new", args=[scrutiny.slug]),
        "instrument-import": reverse("instrument-import", args=[scrutiny.slug]),
        "settings": reverse("instrument-settings", args=args),
        "question": reverse("instrument-question", args=args),
        "question-change": reverse("instrument-question", args=args) + "?code=Q7",
        "question-remove": reverse("instrument-question-remove", args=args) + "?code=Q7",
        "list": reverse("instrument-list", args=args),
        "list-remove": reverse("instrument-list-remove", args=args) + "?name=grade",
        "responses": reverse("instrument-responses-import", args=args),
    }


# ---------------------------------------------------------------------------------------------
# Who may do what


@pytest.mark.django_db
class TestPermissions:
    def test_business_unit_and_scrutineer_read_and_change(self, business_unit, scrutineer, audit):
        scrutiny = audit.scrutiny
        for user in (business_unit, scrutineer):
            client = client_for(user)
            for url in [*urls(scrutiny, audit).values(), *change_urls(scrutiny, audit).values()]:
                assert client.get(url).status_code == 200, url

    def test_board_member_reads_but_cannot_change(self, board_member, audit):
        client = client_for(board_member)
        scrutiny = audit.scrutiny
        for url in urls(scrutiny, audit).values():
            assert client.get(url).status_code == 200, url
        for url in change_urls(scrutiny, audit).values():
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code == 403, url
        move = reverse("instrument-question-move", args=[scrutiny.slug, audit.pk]) + "?code=Q4"
        assert client.post(move, {"direction": "up"}).status_code == 403
        body = client.get(urls(scrutiny, audit)["instrument"]).content.decode()
        assert "Add a question" not in body and "Move up" not in body

    def test_agency_staff_get_404(self, auditor_council, practitioner, agency_lead, audit):
        scrutiny = audit.scrutiny
        for user in (auditor_council, practitioner, agency_lead):
            client = client_for(user)
            for url in [*urls(scrutiny, audit).values(), *change_urls(scrutiny, audit).values()]:
                assert client.get(url).status_code == 404, (user.role, url)

    def test_another_partnership_scrutiny_is_404(self, scrutineer, board_member):
        other = Partnership.objects.create(name="Elsewhere Partnership")
        foreign = Scrutiny.objects.create(partnership=other, slug="elsewhere", title="Elsewhere")
        SuccessFactor.objects.create(scrutiny=foreign, code="SF1", statement="Known.")
        SuccessFactor.objects.create(scrutiny=foreign, code="SF2", statement="Reached.")
        instrument = instrument_save(scrutiny=foreign, definition=sample_definition()).instrument
        for user in (scrutineer, board_member):
            client = client_for(user)
            for url in urls(foreign, instrument).values():
                if url == reverse("scrutiny-list"):
                    assert "Elsewhere" not in client.get(url).content.decode()
                    continue
                assert client.get(url).status_code == 404, url
        assert (
            client_for(scrutineer).get(change_urls(foreign, instrument)["edit"]).status_code == 404
        )

    def test_an_instrument_of_another_scrutiny_is_404(self, scrutineer, audit, partnership):
        other = Scrutiny.objects.create(partnership=partnership, slug="other", title="Other")
        url = reverse("instrument-detail", args=[other.slug, audit.pk])
        assert client_for(scrutineer).get(url).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, audit):
        for url in urls(audit.scrutiny, audit).values():
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------------------------
# Setting up a scrutiny


@pytest.mark.django_db
class TestScrutinySetup:
    def test_short_form_sets_up_a_scrutiny(self, scrutineer, partnership):
        client = client_for(scrutineer)
        response = client.post(
            reverse("scrutiny-new"),
            {
                "slug": "lfp-2025",
                "title": "Learning from Practice 2025",
                "priority": "Learning reaches practice",
                "starts": "2025-04-01",
                "ends": "2025-09-30",
                "strong_threshold": "80",
                "some_threshold": "50",
                "min_responses": "5",
                "suppression_threshold": "5",
                "status": "planning",
                "factors": "SF1 | Practitioners know the learning.\nSF2 | It reaches everyone.",
            },
        )
        assert response.status_code == 302
        scrutiny = Scrutiny.objects.get(slug="lfp-2025")
        assert scrutiny.partnership == partnership
        assert scrutiny.strong_threshold == 80
        assert list(scrutiny.factors.values_list("code", flat=True)) == ["SF1", "SF2"]
        page = client.get(response["Location"]).content.decode()
        assert "is set up" in page
        assert "Practitioners know the learning." in page

    def test_mistakes_are_listed_in_the_error_summary(self, scrutineer, scrutiny):
        response = client_for(scrutineer).post(
            reverse("scrutiny-new"),
            {
                "slug": scrutiny.slug,
                "title": "",
                "strong_threshold": "40",
                "some_threshold": "60",
                "min_responses": "5",
                "suppression_threshold": "5",
                "factors": "SF1 without a bar",
            },
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Set up a scrutiny" in body
        assert "There is a problem" in body
        assert 'href="#id_slug"' in body and "already a scrutiny with this short name" in body
        assert 'href="#id_some_threshold"' in body
        assert "Line 1: write the code, a |, then the statement." in body
        assert Scrutiny.objects.count() == 1

    def test_settings_can_be_changed(self, scrutineer, scrutiny):
        url = reverse("scrutiny-edit", args=[scrutiny.slug])
        form = client_for(scrutineer).get(url).context["form"]
        data = {k: ("" if v is None else v) for k, v in form.initial.items()}
        data["title"] = "Renamed"
        data["factors"] += "\nSF3 | Supervisors reinforce learning."
        response = client_for(scrutineer).post(url, data)
        assert response.status_code == 302
        scrutiny.refresh_from_db()
        assert scrutiny.title == "Renamed"
        assert scrutiny.factors.count() == 3

    def test_status_and_redaction_list_are_set_here_and_kept_by_a_workbook(
        self, scrutineer, scrutiny, through_job
    ):
        url = reverse("scrutiny-edit", args=[scrutiny.slug])
        client = client_for(scrutineer)
        initial = client.get(url).context["form"].initial
        data = {k: ("" if v is None else v) for k, v in initial.items()}
        data["status"] = "analysis"
        data["redaction_terms"] = "  Ashgrove Primary  \n\nKai\n"
        assert client.post(url, data).status_code == 302
        scrutiny.refresh_from_db()
        assert scrutiny.get_status_display() == "Analysis"
        assert scrutiny.redaction_list == ["Ashgrove Primary", "Kai"]
        book = {
            "scrutiny": [["key", "value"], ["slug", scrutiny.slug], ["title", "From a workbook"]],
            "success_factors": [["code", "statement"]],
        }
        through_job(client, reverse("scrutiny-import"), {"file": xlsx(book)})
        scrutiny.refresh_from_db()
        assert scrutiny.title == "From a workbook"
        assert (scrutiny.status, scrutiny.redaction_terms) == ("analysis", "Ashgrove Primary\nKai")
        data["status"] = "finished"
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_scrutiny_workbook_upload(self, scrutineer, partnership, through_job):
        book = {
            "scrutiny": [["key", "value"], ["slug", "from-book"], ["title", "From a workbook"]],
            "success_factors": [["code", "statement"], ["SF1", "Learning is known."]],
        }
        client = client_for(scrutineer)
        page = through_job(client, reverse("scrutiny-import"), {"file": xlsx(book)}).text
        assert "Scrutiny “From a workbook” is set up from the workbook." in page
        assert reverse("scrutiny-detail", args=["from-book"]) in page
        assert Scrutiny.objects.get(slug="from-book").factors.count() == 1
        again = through_job(client, reverse("scrutiny-import"), {"file": xlsx(book)}).text
        assert "Nothing changed: “From a workbook” already holds this workbook." in again

    def test_scrutiny_workbook_errors_name_sheet_row_and_column(
        self, scrutineer, partnership, through_job
    ):
        book = {
            "scrutiny": [["key", "value"], ["slug", "Not A Slug"], ["strong_threshold", "lots"]],
            "success_factors": [["code", "statement"], ["SF1", ""]],
        }
        client = client_for(scrutineer)
        body = through_job(client, reverse("scrutiny-import"), {"file": xlsx(book)}).text
        assert "There is a problem" in body
        assert "nothing was imported" in body
        assert "<caption>Problems found in the workbook</caption>" in body
        assert "<td>scrutiny</td><td>2</td>" in body
        assert Scrutiny.objects.count() == 0

    def test_a_file_that_is_not_xlsx_is_refused(self, scrutineer, partnership):
        file = SimpleUploadedFile("notes.csv", b"a,b\n1,2\n", content_type="text/csv")
        response = client_for(scrutineer).post(reverse("scrutiny-import"), {"file": file})
        assert "must be an Excel workbook" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Instrument workbooks and responses


@pytest.mark.django_db
class TestInstrumentWorkbooks:
    def test_upload_creates_then_leaves_unchanged_then_makes_a_new_version(
        self,
        scrutineer,
        scrutiny,
        through_job,
    ):
        client = client_for(scrutineer)
        url = reverse("instrument-import", args=[scrutiny.slug])
        book = instrument_to_workbook(sample_definition())
        page = through_job(client, url, {"file": upload(book)}).text
        assert "Imported: instrument AUDIT created (version 1)." in page
        instrument = Instrument.objects.get(code="AUDIT")
        assert reverse("instrument-detail", args=[scrutiny.slug, instrument.pk]) in page
        page = through_job(client, url, {"file": upload(book)}).text
        assert "Nothing changed: AUDIT version 1 already asks exactly this." in page
        old_response = respond(instrument)[0]
        book["questions"]["D2"] = "What did the plan say, in brief?"
        page = through_job(client, url, {"file": upload(book)}).text
        assert "Imported as AUDIT version 2, a new version" in page
        old_response.refresh_from_db()
        assert old_response.version.number == 1

    def test_upload_errors_are_listed(self, scrutineer, scrutiny, through_job):
        book = instrument_to_workbook(sample_definition())
        book["questions"]["C2"] = "essay"
        url = reverse("instrument-import", args=[scrutiny.slug])
        body = through_job(client_for(scrutineer), url, {"file": upload(book)}).text
        assert "There is a problem" in body
        assert "<td>questions</td>" in body and "essay" in body
        assert reverse("instrument-import", args=[scrutiny.slug]) in body
        assert not Instrument.objects.exists()

    def test_download_is_an_xlsx_that_reads_back(self, board_member, audit):
        url = reverse("instrument-workbook", args=[audit.scrutiny.slug, audit.pk])
        response = client_for(board_member).get(url)
        assert response["Content-Type"] == XLSX
        assert response["Content-Disposition"] == (
            'attachment; filename="learning-2025-AUDIT-v1.xlsx"'
        )
        definition = instrument_from_workbook(io.BytesIO(response.content))
        assert definition == sample_definition()
        assert client_for(board_member).get(url + "?version=7").status_code == 404

    def test_download_names_are_safe(self, scrutineer, scrutiny):
        definition = sample_definition(code='A/B "x"')
        instrument = instrument_save(scrutiny=scrutiny, definition=definition).instrument
        url = reverse("instrument-workbook", args=[scrutiny.slug, instrument.pk])
        disposition = client_for(scrutineer).get(url)["Content-Disposition"]
        assert disposition == 'attachment; filename="learning-2025-A-B-x-v1.xlsx"'

    # The import runs as a job (in-process here), and its page shows the counts or problems.
    @pytest.mark.usefixtures("eager_tasks", "job_uploads")
    def test_responses_upload_reports_counts(
        self, scrutineer, audit, django_capture_on_commit_callbacks
    ):
        url = reverse("instrument-responses-import", args=[audit.scrutiny.slug, audit.pk])
        rows = [["ref", "Q1", "Q2", "Q6"], ["r1", "yes", "Plan", "3"], ["r2", "no", "", ""]]
        client = client_for(scrutineer)
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url, {"file": xlsx({"responses": rows})})
        page = client.get(started.url)
        assert "2 created, 0 updated, 0 unchanged" in page.content.decode()
        rows[2][1] = "yes"
        rows[2][2] = "Changed"
        rows[2][3] = "4"
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url, {"file": xlsx({"responses": rows})})
        page = client.get(started.url)
        assert "0 created, 1 updated, 1 unchanged" in page.content.decode()
        assert Response.objects.filter(instrument=audit).count() == 2

    @pytest.mark.usefixtures("eager_tasks", "job_uploads")
    def test_responses_upload_errors_are_listed_and_nothing_is_imported(
        self, scrutineer, audit, django_capture_on_commit_callbacks
    ):
        url = reverse("instrument-responses-import", args=[audit.scrutiny.slug, audit.pk])
        rows = [["ref", "Q1", "Q6"], ["r1", "maybe", "3"], ["r2", "yes", "9"]]
        client = client_for(scrutineer)
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url, {"file": xlsx({"r": rows})})
        body = client.get(started.url).content.decode()
        assert "There is a problem" in body
        assert "maybe" in body and "&#x27;9&#x27;" in body
        assert not Response.objects.exists()


# ---------------------------------------------------------------------------------------------
# The builder


@pytest.mark.django_db
class TestBuilderPages:
    def question_data(self, **changes: str) -> dict[str, str]:
        data = {
            "section": "Practice",
            "code": "Q8",
            "type": "single",
            "text": "Did supervision help?",
            "options": "helped",
            "option_lines": "yes | Yes | 1\nno | No | 0\nna | Not applicable",
            "factors": "SF1; SF2:2",
            "help": "",
            "show_if": "",
            "required": "no",
        }
        data.update(changes)
        return data

    def test_add_a_question_with_its_list(self, scrutineer, audit):
        url = reverse("instrument-question", args=[audit.scrutiny.slug, audit.pk])
        client = client_for(scrutineer)
        form = client.get(url).context["form"]
        response = client.post(url, self.question_data(based_on=form.initial["based_on"]))
        assert response.status_code == 302
        definition = definition_from_version(audit.versions.get())
        added = definition.questions[-1]
        assert (added.code, added.options, [f.code for f in added.factors]) == (
            "Q8",
            "helped",
            ["SF1", "SF2"],
        )
        assert [o.points for o in definition.option_lists["helped"]] == [1, 0, None]
        page = client.get(response["Location"]).content.decode()
        assert "AUDIT version 1 replaced (it had no responses yet)" in page
        assert "Did supervision help?" in page

    def test_errors_are_shown_next_to_their_field(self, scrutineer, audit):
        url = reverse("instrument-question", args=[audit.scrutiny.slug, audit.pk])
        response = client_for(scrutineer).post(
            url, self.question_data(factors="SF9", show_if="Q99 = yes")
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in body
        assert 'id="id_factors_error"' in body and "&#x27;SF9&#x27;" in body
        assert 'id="id_show_if_error"' in body and "&#x27;Q99&#x27;" in body
        assert 'href="#id_factors"' in body
        assert "Q8" not in [q.code for q in definition_from_version(audit.versions.get()).questions]

    def test_form_checks_before_the_service(self, scrutineer, audit):
        url = reverse("instrument-question", args=[audit.scrutiny.slug, audit.pk])
        body = (
            client_for(scrutineer)
            .post(url, self.question_data(options="", factors="SF1:zero", show_if="Q1 ~ yes"))
            .content.decode()
        )
        assert "Name the list of answers this question offers." in body
        assert "the weight of SF1 is &#x27;zero&#x27;, not a number" in body
        assert "Cannot read show_if" in body

    def test_change_and_remove_a_question(self, scrutineer, audit):
        client = client_for(scrutineer)
        base = reverse("instrument-question", args=[audit.scrutiny.slug, audit.pk])
        form = client.get(base + "?code=Q7").context["form"]
        assert form.initial["text"] == "Anything else?"
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(text="Anything else to add?", required="yes")
        assert client.post(base + "?code=Q7", data).status_code == 302
        question = audit.versions.get().questions.get(code="Q7")
        assert (question.text, question.required) == ("Anything else to add?", True)

        remove = reverse("instrument-question-remove", args=[audit.scrutiny.slug, audit.pk])
        page = client.get(remove + "?code=Q7").content.decode()
        assert "Remove question Q7?" in page
        assert client.post(remove + "?code=Q7", {}).status_code == 302
        assert not audit.versions.get().questions.filter(code="Q7").exists()
        refused = client.post(remove + "?code=Q1", {}).content.decode()
        assert "shown only depending on the answer to Q1" in refused
        assert client.get(base + "?code=NOPE").status_code == 404

    def test_move_a_question(self, scrutineer, audit):
        url = reverse("instrument-question-move", args=[audit.scrutiny.slug, audit.pk])
        client = client_for(scrutineer)
        client.post(url + "?code=Q4", {"direction": "up"})
        codes = list(audit.versions.get().questions.values_list("code", flat=True))
        assert codes == ["Q1", "Q2", "Q4", "Q3", "Q5", "Q6", "Q7"]
        page = client.post(url + "?code=Q4", {"direction": "up"}, follow=True).content.decode()
        assert "already the first question of section" in page

    def test_option_lists_add_change_remove(self, scrutineer, audit):
        client = client_for(scrutineer)
        url = reverse("instrument-list", args=[audit.scrutiny.slug, audit.pk])
        assert client.post(url, {"name": "spare", "option_lines": "a | A"}).status_code == 302
        page = client.post(url + "?name=grade", {"name": "grade", "option_lines": "x | X | 1\nx"})
        assert "Line 2: value &#x27;x&#x27; is already in the list." in page.content.decode()
        changed = client.post(
            url + "?name=grade", {"name": "grade", "option_lines": "good | Good | 1\nbad | Bad | 0"}
        )
        assert changed.status_code == 302
        definition = definition_from_version(audit.versions.get())
        assert [o.value for o in definition.option_lists["grade"]] == ["good", "bad"]
        remove = reverse("instrument-list-remove", args=[audit.scrutiny.slug, audit.pk])
        assert "used by Q6" in client.post(remove + "?name=grade").content.decode()
        assert client.post(remove + "?name=spare").status_code == 302
        assert "spare" not in definition_from_version(audit.versions.get()).option_lists

    def test_with_responses_a_change_publishes_a_new_version(self, scrutineer, audit):
        old_response = respond(audit)[0]
        client = client_for(scrutineer)
        page = client.get(reverse("instrument-detail", args=[audit.scrutiny.slug, audit.pk]))
        assert "Your first change makes version 2" in page.content.decode()
        url = reverse("instrument-settings", args=[audit.scrutiny.slug, audit.pk])
        response = client.post(url, {"title": "Audit tool 2025", "kind": "file_audit"}, follow=True)
        assert "Saved as AUDIT version 2, a new version" in response.content.decode()
        old_response.refresh_from_db()
        assert old_response.version.number == 1
        assert list(audit.versions.values_list("number", flat=True)) == [1, 2]

    def test_a_stale_page_changes_nothing(self, scrutineer, audit):
        url = reverse("instrument-settings", args=[audit.scrutiny.slug, audit.pk])
        client = client_for(scrutineer)
        stale = client.get(url).context["form"].initial["based_on"]
        client.post(url, {"title": "First", "kind": "file_audit", "based_on": stale})
        body = client.post(
            url, {"title": "Second", "kind": "file_audit", "based_on": stale}
        ).content.decode()
        assert "has changed since you opened this page" in body
        audit.refresh_from_db()
        assert audit.title == "First"

    def test_a_new_instrument_with_its_first_question(self, scrutineer, scrutiny):
        url = reverse("instrument-new", args=[scrutiny.slug])
        data = {
            "instrument_code": "SURVEY",
            "title": "Practitioner survey",
            "kind": "practitioner_survey",
            **self.question_data(code="R1", factors=""),
        }
        response = client_for(scrutineer).post(url, data)
        assert response.status_code == 302
        instrument = Instrument.objects.get(code="SURVEY")
        assert instrument.versions.get().questions.get().code == "R1"
        again = client_for(scrutineer).post(url, data).content.decode()
        assert 'id="id_instrument_code_error"' in again


# ---------------------------------------------------------------------------------------------
# Preview


def wizard_post(client, url: str, prefix: str, step: str, data: dict[str, Any]):
    payload = {f"{prefix}-current_step": step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return client.post(url, payload)


@pytest.mark.django_db
class TestPreview:
    def test_preview_walks_the_pages_and_saves_nothing(self, board_member, audit):
        client = client_for(board_member)
        url = reverse("instrument-preview", args=[audit.scrutiny.slug, audit.pk])
        version = audit.versions.get()
        prefix = f"instrument_preview_{version.pk}"

        first = client.get(url).content.decode()
        assert "Preview \N{EN DASH} answers are not saved." in first
        assert "<h1>About the case</h1>" in first
        assert "page 1 of 2" in first
        assert "Answer this if you chose “Yes” for “Was there a plan?”." in first

        missing = wizard_post(client, url, prefix, "0", {}).content.decode()
        assert "There is a problem" in missing and "Choose an answer." in missing

        second = wizard_post(client, url, prefix, "0", {"Q1": "no"}).content.decode()
        assert "<h1>Practice</h1>" in second
        assert "How good was the plan?" not in second  # Q6: Q1 = yes only, on an earlier page

        done = wizard_post(client, url, prefix, "1", {"Q4": "3", "Q7": "All fine"})
        body = done.content.decode()
        assert "End of the preview" in body
        assert "A respondent giving these answers could submit them." in body
        assert "All fine" in body
        assert Response.objects.count() == 0

    def test_back_to_a_page_and_change_the_follow_ups(self, scrutineer, audit):
        client = client_for(scrutineer)
        url = reverse("instrument-preview", args=[audit.scrutiny.slug, audit.pk])
        prefix = f"instrument_preview_{audit.versions.get().pk}"
        client.get(url)
        wizard_post(client, url, prefix, "0", {"Q1": "no"})
        back = client.post(url, {f"{prefix}-current_step": "1", "wizard_goto_step": "0"})
        assert "<h1>About the case</h1>" in back.content.decode()
        second = wizard_post(client, url, prefix, "0", {"Q1": "yes", "Q2": "A plan"})
        assert "How good was the plan?" in second.content.decode()
        unanswered = wizard_post(client, url, prefix, "1", {})
        assert "Choose an answer." in unanswered.content.decode()
        assert Response.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Queries do not grow with questions or responses


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
class TestQueryCounts:
    def test_scrutiny_pages(self, scrutineer, scrutiny, django_assert_num_queries):
        client = client_for(scrutineer)
        first = instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument
        respond(first)
        detail = reverse("scrutiny-detail", args=[scrutiny.slug])
        small_detail = count_queries(client, detail)
        small_list = count_queries(client, reverse("scrutiny-list"))

        for code in ("B", "C", "D"):
            instrument = instrument_save(
                scrutiny=scrutiny, definition=sample_definition(code=code, extra_questions=5)
            ).instrument
            respond(instrument, 4)
        other = Scrutiny.objects.create(partnership=scrutiny.partnership, slug="x", title="X")
        SuccessFactor.objects.create(scrutiny=other, code="SF1", statement="Known.")
        with django_assert_num_queries(small_detail):
            client.get(detail)
        with django_assert_num_queries(small_list):
            client.get(reverse("scrutiny-list"))

    def test_instrument_page(self, scrutineer, scrutiny, django_assert_num_queries):
        client = client_for(scrutineer)
        small = instrument_save(scrutiny=scrutiny, definition=sample_definition(code="S"))
        small_count = count_queries(
            client, reverse("instrument-detail", args=[scrutiny.slug, small.instrument.pk])
        )
        large = instrument_save(
            scrutiny=scrutiny, definition=sample_definition(code="L", extra_questions=25)
        ).instrument
        respond(large, 5)
        instrument_save(
            scrutiny=scrutiny, definition=sample_definition(code="L", extra_questions=26)
        )
        url = reverse("instrument-detail", args=[scrutiny.slug, large.pk])
        with django_assert_num_queries(small_count):
            body = client.get(url).content.decode()
        assert "Extra 25?" in body

    def test_preview_page(self, scrutineer, scrutiny, django_assert_num_queries):
        client = client_for(scrutineer)
        small = instrument_save(scrutiny=scrutiny, definition=sample_definition(code="S"))
        small_count = count_queries(
            client, reverse("instrument-preview", args=[scrutiny.slug, small.instrument.pk])
        )
        large = instrument_save(
            scrutiny=scrutiny, definition=sample_definition(code="L", extra_questions=25)
        ).instrument
        with django_assert_num_queries(small_count):
            client.get(reverse("instrument-preview", args=[scrutiny.slug, large.pk]))


@pytest.mark.django_db
def test_instrument_page_shows_the_structure(board_member, audit):
    body = (
        client_for(board_member)
        .get(reverse("instrument-detail", args=[audit.scrutiny.slug, audit.pk]))
        .content.decode()
    )
    assert "<h1>AUDIT Case-file audit</h1>" in body
    assert "Page 2: Practice" in body
    assert "SF1 (weight 2)" in body
    assert "<code>Q1 = yes</code>" in body
    assert "Single choice from list" in body and ", scored" in body
    assert "Requires improvement" in body and "Not scored" in body
    assert "Used by Q6." in body
    assert '<th scope="row">1 (current)<br>' in body


def test_workbook_helper_round_trips():
    file = xlsx({"s": [["a"], [1]]})
    assert load_workbook(io.BytesIO(file.read()))["s"]["A2"].value == 1
