"""Young scrutineers (issue 16): what they may read (published results only, from the snapshot),
their pages, their observations (shown with their role, never their name), the plain-language
summary (theirs only once the scrutineer approves it), and their impact feedback (once each,
its counts suppressed).

The scrutiny is the hand-worked one of tests/scrutiny/test_workspace.py, published as
tests/scrutiny/test_publishing.py publishes it: its case-file audit names case C-7781 and
C-7782 (never shown here), SF1's agency breakdown suppresses Fernhill Schools and Police.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from scrutiny import permissions, permissions_young
from scrutiny.models import (
    EvidenceNote,
    Instrument,
    Publication,
    Response,
    Scrutiny,
    SuccessFactor,
    User,
)
from scrutiny.young_scrutineers import FEEDBACK_CODE, feedback_results
from tests.conftest import client_for
from tests.factories import PartnershipFactory, UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.scrutiny.test_publishing import TERM
from tests.scrutiny.test_publishing import board as board
from tests.scrutiny.test_publishing import media as media
from tests.scrutiny.test_publishing import published as published
from tests.scrutiny.test_workspace import PLANTED
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "media")]
SLUG = "lfp-2026"
CASE_REFS = (PLANTED["case"], "C-7782")
NAME = "Riley Youngperson"


@pytest.fixture
def young(partnership) -> User:
    return UserFactory(
        partnership=partnership,
        email="riley@fernhill.invalid",
        full_name=NAME,
        role=User.Role.YOUNG_SCRUTINEER,
    )


def _young(partnership, n: int) -> User:
    return UserFactory(
        partnership=partnership,
        email=f"young{n}@fernhill.invalid",
        role=User.Role.YOUNG_SCRUTINEER,
    )


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Permissions ----------------------------------------------------------------------------------


def test_a_young_scrutineer_reads_published_results_and_nothing_else(young):
    assert permissions.can_read_published(young)
    assert permissions_young.is_young_scrutineer(young)
    assert not permissions.can_read_scrutinies(young)
    assert not permissions.can_configure_scrutinies(young)
    assert not permissions.can_read_plan(young)
    assert not permissions.can_plan(young)
    assert not permissions.can_use_api_docs(young)
    assert not permissions.can_read_trail(young)
    assert not permissions.can_manage_partnership(young)
    assert not permissions.can_see_all_agencies(young)
    assert not permissions.agencies_visible_to(young).exists()
    assert not permissions.scrutinies_visible_to(young).exists()
    assert not permissions_young.can_write_plain_summary(young)
    assert not permissions_young.can_read_young_feedback(young)
    # No case data: a second factor is theirs to choose.
    assert not permissions.needs_second_factor(young)


def test_the_pages_they_may_not_use_answer_404_or_403(published, young, council):
    client = client_for(young)
    factor = "SF1"
    refused = [
        reverse("scrutiny-list"),
        reverse("scrutiny-detail", args=[SLUG]),
        reverse("workspace", args=[SLUG]),
        reverse("workspace-factor", args=[SLUG, factor]),
        reverse("plan"),
        reverse("agency-detail", args=[council.pk]),
        reverse("trail"),
        reverse("dpia"),
        reverse("people-data"),
        reverse("partnership-edit"),
        reverse("api-scrutiny-detail", args=[SLUG]),
        reverse("young-summary", args=[SLUG]),
        reverse("young-feedback-results"),
    ]
    for url in refused:
        assert client.get(url).status_code in (403, 404), url
    assert client.get("/admin/").status_code in (302, 403, 404)
    # Lists open for everyone, and list nothing for a young scrutineer.
    assert SLUG not in client.get(reverse("api-scrutiny-list")).content.decode()
    # The list of agencies opens for everyone, and lists none of them for a young scrutineer.
    agencies = _text(client.get(reverse("agency-list")))
    assert council.name not in agencies[agencies.index("<main") :]


def test_their_pages_are_theirs(
    published, business_unit, scrutineer, board_member, auditor_council
):
    pages = [
        reverse("young-home"),
        *(
            reverse(name, args=[SLUG])
            for name in ("young-scrutiny", "young-observation", "young-feedback")
        ),
    ]
    for reader in (business_unit, scrutineer, board_member):  # readers of published results
        assert [client_for(reader).get(url).status_code for url in pages] == [403] * 4
    assert [client_for(auditor_council).get(url).status_code for url in pages] == [404] * 4


def test_a_scrutiny_not_published_or_another_partnerships_is_404(published, young, partnership):
    Scrutiny.objects.create(partnership=partnership, slug="not-yet", title="Not yet published")
    other = PartnershipFactory(name="Westmere Partnership", slug="westmere")
    theirs = UserFactory(partnership=other, role=User.Role.YOUNG_SCRUTINEER)
    for name in ("young-scrutiny", "young-observation", "young-feedback"):
        assert client_for(young).get(reverse(name, args=["not-yet"])).status_code == 404
        assert client_for(theirs).get(reverse(name, args=[SLUG])).status_code == 404
    assert "Not yet published" not in _text(client_for(young).get(reverse("young-home")))
    assert "Learning from Practice" not in _text(client_for(theirs).get(reverse("young-home")))


# Their pages ----------------------------------------------------------------------------------


def test_the_boards_published_pages_offer_them_no_plan_they_cannot_open(published, young):
    client = client_for(young)
    assert client.get(reverse("plan")).status_code == 404
    for page in (reverse("published-list"), reverse("published-detail", args=[SLUG])):
        assert f'href="{reverse("plan")}"' not in _text(client.get(page))


def test_home_leads_to_their_published_scrutinies(published, young):
    page = _text(client_for(young).get(reverse("home")))
    main = page[page.index('id="main-task"') : page.index("What else you can do")]
    assert "Your scrutinies" in main
    assert reverse("young-scrutiny", args=[SLUG]) in main
    assert reverse("young-scrutiny", args=[SLUG]) in _text(
        client_for(young).get(reverse("young-home"))
    )


def test_a_scrutiny_shows_its_factors_scorecard_and_evidence_from_the_snapshot(published, young):
    page = _text(client_for(young).get(reverse("young-scrutiny", args=[SLUG])))
    assert "Plans are good." in page and "Learning reaches all." in page
    assert 'id="scorecard-caption"' in page and "46.8" in page
    assert "Not shown, to protect small numbers" in page  # SF1's small agencies
    assert "Fernhill Council" in page
    assert "In their words" in page  # the quotes tagged before sign-off
    assert not any(ref in page for ref in CASE_REFS)
    assert TERM not in page and PLANTED["email"] not in page and PLANTED["phone"] not in page
    # No link to a page that is not theirs.
    for name in ("workspace", "scrutiny-detail", "plan"):
        url = reverse(name, args=[SLUG]) if name != "plan" else reverse(name)
        assert f'href="{url}"' not in page


def test_evidence_after_publishing_does_not_reach_them(published, young, scrutiny):
    note = EvidenceNote.objects.create(
        scrutiny=scrutiny, kind="scrutiny_event", text="Said after sign-off, not published."
    )
    note.factors.set([SuccessFactor.objects.get(scrutiny=scrutiny, code="SF1")])
    page = _text(client_for(young).get(reverse("young-scrutiny", args=[SLUG])))
    assert "Said after sign-off" not in page


def test_an_observation_is_recorded_and_shown_with_their_role_not_their_name(
    published, young, scrutineer
):
    client = client_for(young)
    url = reverse("young-observation", args=[SLUG])
    assert "Record something you saw or heard" in _text(client.get(url))
    response = client.post(
        url, {"where": "event", "factors": ["SF1", "SF2"], "text": "Nobody asked the children."}
    )
    assert response.status_code == 302
    note = EvidenceNote.objects.get(kind=EvidenceNote.Kind.YOUNG_SCRUTINEER)
    assert note.recorded_by == young  # kept for accountability
    assert note.text == "At the scrutiny event: Nobody asked the children."
    assert sorted(f.code for f in note.factors.all()) == ["SF1", "SF2"]
    mine = _text(client.get(reverse("young-scrutiny", args=[SLUG])))
    assert "Nobody asked the children." in mine
    workspace = _text(client_for(scrutineer).get(reverse("workspace-factor", args=[SLUG, "SF1"])))
    assert "Nobody asked the children." in workspace
    assert "recorded by a young scrutineer" in workspace
    assert NAME not in workspace


@pytest.mark.parametrize(
    "data",
    [
        {"where": "event", "factors": [], "text": "Something."},
        {"where": "event", "factors": ["SF9"], "text": "Something."},
        {"where": "somewhere", "factors": ["SF1"], "text": "Something."},
        {"where": "forum", "factors": ["SF1"], "text": "   "},
    ],
)
def test_a_bad_observation_changes_nothing_and_says_why(published, young, data):
    response = client_for(young).post(reverse("young-observation", args=[SLUG]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not EvidenceNote.objects.filter(kind=EvidenceNote.Kind.YOUNG_SCRUTINEER).exists()


def test_reading_their_pages_writes_nothing(published, young):
    before = (EvidenceNote.objects.count(), Instrument.objects.count(), Response.objects.count())
    client = client_for(young)
    for name in ("young-scrutiny", "young-observation", "young-feedback"):
        _text(client.get(reverse(name, args=[SLUG])))
    assert before == (
        EvidenceNote.objects.count(),
        Instrument.objects.count(),
        Response.objects.count(),
    )


# The plain-language summary -------------------------------------------------------------------


def test_the_summary_reaches_them_only_once_approved(published, young, scrutineer):
    page_url = reverse("young-scrutiny", args=[SLUG])
    summary_url = reverse("young-summary", args=[SLUG])
    writer = client_for(scrutineer)
    draft = _text(writer.get(summary_url))
    assert "We found" in draft  # suggested from the published scorecard
    assert writer.post(summary_url, {"text": "Plans were mostly good."}).status_code == 302
    assert "Plans were mostly good." not in _text(client_for(young).get(page_url))
    assert "not ready yet" in _text(client_for(young).get(page_url))
    writer.post(summary_url, {"text": "Plans were mostly good.", "approve": ""})
    publication = Publication.objects.get(scrutiny__slug=SLUG)
    assert publication.plain_summary_approved_by == scrutineer
    assert "Plans were mostly good." in _text(client_for(young).get(page_url))
    # Changed after approval: it needs approving again.
    writer.post(summary_url, {"text": "Plans were good for most children."})
    publication.refresh_from_db()
    assert publication.plain_summary_approved_at is None
    page = _text(client_for(young).get(page_url))
    assert "Plans were" not in page


def test_the_summary_is_redacted_when_shown(published, young, scrutineer):
    summary_url = reverse("young-summary", args=[SLUG])
    text = f"The staff at {TERM} listened."
    client_for(scrutineer).post(summary_url, {"text": text, "approve": ""})
    page = _text(client_for(young).get(reverse("young-scrutiny", args=[SLUG])))
    assert "listened." in page and TERM not in page


def test_the_business_unit_writes_it_but_only_the_scrutineer_approves(
    published, business_unit, board_member, young
):
    summary_url = reverse("young-summary", args=[SLUG])
    client = client_for(business_unit)
    assert "Save and approve" not in _text(client.get(summary_url))
    assert client.post(summary_url, {"text": "Draft."}).status_code == 302
    assert client.post(summary_url, {"text": "Draft.", "approve": ""}).status_code == 403
    assert Publication.objects.get(scrutiny__slug=SLUG).plain_summary_approved_at is None
    assert client_for(board_member).get(summary_url).status_code == 403
    empty = client.post(summary_url, {"text": "  "})
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    assert Publication.objects.get(scrutiny__slug=SLUG).plain_summary == "Draft."


# Impact feedback ------------------------------------------------------------------------------

ANSWERS = {"listened": "5", "changed": "yes", "what_changed": "The leaflet.", "differently": ""}


def test_feedback_is_given_once_each_without_their_name(published, young, partnership):
    url = reverse("young-feedback", args=[SLUG])
    client = client_for(young)
    assert client.post(url, ANSWERS).status_code == 302
    response = Response.objects.get(instrument__code=FEEDBACK_CODE)
    assert response.created_by is None and response.source == "young_people"
    assert response.submitted_at is not None and response.submitted_at.hour == 0
    assert "already told us" in _text(client.get(url))
    assert client.post(url, {**ANSWERS, "listened": "1"}).status_code == 200
    assert Response.objects.filter(instrument__code=FEEDBACK_CODE).count() == 1
    assert client_for(_young(partnership, 2)).post(url, ANSWERS).status_code == 302
    assert Response.objects.filter(instrument__code=FEEDBACK_CODE).count() == 2


def test_feedback_must_answer_the_two_questions(published, young):
    response = client_for(young).post(reverse("young-feedback", args=[SLUG]), {"listened": "5"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Response.objects.filter(instrument__code=FEEDBACK_CODE).exists()


def test_results_over_time_suppress_small_numbers(published, partnership, board_member):
    url = reverse("young-feedback", args=[SLUG])
    for n in range(2):
        client_for(_young(partnership, n)).post(url, ANSWERS)
    page = _text(client_for(board_member).get(reverse("young-feedback-results")))
    assert "2 young scrutineers answered." in page
    assert "Not shown, to protect small numbers" in page
    (row,) = feedback_results(partnership=partnership)
    listened = row.questions[0]
    assert listened.answered == 2
    assert all(option.count is None or option.count == 0 for option in listened.options)
    assert any(option.suppressed for option in listened.options if option.value == "5")


def test_results_show_counts_at_the_threshold(published, partnership, business_unit):
    Scrutiny.objects.filter(slug=SLUG).update(suppression_threshold=3)
    url = reverse("young-feedback", args=[SLUG])
    for n in range(3):
        client_for(_young(partnership, n)).post(url, ANSWERS)
    (row,) = feedback_results(partnership=partnership)
    assert row.responses == 3
    counts = {option.value: option.count for option in row.questions[1].options}
    assert counts["yes"] == 3
    assert "3 young scrutineers answered." in _text(
        client_for(business_unit).get(reverse("young-feedback-results"))
    )


def test_results_are_for_the_adults_who_read_them(published, young, auditor_council):
    url = reverse("young-feedback-results")
    assert client_for(young).get(url).status_code == 404
    assert client_for(auditor_council).get(url).status_code == 404


def test_the_library_template_and_the_tool_are_one_instrument(published, young, scrutiny):
    from scrutiny.instruments import instrument_save
    from scrutiny.library import young_scrutineers as template

    instrument_save(scrutiny=scrutiny, definition=template.DEFINITION)  # added from the library
    client_for(young).post(reverse("young-feedback", args=[SLUG]), ANSWERS)
    instrument = Instrument.objects.get(scrutiny=scrutiny, code=FEEDBACK_CODE)
    assert instrument.versions.count() == 1
    assert Response.objects.filter(instrument=instrument).count() == 1
