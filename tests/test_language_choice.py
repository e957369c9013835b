"""Choosing English or Welsh (docs/welsh.md): the browser's Accept-Language on the first page,
the switch at the top of every page kept in Django's language cookie, the partnership's
languages, an invitation list's `language` column, the invitation and reminder emails in the
invitee's language, and a personal link opening in it.

The tests marked WELSH assert Welsh words: they need the compiled catalogue
(locale/cy/LC_MESSAGES/django.mo, made by scripts/setup.sh).
"""

# ruff: noqa: F811 - the survey fixtures of tests/surveys/conftest.py, imported by name

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from scrutiny.errors import ApplicationError
from scrutiny.forms import PartnershipForm
from scrutiny.models import Partnership, Response
from scrutiny.workbooks.lists import invitation_list_read
from surveys.models import Invitation, Survey
from surveys.services import invitations as services
from surveys.services.answering import survey_save_page, survey_submit
from surveys.services.invitation_emails import invitation_email, invitation_language
from tests.conftest import client_for
from tests.surveys.conftest import (  # noqa: F401 - fixtures
    COMPLETE,
    eager_tasks,
    make_invitation,
    social_worker,
    survey,
    survey_scrutiny,
    survey_tool,
)

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME
SKIP_LINK_CY = "Neidio i'r prif gynnwys"


