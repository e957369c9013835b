"""The audit trail's page: the business unit's own partnership only, filtered by person,
object, action and date, paginated in a fixed number of queries, and exported (the export
itself recorded)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scrutiny.models import TrailEntry, User
from scrutiny.trail import entry_create
from tests.conftest import client_for
from tests.factories import PartnershipFactory, UserFactory
from tests.welsh.conftest import welsh

pytestmark = pytest.mark.django_db
URL = "/trail/"


def at(day: str, time: str = "12:00") -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{time}"))


def entry(when: dt.datetime, **fields: Any) -> TrailEntry:
    """An entry written at `when` (the clock is set while it is written)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return entry_create(**{"user": None, **fields})


@pytest.fixture
def reader(business_unit, scrutineer):
    """The business unit's client, with what making the personas and signing in wrote gone."""
    client = client_for(business_unit)
    TrailEntry.objects.all()._expire()
    return client


@pytest.fixture
def entries(reader, partnership, scrutineer, business_unit) -> dict[str, TrailEntry]:
    own = partnership.pk
    return {
        "evidence": entry(
            at("2026-03-01", "23:30"),
            user=business_unit,
            action="evidence_viewed",
            object_type="successfactor",
            object_id="SF1",
            object_label="scrutiny lfp-2026, factor SF1",
        ),
        "pack": entry(
            at("2026-03-15"),
            user=scrutineer,
            action="pack_downloaded",
            object_type="eventpack",
            object_id="7",
            object_label="=HYPERLINK(1) scrutiny lfp-2026, pack 7",
            data={"kind": "pdf"},
        ),
        "import": entry(
            at("2026-04-02"),
            user=scrutineer,
            partnership_id=own,
            action="imported",
            object_type="scrutiny",
            object_id="neglect-2026",
            object_label="scrutiny neglect-2026",
        ),
        "failed": entry(at("2026-04-03"), partnership_id=own, action="sign_in_failed"),
    }


def shown(response) -> list[int]:
    return [row["entry"].pk for row in response.context["rows"]]


def test_only_the_business_unit_reads_the_trail(client, scrutineer, auditor_council, reader):
    assert reader.get(URL).status_code == 200
    assert client_for(scrutineer).get(URL).status_code == 403
    assert client_for(auditor_council).get(URL).status_code == 403
    assert client.get(URL).url.startswith(reverse("login"))
    assert reader.post(URL).status_code == 405


def test_another_partnerships_entries_are_never_shown_nor_exported(reader, entries):
    other = PartnershipFactory(name="Elsewhere Partnership", slug="elsewhere")
    stranger = UserFactory(partnership=other, email="lee@elsewhere.invalid")
    entry(at("2026-03-02"), user=stranger, action="case_file_viewed", object_label="CF-SECRET")
    entry(at("2026-03-02"), action="sign_in_failed")  # the platform's own: no partnership
    page = reader.get(URL)
    assert sorted(shown(page)) == sorted(e.pk for e in entries.values())
    assert "CF-SECRET" not in page.text and "lee@elsewhere" not in page.text
    exported = b"".join(reader.get(URL, {"format": "csv"}).streaming_content).decode()
    assert "CF-SECRET" not in exported and "lee@elsewhere" not in exported
    assert reader.get(URL, {"object": "CF-SECRET"}).context["rows"] == []


