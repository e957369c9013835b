"""Subject access and erasure for an email address: the download holds what the partnership
holds and nothing of another; erasing an invitee leaves no trace of the address anywhere in
the database, the trail's record of the erasure included."""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from audits.concerns import concern_recipient
from scrutiny.models import Partnership, Response, TrailEntry, User
from scrutiny.people_data import as_xlsx, erase, subject_access
from scrutiny.people_data.scrub import TRAIL_FIELDS, rows_naming
from scrutiny.trail import trail_record
from surveys.models import Invitation, OpenDraft
from surveys.services.answering import survey_save_page, survey_submit
from tests.conftest import client_for
from tests.factories import AgencyFactory, PartnershipFactory, UserFactory
from tests.surveys.conftest import (  # noqa: F401
    make_invitation,
    social_worker,
    survey,
    survey_scrutiny,
    survey_tool,
)

INVITEE = "Casey.Invitee@Fernhill.invalid"


def whole_database() -> str:
    dump = {
        m._meta.label: list(m._default_manager.order_by("pk").values()) for m in apps.get_models()
    }
    return json.dumps(dump, default=str).lower()


@pytest.fixture
def invited(survey, council, social_worker, business_unit):  # noqa: F811
    invitation, _ = make_invitation(survey, INVITEE.lower(), council, social_worker)
    # An anonymous survey: the draft is kept in the invitation's keyed draft (invited_drafts).
    survey_save_page(holder=invitation, step="0", values={"Q2": "Started"})
    trail_record(action="invitation_sent", user=business_unit, obj=invitation)
    return invitation


@pytest.fixture
def elsewhere(db):
    """A second partnership holding the same address."""
    other = PartnershipFactory(name="Westmere Partnership", slug="westmere")
    agency = AgencyFactory(partnership=other, code="WST")
    UserFactory(partnership=other, email=INVITEE.lower(), role=User.Role.PRACTITIONER)
    trail_record(action="test", partnership=other, detail=f"About {INVITEE.lower()}")
    return other, agency


def test_subject_access_holds_the_invitation_and_nothing_of_another_partnership(
    invited, elsewhere, partnership
):
    data = subject_access(partnership=partnership, email=f"  {INVITEE} ")
    titles = {s.title for s in data.held}
    assert "Survey invitations" in titles and "Account" not in titles
    rows = next(s for s in data.held if s.title == "Survey invitations").rows
    assert rows[0]["address"] == INVITEE.lower()
    # An anonymous survey: who has started or answered is not shown to those who run it, and
    # the business unit makes this download (the next test).
    assert (
        rows[0]["draft answers held"] == rows[0]["answered"] == "not shown: the survey is anonymous"
    )
    assert "Westmere" not in json.dumps(data.as_data())
    assert all("About" not in r.get("detail", "") for s in data.held for r in s.rows)
    book = load_workbook(io.BytesIO(as_xlsx(data)))
    assert "Survey invitations" in book.sheetnames


def test_subject_access_looked_at_twice_does_not_say_who_answered_an_anonymous_survey(
    invited, partnership
):
    """The attack: download an invitee's data, let a response arrive, download it again. Were
    "answered" (or the reminders, or a draft held) shown, the change would say whose response
    it was. The download is the same before and after the person submits."""
    before = subject_access(partnership=partnership, email=INVITEE).as_data()
    survey_submit(holder=invited, values={"Q1": "yes", "Q2": "Plan", "Q6": "3"})
    assert Response.objects.count() == 1
    assert subject_access(partnership=partnership, email=INVITEE).as_data() == before


