"""Issue 18, done when: a practitioner answers a bilingual survey entirely in Welsh on a phone
(320 px), switching to English halfway and back with the language switch at the top of every
page (base.html), and every answer is kept; Welsh pages say `lang="cy"`; axe passes on every
page (`visit`, `submit`, `follow`).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from scrutiny.instruments import instrument_save
from scrutiny.models import Agency, PractitionerRole, Response
from tests.e2e.conftest import submit, visit
from tests.e2e.test_layout import assert_no_horizontal_scroll
from tests.surveys.conftest import make_survey
from tests.surveys.conftest import survey_scrutiny as survey_scrutiny
from tests.surveys.test_welsh_answering import bilingual_definition
from tests.surveys.test_welsh_answering import welsh_catalogue as welsh_catalogue

pytestmark = pytest.mark.e2e

WIDTH = 320


def _lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def _press(page: Page, button: str) -> None:
    submit(page, button)
    assert_no_horizontal_scroll(page, WIDTH)


def test_a_practitioner_answers_in_welsh_switching_to_english_and_back(
    page: Page, transactional_db, survey_scrutiny, welsh_catalogue
):
    partnership = survey_scrutiny.partnership
    agency = Agency.objects.create(partnership=partnership, code="CSC", name="Cyngor Sir")
    PractitionerRole.objects.create(
        partnership=partnership, code="SW", name="Gweithiwr cymdeithasol"
    )
    tool = instrument_save(scrutiny=survey_scrutiny, definition=bilingual_definition()).instrument
    survey = make_survey(tool, title="Arolwg ymarferwyr 2025 / Practitioner survey 2025")
    page.set_viewport_size({"width": WIDTH, "height": 640})

    # The open link, in English first; the switch at the top gives Welsh.
    visit(page, f"/s/{survey.public_key}/")
    assert _lang(page) == "en-GB"
    _press(page, "Cymraeg")
    assert _lang(page) == "cy"
    expect(page.get_by_role("heading", name="Amdanoch chi")).to_be_visible()
    page.get_by_label("I ba asiantaeth ydych chi'n gweithio?").select_option(str(agency.pk))
    page.get_by_label("Beth yw eich rôl?").select_option(index=1)
    _press(page, "Dechrau")

    # Page 1 in Welsh: the instrument's Welsh texts and the page's own words.
    assert _lang(page) == "cy"
    expect(page.get_by_role("heading", level=1)).to_have_text("Am yr achos")
    expect(page.locator("#progress-label")).to_have_text("Tudalen 1 o 2")
    page.get_by_label("Oedd", exact=True).check()
    page.get_by_label("Beth oedd y cynllun yn ei ddweud?").fill("Cynllun amddiffyn plant")
    _press(page, "Cadw a pharhau")

    # Halfway, English: the same page, its questions in English.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ymarfer")
    _press(page, "English")
    assert _lang(page) == "en-GB"
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice")
    page.get_by_label("Briefings").check()
    page.get_by_label("Good", exact=True).check()
    _press(page, "Save and go back a page")

    # Page 1 again, in English: the answers given in Welsh are there.
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()
    expect(page.get_by_label("What did the plan say?")).to_have_value("Cynllun amddiffyn plant")
    _press(page, "Save and continue")
    expect(page.get_by_label("Briefings")).to_be_checked()
    expect(page.get_by_label("Good", exact=True)).to_be_checked()

    # And back to Welsh: every answer is kept, shown in Welsh.
    _press(page, "Cymraeg")
    assert _lang(page) == "cy"
    expect(page.get_by_label("Sesiynau briffio")).to_be_checked()
    expect(page.get_by_label("Da", exact=True)).to_be_checked()
    _press(page, "Cadw a gwirio eich atebion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gwiriwch eich atebion cyn cyflwyno")
    main = page.locator("main")
    for words in ("Oedd yna gynllun?", "Cynllun amddiffyn plant", "Sesiynau briffio", "Da"):
        expect(main.get_by_text(words, exact=True).first).to_be_visible()
    _press(page, "Cyflwyno eich atebion")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Diolch: mae eich atebion wedi'u cyflwyno"
    )
    assert _lang(page) == "cy"

    response = Response.objects.get()
    assert response.language == "cy"
    answers = {a.question.code: a for a in response.answers.select_related("question", "option")}
    assert answers["Q1"].option.value == "yes" and answers["Q6"].option.value == "3"
    assert answers["Q2"].text == "Cynllun amddiffyn plant"
    assert response.answers.filter(question__code="Q3").get().option.value == "briefing"
