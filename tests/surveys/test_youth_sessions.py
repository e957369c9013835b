"""Children's surveys in sessions (issue 16): an adult starts a session with consent, children
answer through its code without an account, one question a page, anonymously; the answers are
counted under the young people source; the sessions' numbers are suppressed when small."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scrutiny.errors import ApplicationError
from scrutiny.instruments import (
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    instrument_save,
)
from scrutiny.models import Response, Scrutiny, Source, SuccessFactor, User
from scrutiny.scoring import scrutiny_scores
from surveys import permissions
from surveys.models import OpenDraft, Survey, YouthSession
from surveys.people_data import surveys_personal_data
from surveys.rates import session_rates
from surveys.services import youth_sessions
from surveys.services.invitations import invitations_create, survey_save
from tests.conftest import client_for
from tests.surveys.conftest import make_survey

AGE_BANDS = (
    OptionDef("8-10", "8 to 10"),
    OptionDef("11-13", "11 to 13"),
    OptionDef("14-16", "14 to 16"),
    OptionDef("17-18", "17 or 18"),
)
FEELINGS = (
    OptionDef("always", "Always", 3.0),
    OptionDef("mostly", "Most of the time", 2.0),
    OptionDef("sometimes", "Sometimes", 1.0),
    OptionDef("never", "Never", 0.0),
    OptionDef("dont_know", "I don't know", None),
)
# The answers a child gives, page by page, in the instrument's order.
ANSWERS = {"AGE": "11-13", "SAFE": "always", "HEARD": "sometimes", "MORE": ""}


def young_definition(code: str = "YP") -> InstrumentDefinition:
    """Two sections of the instrument, four questions: shown one question a page."""
    return InstrumentDefinition(
        code=code,
        title="What children think",
        kind=Source.YOUNG_PEOPLE,
        questions=(
            QuestionDef("About you", "AGE", "single", "How old are you?", "ages", required=True),
            QuestionDef(
                "How things are",
                "SAFE",
                "single",
                "Do you feel safe at school?",
                "feelings",
                required=True,
                factors=(FactorRef("SF1"),),
            ),
            QuestionDef(
                "How things are",
                "HEARD",
                "single",
                "Do adults listen to you?",
                "feelings",
                factors=(FactorRef("SF1"),),
            ),
            QuestionDef("How things are", "MORE", "text", "Is there anything else?"),
        ),
        option_lists={"ages": AGE_BANDS, "feelings": FEELINGS},
    )


@pytest.fixture
def young_scrutiny(partnership) -> Scrutiny:
    scrutiny = Scrutiny.objects.create(
        partnership=partnership, slug="voices-2026", title="Voices 2026", suppression_threshold=3
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Children feel safe.")
    return scrutiny


@pytest.fixture
def young_survey(young_scrutiny) -> Survey:
    instrument = instrument_save(scrutiny=young_scrutiny, definition=young_definition()).instrument
    return make_survey(instrument, title="Your views 2026")


def start_session(user: User, survey: Survey, setting: str = "Fernhill Academy, Year 8"):
    return youth_sessions.youth_session_start(
        survey=survey, user=user, setting=setting, consent_confirmed=True
    )


def answer_all(client: Client, code: str, answers: dict[str, str] = ANSWERS) -> None:
    """A child: start through the code, answer one question a page, send."""
    response = client.post(reverse("young-start", args=[code]))
    assert response.status_code == 302
    url = client.get(response["Location"])["Location"]  # resume → the first question
    for number, (question, value) in enumerate(answers.items(), start=1):
        page = client.get(url)
        assert f"Question {number} of {len(answers)}" in page.content.decode()
        step = url.rstrip("/").rsplit("/", 1)[1]
        response = client.post(url, {f"{step}-{question}": value, "action": "continue"})
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
    assert url.endswith("/check/")
    response = client.post(url, {"action": "submit"})
    assert response["Location"] == reverse("young-thanks", args=[code])


# -- starting and ending sessions --------------------------------------------------------------


def test_who_may_start_sessions(business_unit, practitioner, scrutineer, board_member):
    assert permissions.can_start_youth_sessions(business_unit)
    assert permissions.can_start_youth_sessions(practitioner)
    assert not permissions.can_start_youth_sessions(scrutineer)
    assert not permissions.can_start_youth_sessions(board_member)


def test_a_session_needs_consent_ticked(practitioner, young_survey):
    client = client_for(practitioner)
    url = reverse("youth-session-new", args=[young_survey.pk])
    page = client.post(url, {"setting": "Fernhill Academy, Year 8"})
    assert page.status_code == 200
    assert "Confirm that you have arranged this session with the consent" in page.content.decode()
    assert not YouthSession.objects.exists()
    with pytest.raises(ApplicationError):
        youth_sessions.youth_session_start(
            survey=young_survey, user=practitioner, setting="Year 8", consent_confirmed=False
        )

    response = client.post(url, {"setting": "Fernhill Academy, Year 8", "consent_confirmed": "on"})
    session = YouthSession.objects.get()
    assert response["Location"] == reverse("youth-session-detail", args=[session.pk])
    assert (session.arranged_by, session.setting, session.consent_confirmed) == (
        practitioner,
        "Fernhill Academy, Year 8",
        True,
    )
    assert re.fullmatch("[A-HJKMNP-Z2-9]{6}", session.code)
    detail = client.get(response["Location"]).content.decode()
    assert session.code in detail and "/young/" in detail


def test_only_childrens_surveys_have_sessions_and_no_invitations(
    practitioner, business_unit, young_survey, survey_tool
):
    other = make_survey(survey_tool)
    assert (
        client_for(practitioner).get(reverse("youth-session-new", args=[other.pk])).status_code
        == 404
    )
    with pytest.raises(ApplicationError, match="never invited by email"):
        invitations_create(survey=young_survey, content=b"email,agency\n", file_name="a.csv")
    with pytest.raises(ApplicationError, match="always anonymous"):
        survey_save(
            scrutiny=young_survey.scrutiny,
            instrument=young_survey.instrument,
            title="Named",
            opens_at=timezone.now(),
            anonymous=False,
        )


def test_the_code_works_only_while_the_session_is_open(practitioner, young_survey):
    session = start_session(practitioner, young_survey)
    child = Client()
    page = child.post(
        reverse("young-code"), {"code": session.code.lower()[:3] + " " + session.code[3:]}
    )
    assert page["Location"] == reverse("young-start", args=[session.code])
    assert youth_sessions.youth_session_for_code("ZZZZZZ") is None

    # A child who started before the session ended may still finish.
    started = Client()
    started.post(reverse("young-start", args=[session.code]))

    client_for(practitioner).post(reverse("youth-session-end", args=[session.pk]))
    session.refresh_from_db()
    assert session.closed_at is not None
    page = child.post(reverse("young-code"), {"code": session.code})
    assert "That code does not work" in page.content.decode()
    assert (
        "This code does not work"
        in Client().get(reverse("young-start", args=[session.code])).content.decode()
    )
    assert Client().post(reverse("young-start", args=[session.code])).status_code == 200
    assert OpenDraft.objects.filter(session=session).count() == 1
    assert "Carry on" in started.get(reverse("young-start", args=[session.code])).content.decode()

    expired = start_session(practitioner, young_survey, "Fernhill Youth Club")
    YouthSession.objects.filter(pk=expired.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert youth_sessions.youth_session_for_code(expired.code) is None


def test_someone_else_cannot_see_or_end_a_practitioners_session(
    practitioner, auditor_council, business_unit, young_survey
):
    session = start_session(practitioner, young_survey)
    assert (
        client_for(auditor_council)
        .get(reverse("youth-session-detail", args=[session.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(business_unit)
        .get(reverse("youth-session-detail", args=[session.pk]))
        .status_code
        == 200
    )


# -- answering ---------------------------------------------------------------------------------


def test_a_child_answers_through_the_code_anonymously(practitioner, young_survey, partnership):
    partnership.front_door_phone = "01632 960 123"
    partnership.save()
    session = start_session(practitioner, young_survey)
    child = Client()
    start = child.get(reverse("young-start", args=[session.code])).content.decode()
    assert "Nobody will know which answers are yours" in start
    assert "nobody can get back to you" in start
    assert "0800 1111" in start and "01632 960 123" in start

    answer_all(child, session.code)

    thanks = child.get(reverse("young-thanks", args=[session.code])).content.decode()
    assert "Thank you" in thanks and "0800 1111" in thanks
    response = Response.objects.get()
    assert response.instrument.kind == Source.YOUNG_PEOPLE
    assert response.status == Response.Status.SUBMITTED
    # Nothing identifies the child: no person, agency or role, no time finer than the day,
    # and the draft keeps only the session, the day and that it was answered.
    assert response.source == Source.YOUNG_PEOPLE
    assert (response.created_by_id, response.agency_id, response.role_id) == (None, None, None)
    assert (response.area_id, response.case_ref, response.ref) == (None, "", "")
    assert response.submitted_at.time() == dt.time(0, 0)
    draft = OpenDraft.objects.get()
    assert draft.session == session and draft.answered
    assert (draft.response, draft.entered_by, draft.agency, draft.draft_values) == (
        None,
        None,
        None,
        {},
    )
    # Answering again from the same browser changes nothing.
    again = child.post(reverse("young-step", args=[session.code, "check"]), {"action": "submit"})
    assert again["Location"] == reverse("young-thanks", args=[session.code])
    assert Response.objects.count() == 1


def test_the_childrens_page_is_one_question_with_faces_and_words(practitioner, young_survey):
    session = start_session(practitioner, young_survey)
    child = Client()
    child.post(reverse("young-start", args=[session.code]))
    first = child.get(reverse("young-step", args=[session.code, "0"])).content.decode()
    assert first.count("<h1>") == 1 and "How old are you?" in first
    assert "Do you feel safe" not in first  # one question a page
    assert "face-" not in first  # an age band is not a scale
    child.post(
        reverse("young-step", args=[session.code, "0"]), {"0-AGE": "8-10", "action": "continue"}
    )
    second = child.get(reverse("young-step", args=[session.code, "1"])).content.decode()
    assert "Question 2 of 4" in second
    assert re.search(r"<legend[^>]*><h1>Do you feel safe at school\?</h1></legend>", second)
    assert re.search(r'face-5\.svg" alt=""[^>]*><span>Always</span>', second)
    assert re.search(r'face-1\.svg" alt=""[^>]*><span>Never</span>', second)
    assert re.search(r'unsure\.svg" alt=""[^>]*><span>I don&#x27;t know</span>', second)
    assert "Worried or upset?" in second and "style=" not in second and "<script>" not in second
    # A required question left out says so, and the draft keeps the answers so far.
    page = child.post(reverse("young-step", args=[session.code, "1"]), {"action": "continue"})
    assert "There is a problem" in page.content.decode()
    assert OpenDraft.objects.get().draft_values["AGE"] == "8-10"


def test_childrens_answers_count_under_young_people(practitioner, young_survey):
    session = start_session(practitioner, young_survey)
    for _ in range(3):
        answer_all(Client(), session.code)
    factor = scrutiny_scores(scrutiny=young_survey.scrutiny).factor("SF1")
    assert factor.sources[Source.YOUNG_PEOPLE].n == 3
    assert factor.n == 3


# -- rates ---------------------------------------------------------------------------------------


def test_session_rates_are_suppressed_when_small(practitioner, business_unit, young_survey):
    year8 = start_session(practitioner, young_survey, "Fernhill Academy, Year 8")
    club = start_session(practitioner, young_survey, "Fernhill Youth Club")
    start_session(practitioner, young_survey, "Fernhill Academy, Year 8")
    start_session(practitioner, young_survey, "Northgate Primary, Year 6")
    for _ in range(4):
        answer_all(Client(), year8.code)
    answer_all(Client(), club.code)

    rates = session_rates(survey=young_survey)  # threshold 3
    assert (rates.sessions, rates.answered) == (4, 5)
    cells = {cell.setting: cell for cell in rates.settings}
    assert cells["Fernhill Youth Club"].suppressed  # 1 answered: below 3
    assert cells["Fernhill Academy, Year 8"].suppressed  # secondary: the total would give it
    assert cells["Fernhill Academy, Year 8"].sessions == 2
    assert cells["Northgate Primary, Year 6"].answered == 0

    page = client_for(business_unit).get(
        reverse("survey-detail", args=[young_survey.scrutiny.slug, young_survey.pk])
    )
    html = page.content.decode()
    assert "Sessions and answers by setting" in html
    assert "Not shown, so that no one can be recognised" in html
    assert "Invite people from a list" not in html


def test_a_child_answers_through_the_open_link_too(young_survey):
    child = Client()
    page = child.get(reverse("survey-open", args=[young_survey.public_key]))
    assert page["Location"] == reverse("young-start", args=[young_survey.public_key])
    assert (
        "Nobody will know which answers are yours" in child.get(page["Location"]).content.decode()
    )
    answer_all(child, young_survey.public_key)
    draft = OpenDraft.objects.get()
    assert draft.answered and draft.session is None and draft.agency is None
    assert Response.objects.get().source == Source.YOUNG_PEOPLE

    young_survey.open_link_enabled = False
    young_survey.save()
    closed = Client().get(reverse("young-start", args=[young_survey.public_key]))
    assert "This code does not work" in closed.content.decode()


def test_the_adult_who_arranged_a_session_sees_it_in_their_data(practitioner, young_survey):
    session = start_session(practitioner, young_survey)
    answer_all(Client(), session.code)
    sections = surveys_personal_data(
        partnership=young_survey.scrutiny.partnership, email=practitioner.email, user=practitioner
    )
    held = {section.title: section for section in sections}
    [row] = held["Children's survey sessions arranged"].rows
    assert row["setting"] == "Fernhill Academy, Year 8"

    young_survey.delete()  # a survey's sessions and drafts go with it
    assert not YouthSession.objects.exists() and not OpenDraft.objects.exists()