def test_erasing_an_invitee_leaves_no_trace_of_the_address(invited, partnership, business_unit):
    assert INVITEE.lower() in whole_database()
    erasure = erase(partnership=partnership, email=INVITEE, user=business_unit)
    assert INVITEE.lower() not in whole_database()
    assert erasure.erased
    record = TrailEntry.objects.get(action="erasure")
    assert "invitee" in record.detail or "person" in record.detail
    invitation = Invitation.objects.get(pk=invited.pk)
    assert invitation.draft_values == {} and invitation.agency_id == invited.agency_id
    # The keyed draft of the invitation, unsubmitted, lost its answers as the invitation did.
    assert list(OpenDraft.objects.filter(by_invitation=True).values_list("draft_values")) == [({},)]
    assert subject_access(partnership=partnership, email=INVITEE).held == []


def test_erasure_leaves_another_partnership_untouched(
    invited, elsewhere, partnership, business_unit
):
    other, _ = elsewhere
    erase(partnership=partnership, email=INVITEE, user=business_unit)
    assert User.objects.get(partnership=other).email == INVITEE.lower()
    assert TrailEntry.objects.get(partnership=other, action="test").detail.endswith(INVITEE.lower())


def test_an_account_is_deactivated_and_anonymised_and_its_audits_kept(
    partnership, practitioner, business_unit
):
    trail_record(action="signed_in", user=practitioner)
    erasure = erase(partnership=partnership, email=practitioner.email, user=business_unit)
    practitioner.refresh_from_db()
    assert not practitioner.is_active and practitioner.full_name == ""
    assert "charlie@fernhill.invalid" not in whole_database()
    assert TrailEntry.objects.get(action="signed_in").actor == "an erased account"
    assert any(line.what.startswith("account") for line in erasure.erased)


def test_erasing_an_account_takes_its_name_and_network_address_out_of_the_trail(
    partnership, practitioner, business_unit
):
    User.objects.filter(pk=practitioner.pk).update(full_name="Charlie Zebedee")
    practitioner.refresh_from_db()
    client_for(practitioner)  # signs in: the trail keeps the name and the network address
    practitioner.role = User.Role.SCRUTINEER
    practitioner.save()  # the trail records the change of role, labelled with the name
    trail_record(action="second factor reset", user=business_unit, obj=practitioner)
    LogEntry.objects.create(
        user=business_unit,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(practitioner.pk),
        object_repr=str(practitioner),
        action_flag=CHANGE,
    )
    about = TrailEntry.objects.filter(object_type="user", object_id=str(practitioner.pk))
    assert about.filter(object_label="Charlie Zebedee").count() >= 3
    assert TrailEntry.objects.filter(action="signed_in", data__has_key="address").exists()

    erasure = erase(partnership=partnership, email=practitioner.email, user=business_unit)
    assert "charlie zebedee" not in whole_database()
    assert not TrailEntry.objects.filter(data__has_key="address").exists()
    signed_in = TrailEntry.objects.get(action="signed_in")
    assert signed_in.data == {"via": "page"} and signed_in.object_label == "an erased account"
    reset = about.get(action="second factor reset")
    assert reset.actor == business_unit.email  # who did it to the account stays
    assert LogEntry.objects.get().object_repr == "an erased account"
    assert any(line.what.startswith("audit trail entries about") for line in erasure.erased)


@pytest.fixture
def ana(partnership, business_unit):
    """Someone else whose address ends with the one asked about (a@ is in ana@)."""
    other = UserFactory(partnership=partnership, email="ana@fernhill.invalid")
    trail_record(
        action="role_changed", user=business_unit, obj=other, detail="ana@fernhill.invalid"
    )
    trail_record(action="note", user=business_unit, detail="Invited ana@fernhill.invalid.")
    trail_record(action="note", user=business_unit, data={"to": ["a@fernhill.invalid.uk"]})
    return other


def test_subject_access_finds_the_whole_address_only(partnership, business_unit, ana):
    assert subject_access(partnership=partnership, email="a@fernhill.invalid").held == []
    trail_record(action="note", user=business_unit, detail="Invited 'A@Fernhill.invalid'.")
    trail_record(action="note", user=business_unit, data={"to": ["a@fernhill.invalid"]})
    (trail,) = subject_access(partnership=partnership, email="a@fernhill.invalid").held
    assert [row["detail"] for row in trail.rows] == ["Invited 'A@Fernhill.invalid'.", ""]
    assert rows_naming(TrailEntry.objects.all(), TRAIL_FIELDS, [""]) == []  # no address, no row