def _html_lang(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', page)
    assert match, page[:200]
    return match.group(1)


# ---------------------------------------------------------------------------------------------
# Settings and the switch


def test_english_is_the_default_and_welsh_is_offered() -> None:
    assert settings.LANGUAGE_CODE == "en-gb"
    assert [code for code, _ in settings.LANGUAGES] == ["en", "cy"]
    order = settings.MIDDLEWARE
    locale = order.index("django.middleware.locale.LocaleMiddleware")
    assert order.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < order.index("django.middleware.common.CommonMiddleware")
    assert settings.LANGUAGE_COOKIE_AGE >= 365 * 24 * 60 * 60


def test_an_english_page_offers_cymraeg_at_the_top() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert _html_lang(page) == "en-GB"
    assert "Skip to main content" in page
    switch = re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*>(.*?)</form>', page, re.S)
    assert switch, "the language switch is missing"
    assert 'name="next" value="/accounts/login/"' in switch.group(1)
    assert re.search(r'<button[^>]*value="cy"[^>]*lang="cy"[^>]*>Cymraeg</button>', page)
    # At the top: before the page's navigation and its main content.
    assert page.index("Cymraeg</button>") < page.index('id="main-content"')


def test_welsh_from_the_first_page_when_the_browser_asks_for_it() -> None:  # WELSH
    page = Client(headers={"accept-language": "cy"}).get(reverse("login")).content.decode()
    assert _html_lang(page) == "cy"
    assert SKIP_LINK_CY in page
    assert re.search(r'<button[^>]*value="en"[^>]*lang="en-GB"[^>]*>English</button>', page)
    assert "Cymraeg</button>" not in page


def test_the_switch_keeps_the_page_and_remembers_the_choice() -> None:  # WELSH
    client = Client()
    answer = client.post("/i18n/setlang/", {"language": "cy", "next": "/accessibility/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/accessibility/"
    cookie = answer.cookies[COOKIE]
    assert cookie.value == "cy"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE
    # The choice beats the browser's own preference, on every page after.
    page = client.get("/accessibility/", headers={"accept-language": "en-GB"}).content.decode()
    assert _html_lang(page) == "cy"
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/accessibility/"})
    assert back.cookies[COOKIE].value == "en"
    assert _html_lang(client.get("/accessibility/").content.decode()) == "en-GB"


def test_the_switch_never_sends_anyone_to_another_site() -> None:
    answer = Client().post(
        "/i18n/setlang/", {"language": "cy", "next": "https://elsewhere.invalid/"}
    )
    assert answer.status_code == 302
    assert "elsewhere.invalid" not in answer["Location"]


def test_a_signed_in_page_in_welsh(business_unit) -> None:  # WELSH
    client = client_for(business_unit)
    client.cookies[COOKIE] = "cy"
    page = client.get(reverse("home")).content.decode()
    assert _html_lang(page) == "cy"
    assert ">Allgofnodi<span" in page
    assert ">Partneriaeth</a>" in page


# ---------------------------------------------------------------------------------------------
# The partnership's languages


def _form_data(partnership: Partnership, **changes: str) -> dict[str, object]:
    form = PartnershipForm(instance=partnership)
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.pop("id", None)
    data.update(changes)
    return data


def test_the_partnership_chooses_its_languages_in_words(business_unit, partnership) -> None:
    assert (partnership.languages, partnership.default_language) == ("en", "en")
    client = client_for(business_unit)
    page = client.get(reverse("partnership-edit")).content.decode()
    assert "English and Welsh" in page and 'name="default_language"' in page
    data = _form_data(partnership, languages="en,cy", default_language="cy")
    assert client.post(reverse("partnership-edit"), data).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.languages, partnership.default_language) == ("en,cy", "cy")


def test_the_default_language_must_be_one_offered(partnership) -> None:
    form = PartnershipForm(
        _form_data(partnership, languages="en", default_language="cy"), instance=partnership
    )
    assert not form.is_valid()
    assert form.errors["default_language"] == [
        "Choose a default language that the partnership offers"
    ]


def test_languages_left_out_keep_their_values(partnership) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(languages="cy", default_language="cy")
    partnership.refresh_from_db()
    data = _form_data(partnership)
    del data["languages"], data["default_language"]
    form = PartnershipForm(data, instance=partnership)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["languages"], form.cleaned_data["default_language"]) == ("cy", "cy")


# ---------------------------------------------------------------------------------------------
# The invitation list's language column, the emails, the personal link


@pytest.mark.usefixtures("council", "police")
def test_the_invitation_list_reads_a_language_in_codes_or_words(partnership) -> None:
    content = (
        b"email,agency,language\n"
        b"ash@fernhill.invalid,FHC,cy\n"
        b"bo@fernhill.invalid,POL,English\n"
        b"cai@fernhill.invalid,POL,CYMRAEG\n"
        b"dee@fernhill.invalid,POL,\n"
    )
    listed = invitation_list_read(content=content, file_name="l.csv", partnership=partnership)
    assert [i.language for i in listed.invitees] == ["cy", "en", "cy", ""]
    # A list without the column invites in the partnership's default, as before.
    plain = invitation_list_read(
        content=b"email,agency\nash@fernhill.invalid,FHC\n",
        file_name="l.csv",
        partnership=partnership,
    )
    assert plain.invitees[0].language == ""


@pytest.mark.usefixtures("council")
def test_an_unknown_language_is_an_error_naming_its_row(partnership) -> None:
    content = b"email,agency,language\nash@fernhill.invalid,FHC,cy\nbo@fernhill.invalid,FHC,fr\n"
    with pytest.raises(ApplicationError) as caught:
        invitation_list_read(content=content, file_name="l.csv", partnership=partnership)
    (error,) = caught.value.extra["errors"]
    assert error.startswith("Row 3") and "'fr' is not a language" in error


@pytest.mark.usefixtures("council", "police", "social_worker", "eager_tasks")
def test_each_invitee_is_written_to_in_their_language(  # WELSH
    survey, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    content = b"email,agency,language\nash@fernhill.invalid,FHC,cy\nbo@fernhill.invalid,POL,\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(survey=survey, content=content, file_name="list.csv")
    assert dict(Invitation.objects.values_list("email", "language")) == {
        "ash@fernhill.invalid": "cy",
        "bo@fernhill.invalid": "",
    }
    mail = {message.to[0]: message for message in mailoutbox}
    welsh, english = mail["ash@fernhill.invalid"], mail["bo@fernhill.invalid"]
    assert welsh.subject == f"Atebwch, os gwelwch yn dda: {survey.title}"
    assert "Helo," in welsh.body and "Mae'r ddolen hon yn bersonol" in welsh.body
    assert english.subject == f"Please answer: {survey.title}"
    assert english.body.startswith("Hello,\n\n")
    assert "It closes on " in english.body and "This link is personal" in english.body
    # Writing the emails leaves the sender's own language as it was.
    assert translation.get_language() in ("en", "en-gb")


@pytest.mark.usefixtures("council")
def test_a_blank_language_is_the_partnership_default(survey, council) -> None:  # WELSH
    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    assert invitation_language(invitation) == "en"
    partnership = survey.scrutiny.partnership
    partnership.languages, partnership.default_language = "en,cy", "cy"
    partnership.save()
    invitation = Invitation.objects.select_related("survey__scrutiny__partnership").get()
    assert invitation_language(invitation) == "cy"
    reminder = invitation_email(invitation, "https://example.invalid/i/x/", reminder=True)
    assert reminder.subject.startswith("Nodyn atgoffa:")
    invitation.language = "en"
    assert invitation_email(invitation, "x", reminder=True).subject.startswith("Reminder:")


@pytest.mark.usefixtures("council")
def test_a_personal_link_opens_in_the_invitation_language(survey, council) -> None:  # WELSH
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    Invitation.objects.filter(pk=invitation.pk).update(language="cy")
    client = Client()
    opened = client.get(reverse("survey-invitation", args=[token]))
    assert opened.status_code == 302
    assert opened.cookies[COOKIE].value == "cy"
    page = client.get(opened["Location"]).content.decode()
    assert _html_lang(page) == "cy"


def _first_page(survey) -> str:
    return reverse("survey-invited-step", args=[survey.pk, "0"])


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.usefixtures("council")
def test_a_language_already_chosen_is_kept(survey, council, anonymous) -> None:
    """Kept on a named survey's invitation; never on an anonymous survey's, whose invitation
    nothing written while its person answers may name (surveys.services.invited_drafts)."""
    Survey.objects.filter(pk=survey.pk).update(anonymous=anonymous)
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    Invitation.objects.filter(pk=invitation.pk).update(language="cy")
    client = Client()
    client.cookies[COOKIE] = "en"
    opened = client.get(reverse("survey-invitation", args=[token]))
    assert COOKIE not in opened.cookies
    assert _html_lang(client.get(opened["Location"]).content.decode()) == "en-GB"
    # Opening the link and reading its pages write nothing.
    assert client.get(_first_page(survey)).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).language == "cy"
    # A page saved keeps the choice on a named survey's invitation: the reminders come in it.
    # An anonymous survey's reminders come in the invitation's language.
    saved = client.post(_first_page(survey), {"0-Q1": "yes", "0-Q2": "A plan", "action": "later"})
    assert saved.status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).language == ("cy" if anonymous else "en")