def test_filters_by_person_object_action_and_date(reader, entries):
    e = entries
    assert shown(reader.get(URL, {"person": "MORGAN@"})) == [e["import"].pk, e["pack"].pk]
    assert shown(reader.get(URL, {"object_type": "eventpack"})) == [e["pack"].pk]
    assert shown(reader.get(URL, {"object": "7"})) == [e["pack"].pk]
    assert shown(reader.get(URL, {"object": "LFP-2026"})) == [e["pack"].pk, e["evidence"].pk]
    assert shown(reader.get(URL, {"action": "imported"})) == [e["import"].pk]
    march = reader.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-31"})
    assert shown(march) == [e["pack"].pk]
    # A day is the whole day in UK time: 23:30 on 1 March is on 1 March.
    assert shown(reader.get(URL, {"date_to": "01/03/2026"})) == [e["evidence"].pk]
    both = reader.get(URL, {"person": "morgan", "date_from": "2026-04-01"})
    assert shown(both) == [e["import"].pk] and "Clear the filters" in both.text
    page = reader.get(URL, {"person": "nobody"})
    assert "No entries match the filters." in page.text
    everything = reader.get(URL).text
    assert "No one signed in" in everything and "Failed to sign in" in everything
    assert "Success factor SF1: scrutiny lfp-2026, factor SF1" in everything


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-02-30"}, "Enter a real date, for example 2026-03-31."),
        ({"date_to": "last week"}, "Enter a real date, for example 2026-03-31."),
        (
            {"date_from": "2026-04-01", "date_to": "2026-03-01"},
            "The last day must be the same as or after the first day.",
        ),
        ({"action": "delete_everything"}, "Choose an action from the list."),
    ],
)
def test_bad_filters_are_explained_and_export_nothing(reader, entries, query, message):
    page = reader.get(URL, query)
    assert page.status_code == 400
    assert "There is a problem" in page.text and message in page.text
    assert page.text.count("<title>Error: ") == 1
    refused = reader.get(URL, {**query, "format": "csv"})
    assert refused.status_code == 400 and refused["Content-Type"].startswith("text/html")
    assert not TrailEntry.objects.filter(action="trail_exported").exists()


def test_actions_and_kinds_of_object_are_shown_in_the_readers_language(reader, entries):
    """The entry keeps the action's key; a Welsh page says what it means in Welsh (the rows and
    the filter), and the export, whose header is English, stays English."""
    page = welsh(reader).get(URL).content.decode().replace("&#x27;", "'")
    for words in (
        "Wedi lawrlwytho pecyn digwyddiad",
        "Wedi methu mewngofnodi",
        "Pecyn digwyddiad 7",
    ):
        assert words in page
    assert "Wedi mewngofnodi" in page  # an action of the filter no entry has
    for english in ("Downloaded an event pack", "Failed to sign in", "Event pack 7", "Signed in"):
        assert english not in page
    exported = b"".join(reader.get(URL, {"format": "csv"}).streaming_content).decode()
    assert "Imported a workbook or list" in exported and ",Event pack," in exported
    assert "Wedi mewnforio" not in exported


def test_the_export_is_the_filtered_entries_and_is_itself_recorded(reader, entries, business_unit):
    response = reader.get(URL, {"person": "morgan", "format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["When", "Person", "Action", "What it means"]
    assert [row[2] for row in rows[1:]] == ["imported", "pack_downloaded"]
    assert rows[2][0] == "2026-03-15 12:00:00" and rows[2][5] == "7"
    assert rows[2][6] == "'=HYPERLINK(1) scrutiny lfp-2026, pack 7"  # never a formula
    (exported,) = TrailEntry.objects.filter(action="trail_exported")
    assert (exported.user, exported.partnership_id) == (business_unit, business_unit.partnership_id)
    assert exported.data["format"] == "csv" and exported.data["filters"] == {"person": "morgan"}

    workbook = reader.get(URL, {"object_type": "eventpack", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "When" and len(values) == 2
    assert values[1][1] == "morgan@fernhill.invalid" and values[1][6].startswith("=HYPERLINK")
    assert sheet.cell(row=2, column=7).data_type == "s"  # text, not a formula
    assert TrailEntry.objects.filter(action="trail_exported").count() == 2


def test_pages_of_fifty_in_the_same_number_of_queries_however_many_entries(
    reader, partnership, scrutineer
):
    def make(n: int) -> None:
        TrailEntry.objects.bulk_create(
            TrailEntry(partnership=partnership, user=scrutineer, actor=scrutineer.email, action="x")
            for _ in range(n)
        )

    def queries(**query: Any) -> int:
        reader.get(URL, query)  # what is read once a session
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(URL, query).status_code == 200
        return len(captured)

    make(3)
    few = queries(), queries(person="morgan")
    make(200)
    assert (queries(), queries(person="morgan")) == few
    assert queries(page="3") == few[0]
    page = reader.get(URL, {"page": "5"})
    assert len(page.context["rows"]) == 3 and "Page 5 of 5" in page.text
    assert 'rel="prev"' in page.text and "page=4" in page.text
    assert len(reader.get(URL, {"page": "nonsense"}).context["rows"]) == 50
    assert User.objects.count() >= 2