def test_erasure_takes_out_the_whole_address_only(partnership, business_unit, ana):
    trail_record(action="note", user=business_unit, detail="Wrote to A@fernhill.invalid.")
    erase(partnership=partnership, email="a@fernhill.invalid", user=business_unit)
    details = {e.detail for e in TrailEntry.objects.filter(action="note")}
    assert details == {"Wrote to [removed].", "Invited ana@fernhill.invalid.", ""}
    assert TrailEntry.objects.get(action="role_changed").detail == "ana@fernhill.invalid"
    assert TrailEntry.objects.filter(data={"to": ["a@fernhill.invalid.uk"]}).exists()


def test_subject_access_holds_what_was_done_to_the_account(
    partnership, practitioner, business_unit
):
    """The account's creation, changes of role, a new password, a second factor reset: made by
    someone else, about the person's account, and labelled with its name, not its address."""
    practitioner.role = User.Role.SCRUTINEER
    practitioner.save()
    practitioner.set_password("a new password of theirs")
    practitioner.save()
    trail_record(action="second factor reset", user=business_unit, obj=practitioner)
    data = subject_access(partnership=partnership, email=practitioner.email)
    trail = next(s for s in data.held if s.title == "Audit trail")
    assert {row["action"] for row in trail.rows} == {
        "person_added",
        "person_changed",
        "password_changed",
        "second factor reset",
    }
    assert all(row["object"] == str(practitioner) for row in trail.rows)


def test_the_workbook_leaves_out_what_a_worksheet_cannot_hold(
    partnership, practitioner, business_unit
):
    trail_record(action="note", user=practitioner, detail="Line one\x0bline two (from Word)")
    client = client_for(business_unit)
    download = client.post(reverse("people-data"), {"email": practitioner.email, "action": "xlsx"})
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content))["Audit trail"]
    assert "Line oneline two (from Word)" in [row[3] for row in sheet.values]
    assert TrailEntry.objects.filter(action="subject_access").count() == 1


def test_the_workbook_keeps_a_formula_like_text_as_the_text_it_is(
    partnership, practitioner, business_unit
):
    """A detail a spreadsheet would run (`=`, `+`, `-`, `@`, a tab) is a string cell with
    Excel's quote prefix, its text unchanged: as every workbook of the platform writes it."""
    details = ['=HYPERLINK("http://x.invalid")', "\tindented", "-1 day", "@mention"]
    for detail in details:
        trail_record(action="note", user=practitioner, detail=detail)
    client = client_for(business_unit)
    download = client.post(reverse("people-data"), {"email": practitioner.email, "action": "xlsx"})
    sheet = load_workbook(io.BytesIO(download.content))["Audit trail"]
    cells = {row[3].value: row[3] for row in sheet.iter_rows(min_row=2)}
    for detail in details:
        assert cells[detail].data_type == "s" and cells[detail].quotePrefix


def test_a_download_that_failed_is_not_recorded_as_made(
    partnership, practitioner, business_unit, monkeypatch
):
    def broken(data):
        raise OSError("No space left on device")

    monkeypatch.setattr("scrutiny.views.people_data.as_xlsx", broken)
    client = client_for(business_unit)
    client.raise_request_exception = False
    page = client.post(reverse("people-data"), {"email": practitioner.email, "action": "xlsx"})
    assert page.status_code == 500
    assert not TrailEntry.objects.filter(action="subject_access").exists()


