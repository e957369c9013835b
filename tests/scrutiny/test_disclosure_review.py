"""The business unit records what was done about a possible disclosure (issue 16): once, with a
note; the answer then leaves the list of those to look at and the home page's count. Nobody
else records it, and a bad note changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scrutiny.models import Answer, DisclosureReview, TrailEntry
from tests.conftest import client_for
from tests.scrutiny.test_disclosures import lead as lead
from tests.scrutiny.test_disclosures import planted as planted
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

NOTE = "Agreed with the safeguarding lead: the school's designated lead speaks to Year 8."


def _flagged() -> Answer:
    return Answer.objects.get(disclosure=True)


def _html(response) -> str:
    return response.content.decode()


def test_recording_what_was_done_moves_it_to_looked_at_and_off_the_home_page(
    planted, business_unit
):
    client = client_for(business_unit)
    answer = _flagged()
    before = _html(client.get(reverse("disclosure-list")))
    to_look_at = before[before.index("To look at") :]
    assert "Scared to go" in to_look_at and "Record what was done" in to_look_at
    assert "1 possible disclosure to look at" in _html(client.get(reverse("home")))

    done = client.post(reverse("disclosure-review", args=[answer.pk]), {"note": NOTE}, follow=True)
    html = _html(done)
    assert "What was done is recorded" in html
    assert (
        html.index("Nothing to look at")
        < html.index("<h2>Looked at</h2>")
        < html.index("Agreed with the safeguarding lead")
    )
    review = DisclosureReview.objects.get()
    assert (review.answer, review.note, review.reviewed_by) == (answer, NOTE, business_unit)
    assert "possible disclosure to look at" not in _html(client.get(reverse("home")))
    assert TrailEntry.objects.filter(action="disclosure_reviewed", user=business_unit).exists()


@pytest.mark.parametrize("note", ["", "   ", "x" * 2001])
def test_a_missing_or_long_note_changes_nothing_and_says_why(planted, business_unit, note):
    client = client_for(business_unit)
    page = client.post(
        reverse("disclosure-review", args=[_flagged().pk]), {"note": note}, follow=True
    )
    assert "Say what was done" in _html(page)
    assert not DisclosureReview.objects.exists()


def test_it_is_recorded_once(planted, business_unit):
    client = client_for(business_unit)
    url = reverse("disclosure-review", args=[_flagged().pk])
    client.post(url, {"note": NOTE})
    again = client.post(url, {"note": "Something else."}, follow=True)
    assert "recorded already" in _html(again)
    assert list(DisclosureReview.objects.values_list("note", flat=True)) == [NOTE]


def test_only_the_business_unit_records_it_and_only_for_a_flagged_answer(
    planted, scrutineer, board_member, business_unit
):
    answer = _flagged()
    for other in (scrutineer, board_member):
        response = client_for(other).post(
            reverse("disclosure-review", args=[answer.pk]), {"note": NOTE}
        )
        assert response.status_code == 404
    # The scrutineer reads the list, without the form.
    assert "Record what was done" not in _html(
        client_for(scrutineer).get(reverse("disclosure-list"))
    )
    unflagged = Answer.objects.filter(disclosure=False).exclude(text="").first()
    assert unflagged is not None
    page = client_for(business_unit).post(
        reverse("disclosure-review", args=[unflagged.pk]), {"note": NOTE}
    )
    assert page.status_code == 404
    assert not DisclosureReview.objects.exists()
