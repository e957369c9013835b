"""Quotes and notes, the comparison and the event's settings through the API
(scrutiny/apis/evidence.py, event.py), on tests.scrutiny.test_workspace's scrutiny."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from scrutiny import findings
from scrutiny.models import Answer, EvidenceNote, Partnership, Quote, Scrutiny, User
from tests.factories import UserFactory
from tests.scrutiny.test_workspace import PLANTED
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def stranger(db):
    other = Partnership.objects.create(name="Elsewhere Safeguarding Children Partnership")
    Scrutiny.objects.create(partnership=other, slug="elsewhere-2026", title="Elsewhere 2026")
    return UserFactory(partnership=other, email="pat@elsewhere.invalid", role=User.Role.SCRUTINEER)


def _comment(scrutineer, startswith: str) -> int:
    evidence = _api(scrutineer).get(reverse("api-workspace-evidence", args=[SLUG, "SF1"])).json()
    return next(c["answer_id"] for c in evidence["comments"] if c["text"].startswith(startswith))


def test_a_comment_is_quoted_listed_redacted_and_removed(scrutiny, scrutineer):
    client = _api(scrutineer)
    url = reverse("api-factor-quotes", args=[SLUG, "SF1"])
    answer = _comment(scrutineer, "Ring me")
    made = client.post(url, {"answer": answer}, format="json")
    assert made.status_code == 201
    quote = made.json()
    assert quote["text"] == "Ring me on [removed] or [removed]."
    assert quote["source"] == "Practitioner survey" and quote["label"] == ""  # POL suppressed
    again = client.post(url, {"answer": answer}, format="json")
    assert again.json()["id"] == quote["id"] and Quote.objects.count() == 1
    assert client.get(url).json() == [quote]
    # A label stored when it was tagged (POL shown then) is not what leaves: the one it may
    # carry as the breakdowns stand now.
    Quote.objects.filter(pk=quote["id"]).update(label="Fernhill Police")
    assert client.get(url).json() == [quote]
    gone = client.delete(reverse("api-factor-quote", args=[SLUG, "SF1", quote["id"]]))
    assert gone.status_code == 204 and not Quote.objects.exists()
    assert client.get(url).json() == []


def test_a_possible_disclosure_is_never_quoted_nor_listed(scrutiny, scrutineer):
    client = _api(scrutineer)
    url = reverse("api-factor-quotes", args=[SLUG, "SF1"])
    answer_id = _comment(scrutineer, "Our team briefing")
    assert client.post(url, {"answer": answer_id}, format="json").status_code == 201
    Answer.objects.filter(pk=answer_id).update(disclosure=True)  # flagged since
    assert client.get(url).json() == []  # the quote kept before is held back
    refused = client.post(url, {"answer": answer_id}, format="json")
    assert refused.status_code == 400 and "disclosure of harm" in refused.json()["detail"]


def test_a_bad_quote_is_explained(scrutiny, scrutineer):
    url = reverse("api-factor-quotes", args=[SLUG, "SF1"])
    not_evidence = _api(scrutineer).post(url, {"answer": 999999}, format="json")
    assert not_evidence.status_code == 400 and "not evidence for SF1" in str(not_evidence.json())
    assert _api(scrutineer).post(url, {}, format="json").status_code == 400
    assert not Quote.objects.exists()


def test_notes_are_recorded_and_listed_redacted(scrutiny, scrutineer):
    client = _api(scrutineer)
    url = reverse("api-factor-notes", args=[SLUG, "SF1"])
    made = client.post(
        url,
        {"kind": "practitioner_forum", "text": f"A team lead said {PLANTED['case']} drifted."},
        format="json",
    )
    assert made.status_code == 201
    note = made.json()
    assert note["text"] == "A team lead said [removed] drifted."
    assert (note["kind"], note["kind_label"], note["factors"]) == (
        "practitioner_forum",
        "Practitioner forum",
        ["SF1"],
    )
    assert client.get(url).json() == [note]
    assert client.get(reverse("api-factor-notes", args=[SLUG, "SF2"])).json() == []
    bad = client.post(url, {"kind": "gossip", "text": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"kind", "text"}
    assert EvidenceNote.objects.count() == 1


def test_the_notes_list_takes_the_same_queries_however_many(scrutiny, scrutineer):
    client = _api(scrutineer)
    url = reverse("api-factor-notes", args=[SLUG, "SF1"])

    def record(n: int) -> None:
        for i in range(n):
            findings.note_record(
                scrutiny=scrutiny,
                kind="scrutiny_event",
                text=f"Note {i}",
                factor_codes=["SF1", "SF2"],
                user=scrutineer,
            )

    record(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    record(20)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 21
    assert len(many) == len(few)


def test_who_may_quote_and_note(scrutiny, board_member, auditor_council, stranger, scrutineer):
    answer = _comment(scrutineer, "Ring me")
    for user, expected in ((board_member, 403), (auditor_council, 404), (stranger, 404)):
        client = _api(user)
        quotes = reverse("api-factor-quotes", args=[SLUG, "SF1"])
        notes = reverse("api-factor-notes", args=[SLUG, "SF1"])
        assert client.get(quotes).status_code == expected
        assert client.post(quotes, {"answer": answer}, format="json").status_code == expected
        assert client.get(notes).status_code == expected
        posted = client.post(notes, {"kind": "other", "text": "x"}, format="json")
        assert posted.status_code == expected
    quote = findings.quote_tag(
        scrutiny=scrutiny,
        factor=scrutiny.factors.get(code="SF1"),
        answer_id=answer,
        user=scrutineer,
    )
    url = reverse("api-factor-quote", args=[SLUG, "SF1", quote.pk])
    assert _api(stranger).delete(url).status_code == 404
    assert _api(board_member).delete(url).status_code == 403
    other_factor = reverse("api-factor-quote", args=[SLUG, "SF2", quote.pk])
    assert _api(scrutineer).delete(other_factor).status_code == 404
    assert Quote.objects.count() == 1 and not EvidenceNote.objects.exists()


def test_the_comparison_is_read_and_set(scrutiny, partnership, scrutineer, stranger):
    Scrutiny.objects.create(partnership=partnership, slug="lfp-2024", title="LfP 2024")
    client = _api(scrutineer)
    url = reverse("api-scrutiny-comparison", args=[SLUG])
    assert client.get(url).json() == {"previous": None, "title": None}
    set_ = client.put(url, {"previous": "lfp-2024"}, format="json")
    assert set_.json() == {"previous": "lfp-2024", "title": "LfP 2024"}
    assert Scrutiny.objects.filter(slug=SLUG, previous__slug="lfp-2024").exists()
    for wrong in (SLUG, "elsewhere-2026", "nope"):
        refused = client.put(url, {"previous": wrong}, format="json")
        assert refused.status_code == 400 and "another scrutiny" in str(refused.json())
    assert Scrutiny.objects.filter(slug=SLUG, previous__slug="lfp-2024").exists()
    assert client.put(url, {"previous": None}, format="json").json()["previous"] is None
    assert _api(stranger).get(url).status_code == 404


def test_the_event_settings_are_read_and_changed(scrutiny, scrutineer, board_member):
    client = _api(scrutineer)
    url = reverse("api-scrutiny-event", args=[SLUG])
    assert client.get(url).json() == {"event_date": None, "divergence_margin": 20.0}
    changed = client.patch(url, {"event_date": "2027-03-04"}, format="json")
    assert changed.json() == {"event_date": "2027-03-04", "divergence_margin": 20.0}
    changed = client.patch(url, {"divergence_margin": 12.5}, format="json")
    assert changed.json() == {"event_date": "2027-03-04", "divergence_margin": 12.5}
    refused = client.patch(url, {"divergence_margin": 101, "event_date": "soon"}, format="json")
    assert refused.status_code == 400 and set(refused.json()) == {"divergence_margin", "event_date"}
    stored = Scrutiny.objects.get(slug=SLUG)
    assert (stored.event_date, stored.divergence_margin) == (dt.date(2027, 3, 4), 12.5)
    assert _api(board_member).patch(url, {"divergence_margin": 1}, format="json").status_code == 403