def test_the_safeguarding_lead_is_held_and_erased_and_concerns_go_to_the_contact_address(
    partnership, business_unit
):
    Partnership.objects.filter(pk=partnership.pk).update(
        contact_email="unit@fernhill.invalid",
        safeguarding_lead_name="Dana Lead",
        safeguarding_lead_email="Dana.Lead@fernhill.invalid",
    )
    partnership.refresh_from_db()
    (held,) = subject_access(partnership=partnership, email="dana.lead@fernhill.invalid").held
    assert (held.title, held.rows[0]["name"]) == ("Safeguarding lead", "Dana Lead")
    assert subject_access(partnership=partnership, email="lead@fernhill.invalid").held == []

    erasure = erase(partnership=partnership, email="dana.lead@fernhill.invalid", user=None)
    assert "dana lead" not in whole_database()
    (line,) = [line for line in erasure.erased if "safeguarding lead" in line.what]
    assert "name a new lead" in line.what
    partnership.refresh_from_db()
    assert concern_recipient(partnership).email == "unit@fernhill.invalid"


def test_nobody_erases_their_own_account(partnership, business_unit):
    with pytest.raises(Exception, match="your own account"):
        erase(partnership=partnership, email=business_unit.email, user=business_unit)


def test_the_page_is_for_the_business_unit_only(invited, business_unit, scrutineer):
    url = reverse("people-data")
    assert client_for(scrutineer).get(url).status_code == 403
    client = client_for(business_unit)
    page = client.post(url, {"email": INVITEE, "action": "find"})
    assert page.status_code == 200 and b"Survey invitations" in page.content
    download = client.post(url, {"email": INVITEE, "action": "json"})
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["email"] == INVITEE.lower()
    confirm = client.post(url, {"email": INVITEE, "action": "erase"})
    assert (
        b"Yes, erase" in confirm.content
        and Invitation.objects.filter(email=INVITEE.lower()).exists()
    )
    done = client.post(url, {"email": INVITEE, "action": "erase-confirmed"})
    assert done.status_code == 200 and not Invitation.objects.filter(email=INVITEE.lower()).exists()
    bad = client.post(url, {"email": "not an address", "action": "find"})
    assert b"Enter an email address" in bad.content


def test_the_command_writes_the_download_and_erases(invited, partnership, tmp_path, capsys):
    out = tmp_path / "held.json"
    call_command("subject_access", INVITEE, "--output", str(out))
    assert json.loads(out.read_text())["email"] == INVITEE.lower()
    call_command("subject_access", INVITEE, "--erase", "--output", str(tmp_path / "held.xlsx"))
    assert "Erased: 1 survey invitations" in capsys.readouterr().out
    assert INVITEE.lower() not in whole_database()
    with pytest.raises(Exception, match="There is no partnership 'nowhere'"):
        call_command("subject_access", INVITEE, "--partnership", "nowhere")
    assert Partnership.objects.count() == 1


def _details(partnership, **retention):
    return {
        "name": partnership.name,
        "contact_email": "unit@fernhill.invalid",
        "accessibility_statement": "",
        "privacy_notice": "",
        **{f"brag_{c}": c for c in ("blue", "green", "amber", "red")},
        **retention,
    }


def test_the_business_unit_sets_the_retention_periods_within_limits(business_unit, partnership):
    client = client_for(business_unit)
    url = reverse("partnership-edit")
    assert client.post(url, _details(partnership, retain_drafts_days="30")).status_code == 302
    partnership.refresh_from_db()
    assert partnership.retain_drafts_days == 30 and partnership.retain_answers_months == 24
    for value in ("3", "1000", "12.5", "many"):
        page = client.post(url, _details(partnership, retain_drafts_days=value))
        assert "Enter a whole number of days from 7 to 730" in page.content.decode()
    page = client.post(url, _details(partnership, retain_trail_months="6"))
    assert "Enter a whole number of months from 12 to 240" in page.content.decode()
    partnership.refresh_from_db()
    assert partnership.retain_drafts_days == 30 and partnership.retain_trail_months == 72