@pytest.mark.parametrize("state", ["open", "answered", "closed"])
def test_opening_a_link_writes_nothing(survey, council, state) -> None:
    """Reads never write: opening a link with a language already chosen (here the partnership's
    default, with a blank language on the invitation) changes no invitation, open, used or
    closed."""
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    if state == "answered":  # an anonymous survey's: in its keyed draft (invited_drafts)
        survey_save_page(holder=invitation, step="check", values=COMPLETE)
        survey_submit(holder=invitation)
    if state == "closed":
        survey.closes_at = survey.opens_at
        survey.save(update_fields=["closes_at"])
    client = Client()
    client.cookies[COOKIE] = "en"
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("survey-invitation", args=[token]))
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert Invitation.objects.get(pk=invitation.pk).language == ""


@pytest.mark.usefixtures("council")
def test_the_language_a_link_opened_in_is_no_choice_to_keep(survey, council) -> None:
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    client = Client()
    opened = client.get(reverse("survey-invitation", args=[token]))
    assert opened.cookies[COOKIE].value == "en"  # the partnership's default
    client.post(_first_page(survey), {"0-Q1": "yes", "0-Q2": "A plan", "action": "later"})
    # Its reminders still follow the partnership's default.
    assert Invitation.objects.get(pk=invitation.pk).language == ""


def test_a_response_records_its_language() -> None:
    field = Response._meta.get_field("language")
    assert (field.max_length, field.blank) == (8, True)


def test_a_personal_links_token_never_goes_into_the_switch(survey, council) -> None:
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    survey_save_page(holder=invitation, step="check", values=COMPLETE)  # answered: the page
    survey_submit(holder=invitation)  # at the token's address says so
    page = Client().get(reverse("survey-invitation", args=[token])).content.decode()
    assert "/i18n/setlang/" in page and token not in page
