"""The respondents' pages (no account) and the business unit's survey pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scrutiny.models import Response
from surveys.models import OpenDraft, Survey
from surveys.services import answering
from surveys.services.invited_drafts import invitations_answered
from tests.conftest import client_for
from tests.surveys.conftest import make_invitation, make_survey

pytestmark = pytest.mark.django_db


def _step(survey: Survey, step: str) -> str:
    return reverse("survey-invited-step", args=[survey.pk, step])


def _exchange(client: Client, token: str, survey: Survey) -> None:
    """Open the personal link: its token is swapped for a cookie and a token-free address."""
    link = client.get(reverse("survey-invitation", args=[token]))
    assert link.status_code == 302 and link.url == reverse("survey-invited", args=[survey.pk])
    assert token not in link.url and link["Referrer-Policy"] == "no-referrer"
    cookie = link.cookies[f"survey_invitation_{survey.pk}"]
    assert cookie["httponly"] and cookie["path"] == link.url


def test_invitation_journey_resumes_from_the_same_link_and_submits_once(survey, council):
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    phone = Client()
    _exchange(phone, token, survey)
    start = phone.get(reverse("survey-invited", args=[survey.pk]))
    assert start.status_code == 200
    assert "What is recorded" in start.text and "anonymous" in start.text
    assert "IP address" in start.text and "random number" in start.text

    assert phone.get(_step(survey, "resume")).url == _step(survey, "0")
    page = phone.get(_step(survey, "0"))
    assert page.status_code == 200
    assert "Page 1 of 2" in page.text and "<progress" in page.text
    assert "<fieldset" in page.text and "<legend" in page.text
    # The limit is stated, and checked on the server: a browser's maxlength would cut pasted
    # text short without a word.
    assert "Up to 10,000 characters." in page.text and "maxlength" not in page.text

    # Errors are summarised at the top and linked to the field.
    missing = phone.post(_step(survey, "0"), {"action": "continue"})
    assert missing.status_code == 200
    assert "<title>Error: " in missing.text and "There is a problem" in missing.text
    assert 'href="#id_0-Q1_0"' in missing.text

    saved = phone.post(_step(survey, "0"), {"0-Q1": "yes", "0-Q2": "A plan", "action": "later"})
    assert saved.status_code == 200 and "Your answers are saved" in saved.text

    # Days later, on another device: the same link opens where they were, with the answers.
    laptop = Client()
    assert laptop.get(_step(survey, "0")).status_code == 200  # no link yet in this browser
    assert "Open the link in your invitation email again" in laptop.get(_step(survey, "0")).text
    _exchange(laptop, token, survey)
    assert laptop.get(_step(survey, "resume")).url == _step(survey, "0")
    again = laptop.get(_step(survey, "0"))
    assert "A plan" in again.text
    going_on = laptop.post(_step(survey, "0"), {"0-Q1": "yes", "0-Q2": "A plan"})
    assert going_on.url == _step(survey, "1")
    assert "Page 2 of 2" in laptop.get(_step(survey, "1")).text
    assert laptop.post(_step(survey, "1"), {"1-Q6": "3"}).url == _step(survey, "check")
    check = laptop.get(_step(survey, "check"))
    assert "Check your answers" in check.text and "Good" in check.text

    submitted = laptop.post(_step(survey, "check"), {"action": "submit"})
    assert submitted.url == reverse("survey-invited-thanks", args=[survey.pk])
    assert "Thank you" in laptop.get(submitted.url).text

    # A double click, the back button, the phone's old tab: refused politely, nothing doubled.
    again = laptop.post(_step(survey, "check"), {"action": "submit"})
    assert again.status_code == 200 and "already been submitted" in again.text
    twice = phone.post(_step(survey, "check"), {"action": "submit"})
    assert twice.status_code == 200 and "already been submitted" in twice.text
    back = phone.post(_step(survey, "1"), {"1-Q6": "2"})
    assert back.status_code == 200 and "already been submitted" in back.text
    link = phone.get(reverse("survey-invitation", args=[token]))
    assert link.status_code == 200 and "already been submitted" in link.text
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 1
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitations_answered([invitation]) == {invitation.pk}
    assert not invitation.answered and invitation.draft_values == {}  # the keyed draft's


def test_an_old_page_of_a_personal_link_is_exchanged_too(survey, council):
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    old = Client().get(f"/i/{token}/0/")
    assert old.status_code == 302 and old.url == reverse("survey-invited", args=[survey.pk])


def test_open_link_asks_agency_and_role_and_resumes_in_the_same_browser(
    survey, council, social_worker
):
    browser = Client()
    start = browser.get(reverse("survey-open", args=[survey.public_key]))
    assert start.status_code == 200
    assert "Which agency do you work for?" in start.text and "Social worker" in start.text
    chosen = browser.post(
        reverse("survey-open", args=[survey.public_key]),
        {"agency": council.pk, "role": social_worker.pk},
    )
    resume = reverse("survey-open-step", args=[survey.public_key, "resume"])
    assert chosen.url == resume
    cookie = chosen.cookies[f"survey_resume_{survey.pk}"]
    assert cookie["httponly"] and cookie.value
    draft = OpenDraft.objects.get()
    assert draft.key_sha256 != cookie.value  # stored hashed

    first = reverse("survey-open-step", args=[survey.public_key, "0"])
    assert browser.get(resume).url == first
    browser.post(first, {"0-Q1": "yes", "0-Q2": "A plan", "action": "later"})
    # Another browser has no resume key: it is sent to the start.
    stranger = Client().get(first)
    assert stranger.url == reverse("survey-open", args=[survey.public_key])
    # The same browser comes back where it left.
    assert "You have started answering" in browser.get(start.request["PATH_INFO"]).text
    browser.post(first, {"0-Q1": "yes", "0-Q2": "A plan"})
    browser.post(reverse("survey-open-step", args=[survey.public_key, "1"]), {"1-Q6": "3"})
    check = reverse("survey-open-step", args=[survey.public_key, "check"])
    assert browser.post(check).url == reverse("survey-open-thanks", args=[survey.public_key])
    assert "already been submitted" in browser.post(check).text
    response = Response.objects.get()
    assert (response.agency, response.role, response.status) == (
        council,
        social_worker,
        Response.Status.SUBMITTED,
    )


@pytest.mark.parametrize(
    ("opens", "closes", "words"),
    [(-10, -1, "This survey has closed"), (1, 10, "This survey is not open yet")],
)
def test_a_closed_or_unopened_survey_says_so_politely(survey_tool, council, opens, closes, words):
    now = timezone.now()
    survey = make_survey(
        survey_tool,
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
    )
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    browser = Client()
    browser.cookies[f"survey_invitation_{survey.pk}"] = token  # exchanged while it was open
    for url in (
        reverse("survey-invitation", args=[token]),
        _step(survey, "0"),
        reverse("survey-open", args=[survey.public_key]),
    ):
        page = browser.get(url)
        assert page.status_code == 200 and words in page.text
    assert browser.post(_step(survey, "0"), {"0-Q1": "no"}).status_code == 200
    assert not Response.objects.exists()


def test_an_unknown_token_gives_a_clear_page(survey):
    for url in (
        reverse("survey-invitation", args=["not-a-token"]),
        "/i/not-a-token/0/",
        reverse("survey-open", args=["nope"]),
    ):
        page = Client().get(url)
        assert page.status_code == 404 and "This link does not work" in page.text
    # A token-free page without the link's cookie asks for the link again, and says nothing of
    # the survey.
    browser = Client()
    browser.cookies[f"survey_invitation_{survey.pk}"] = "not-a-token"
    page = browser.get(_step(survey, "0"))
    assert "Open the link in your invitation email again" in page.text
    assert survey.title not in page.text


def test_invitation_only_survey_has_no_open_link(survey_tool):
    survey = make_survey(survey_tool, open_link_enabled=False)
    assert Client().get(reverse("survey-open", args=[survey.public_key])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The business unit's pages


def test_survey_pages_are_for_the_business_unit_only(
    survey, business_unit, scrutineer, board_member, practitioner, auditor_council
):
    slug = survey.scrutiny.slug
    urls = [
        reverse("survey-list", args=[slug]),
        reverse("survey-new", args=[slug]),
        reverse("survey-detail", args=[slug, survey.pk]),
        reverse("survey-invite", args=[slug, survey.pk]),
    ]
    for url in urls:
        assert client_for(business_unit).get(url).status_code == 200
        assert client_for(scrutineer).get(url).status_code == 200
        for user in (board_member, practitioner, auditor_council):
            assert client_for(user).get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to sign in


def test_an_anonymous_surveys_page_lists_whom_it_invited_but_not_who_answered(
    survey, board_survey, business_unit, council
):
    """Counts, not who: each person's "submitted" beside the responses, looked at twice, would
    show whose response came in (docs/surveys.md, "What anonymous means")."""
    invited, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    answering.survey_submit(holder=invited, values={"Q1": "yes", "Q2": "Plan", "Q6": "3"})
    make_invitation(board_survey, "ash@fernhill.invalid", council)
    board_survey.invitations.update(answered=True, reminders_sent=1)  # as a named one records
    client = client_for(business_unit)
    anonymous = client.get(reverse("survey-detail", args=[survey.scrutiny.slug, survey.pk]))
    named = client.get(reverse("survey-detail", args=[survey.scrutiny.slug, board_survey.pk]))
    for page in (anonymous, named):
        assert "ash@fernhill.invalid" in page.text
    headers = ('<th scope="col">Started</th>', '<th scope="col">Submitted</th>')
    assert not any(header in anonymous.text for header in headers)
    assert "does not say who has started, submitted or been reminded" in anonymous.text
    assert all(header in named.text for header in headers)


def test_survey_list_shows_links_and_counts_in_flat_queries(survey_tool, business_unit, council):
    client = client_for(business_unit)
    url = reverse("survey-list", args=[survey_tool.scrutiny.slug])
    make_survey(survey_tool)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(4):
        survey = make_survey(survey_tool, title=f"Wave {i}")
        for j in range(3):
            make_invitation(survey, f"p{j}@fernhill.invalid", council)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert len(five.captured_queries) == len(one.captured_queries)
    assert page.text.count('href="/scrutinies/') >= 5 and "Wave 3" in page.text


def test_set_up_a_survey(survey_tool, business_unit):
    slug = survey_tool.scrutiny.slug
    page = client_for(business_unit).post(
        reverse("survey-new", args=[slug]),
        {
            "instrument": survey_tool.pk,
            "title": "Practitioners 2025",
            "opens_at": "2025-03-01T09:00",
            "closes_at": "2025-03-31T17:00",
            "anonymous": "",
            "open_link_enabled": "on",
        },
    )
    survey = Survey.objects.get()
    assert page.url == reverse("survey-detail", args=[slug, survey.pk])
    assert survey.anonymous and survey.open_link_enabled and len(survey.public_key) >= 20
    detail = client_for(business_unit).get(page.url)
    assert reverse("survey-open", args=[survey.public_key]) in detail.text


def test_set_up_refuses_closing_before_opening(survey_tool, business_unit):
    page = client_for(business_unit).post(
        reverse("survey-new", args=[survey_tool.scrutiny.slug]),
        {
            "instrument": survey_tool.pk,
            "title": "Practitioners 2025",
            "opens_at": "2025-03-31T09:00",
            "closes_at": "2025-03-01T17:00",
        },
    )
    assert page.status_code == 200 and "must close after it opens" in page.text
    assert not Survey.objects.exists()
