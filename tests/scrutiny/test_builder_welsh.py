"""The instrument builder and Welsh: every edit keeps the Welsh of the texts it does not change,
the forms show a Welsh field beside each English one when the instrument offers Welsh, and the
settings page chooses the languages (refusing Welsh while a text lacks it, naming which)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse

from scrutiny import instrument_builder as b
from scrutiny.errors import ApplicationError
from scrutiny.instruments import (
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    definition_from_version,
    instrument_save,
)
from scrutiny.models import Instrument
from tests.conftest import client_for
from tests.scrutiny.test_questionnaires import sample_definition
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny


def _cy(text: str) -> str:
    return f"CY {text}"


def bilingual(definition: InstrumentDefinition) -> InstrumentDefinition:
    """Every text of the definition with a Welsh one ("CY " and the English)."""

    def question(q: QuestionDef) -> QuestionDef:
        texts = {"section": _cy(q.section), "text": _cy(q.text)}
        if q.help:
            texts["help"] = _cy(q.help)
        return replace(q, translations={"cy": texts})

    def option(o: OptionDef) -> OptionDef:
        return replace(o, translations={"cy": {"label": _cy(o.label)}})

    return replace(
        definition,
        languages=("en", "cy"),
        translations={"cy": {"title": _cy(definition.title)}},
        questions=tuple(question(q) for q in definition.questions),
        option_lists={k: tuple(option(o) for o in v) for k, v in definition.option_lists.items()},
    )


@pytest.fixture
def welsh(scrutiny) -> Instrument:
    return instrument_save(scrutiny=scrutiny, definition=bilingual(sample_definition())).instrument


def _current(instrument: Instrument) -> InstrumentDefinition:
    version = instrument.versions.order_by("-number").first()
    assert version is not None
    return definition_from_version(version)


def _question(definition: InstrumentDefinition, code: str) -> QuestionDef:
    return next(q for q in definition.questions if q.code == code)


def _others_intact(before: InstrumentDefinition, after: InstrumentDefinition, *, but: str) -> None:
    assert after.languages == ("en", "cy")
    assert after.translations == before.translations
    for q in before.questions:
        if q.code != but:
            assert _question(after, q.code).translations == q.translations, q.code
    assert after.option_lists == before.option_lists
    for name, options in before.option_lists.items():
        assert [o.translations for o in after.option_lists[name]] == [
            o.translations for o in options
        ]


@pytest.mark.django_db
class TestEditsKeepWelsh:
    def test_changing_one_question_keeps_the_welsh_of_everything_else(self, welsh):
        before = _current(welsh)
        q4 = _question(before, "Q4")
        b.instrument_question_save(
            instrument=welsh,
            question=replace(
                q4,
                text="How many home visits?",
                translations={"cy": {"text": "Sawl ymweliad cartref?"}},
            ),
            replacing="Q4",
        )
        after = _current(welsh)
        _others_intact(before, after, but="Q4")
        assert _question(after, "Q4").translations == {
            "cy": {"section": "CY Practice", "text": "Sawl ymweliad cartref?"}
        }

    def test_a_changed_text_needs_its_welsh_when_welsh_is_offered(self, welsh):
        q4 = _question(_current(welsh), "Q4")
        with pytest.raises(b.DefinitionErrors) as error:
            b.instrument_question_save(
                instrument=welsh,
                question=replace(q4, text="How many home visits?", translations={}),
                replacing="Q4",
            )
        assert any("Q4 has no cy text" in str(e) for e in error.value.errors)
        b.instrument_question_save(
            instrument=welsh,
            question=replace(
                q4, text="How many home visits?", translations={"cy": {"text": "Sawl ymweliad?"}}
            ),
            replacing="Q4",
        )
        assert _question(_current(welsh), "Q4").translations == {
            "cy": {"section": "CY Practice", "text": "Sawl ymweliad?"}
        }

    def test_an_unchanged_text_keeps_its_welsh(self, welsh):
        before = _current(welsh)
        q7 = _question(before, "Q7")
        b.instrument_question_save(
            instrument=welsh, question=replace(q7, required=True, translations={}), replacing="Q7"
        )
        after = _current(welsh)
        assert _question(after, "Q7").translations == q7.translations
        _others_intact(before, after, but="Q7")

    def test_a_new_question_takes_its_sections_welsh_title(self, welsh):
        new = QuestionDef(
            "Practice", "Q8", "text", "Who else?", translations={"cy": {"text": "Pwy?"}}
        )
        b.instrument_question_save(instrument=welsh, question=new)
        assert _question(_current(welsh), "Q8").translations["cy"]["section"] == "CY Practice"

    def test_moves_removals_and_settings_keep_the_welsh(self, welsh):
        before = _current(welsh)
        b.instrument_question_move(instrument=welsh, code="Q5", offset=-1)
        b.instrument_question_delete(instrument=welsh, code="Q5")
        b.instrument_settings_save(instrument=welsh, title=before.title, kind=before.kind)
        after = _current(welsh)
        assert after.translations == before.translations
        assert _question(after, "Q4").translations == _question(before, "Q4").translations

    def test_an_option_list_keeps_the_welsh_of_the_labels_it_keeps(self, welsh):
        before = _current(welsh)
        grade = before.option_lists["grade"]
        changed = (
            replace(grade[0], label="Excellent", translations={}),
            *tuple(replace(o, translations={}) for o in grade[1:]),
        )
        with pytest.raises(b.DefinitionErrors) as error:
            b.instrument_option_list_save(
                instrument=welsh, name="grade", options=changed, replacing="grade"
            )
        assert len(error.value.errors) == 1 and "has no cy label" in str(error.value.errors[0])
        changed = (replace(changed[0], translations={"cy": {"label": "Rhagorol"}}), *changed[1:])
        b.instrument_option_list_save(
            instrument=welsh, name="grade", options=changed, replacing="grade"
        )
        after = _current(welsh).option_lists["grade"]
        assert after[0].translations == {"cy": {"label": "Rhagorol"}}
        assert [o.translations for o in after[1:]] == [o.translations for o in grade[1:]]

    def test_an_english_instrument_stays_as_it_was(self, scrutiny):
        instrument = instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument
        q7 = _question(_current(instrument), "Q7")
        b.instrument_question_save(
            instrument=instrument, question=replace(q7, text="Anything more?"), replacing="Q7"
        )
        after = _current(instrument)
        assert after.languages == ("en",)
        assert all(not q.translations for q in after.questions)


def _url(scrutiny, instrument, name: str) -> str:
    return reverse(name, args=[scrutiny.slug, instrument.pk])


@pytest.mark.django_db
class TestSideBySide:
    def test_the_question_form_shows_the_welsh_beside_the_english(
        self, scrutiny, welsh, scrutineer
    ):
        page = client_for(scrutineer).get(_url(scrutiny, welsh, "instrument-question") + "?code=Q7")
        html = page.content.decode()
        for label in ("Section (Welsh)", "Question (Welsh)", "Guidance (Welsh)"):
            assert label in html
        assert 'class="field-pair"' in html
        assert 'lang="cy"' in html
        assert "CY Anything else?" in html

    def test_an_english_instrument_shows_no_welsh_fields(self, scrutiny, scrutineer):
        instrument = instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument
        page = client_for(scrutineer).get(_url(scrutiny, instrument, "instrument-question"))
        assert "(Welsh)" not in page.content.decode()

    def test_posting_the_welsh_saves_it(self, scrutiny, welsh, scrutineer):
        data = {
            "section": "Practice",
            "section_cy": "CY Practice",
            "code": "Q7",
            "type": "text",
            "text": "Anything more?",
            "text_cy": "Unrhyw beth arall?",
            "required": "no",
            "help": "",
            "help_cy": "",
            "based_on": "",
        }
        url = _url(scrutiny, welsh, "instrument-question") + "?code=Q7"
        response = client_for(scrutineer).post(url, data)
        assert response.status_code == 302, response.content.decode()
        assert _question(_current(welsh), "Q7").translations == {
            "cy": {"section": "CY Practice", "text": "Unrhyw beth arall?"}
        }

    def test_a_missing_welsh_text_is_shown_on_its_field(self, scrutiny, welsh, scrutineer):
        data = {
            "section": "Practice",
            "section_cy": "CY Practice",
            "code": "Q7",
            "type": "text",
            "text": "Anything more?",
            "text_cy": "",
            "required": "no",
            "help": "Say why.",
            "help_cy": "",
            "based_on": "",
        }
        url = _url(scrutiny, welsh, "instrument-question") + "?code=Q7"
        html = client_for(scrutineer).post(url, data).content.decode()
        assert 'id="id_text_cy_error"' in html

    def test_the_option_list_form_takes_welsh_labels(self, scrutiny, welsh, scrutineer):
        url = _url(scrutiny, welsh, "instrument-list") + "?name=yesno"
        client = client_for(scrutineer)
        assert "Options (Welsh)" in client.get(url).content.decode()
        lines = b.format_option_lines(_current(welsh).option_lists["yesno"])
        welsh_lines = "yes | Ydw\nno | Nac ydw"
        response = client.post(
            url, {"name": "yesno", "option_lines": lines, "option_lines_cy": welsh_lines}
        )
        assert response.status_code == 302
        labels = [o.translations["cy"]["label"] for o in _current(welsh).option_lists["yesno"]]
        assert labels == ["Ydw", "Nac ydw"]


@pytest.mark.django_db
class TestSettingsLanguages:
    def test_welsh_is_refused_while_a_text_lacks_it_naming_which(self, scrutiny, scrutineer):
        scrutiny.partnership.languages = "en,cy"
        scrutiny.partnership.save()
        instrument = instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument
        url = _url(scrutiny, instrument, "instrument-settings")
        client = client_for(scrutineer)
        assert "Is it offered in Welsh" in client.get(url).content.decode()
        data = {"title": instrument.title, "title_cy": "Archwiliad", "kind": instrument.kind}
        html = client.post(url, {**data, "offers_welsh": "yes"}).content.decode()
        assert "question Q1 has no cy text" in html
        assert _current(instrument).languages == ("en",)

    def test_welsh_is_offered_once_every_text_has_it(self, scrutiny, scrutineer):
        scrutiny.partnership.languages = "en,cy"
        scrutiny.partnership.save()
        english = sample_definition()
        ready = replace(bilingual(english), languages=("en",))
        instrument = instrument_save(scrutiny=scrutiny, definition=ready).instrument
        url = _url(scrutiny, instrument, "instrument-settings")
        data = {"title": instrument.title, "title_cy": "Archwiliad", "kind": instrument.kind}
        response = client_for(scrutineer).post(url, {**data, "offers_welsh": "yes"})
        assert response.status_code == 302
        after = _current(instrument)
        assert after.languages == ("en", "cy")
        assert after.translations == {"cy": {"title": "Archwiliad"}}

    def test_an_english_partnership_sees_no_language_choice(self, scrutiny, scrutineer):
        instrument = instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument
        page = client_for(scrutineer).get(_url(scrutiny, instrument, "instrument-settings"))
        assert "Welsh" not in page.content.decode()


def test_application_error_is_the_base():
    assert issubclass(b.DefinitionErrors, ApplicationError)
