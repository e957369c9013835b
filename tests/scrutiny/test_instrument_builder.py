"""Building an instrument on the page: edits, their checks, and versions kept for responses."""

from __future__ import annotations

import pytest

from scrutiny import instrument_builder as b
from scrutiny.errors import ApplicationError
from scrutiny.evidence import response_submit
from scrutiny.instruments import (
    FactorRef,
    OptionDef,
    QuestionDef,
    definition_from_version,
    instrument_save,
    version_compile,
)
from scrutiny.models import InstrumentVersion, Option, Response
from tests.scrutiny.test_questionnaires import GRADE, sample_definition
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny


@pytest.fixture
def instrument(scrutiny):
    return instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument


def _current(instrument):
    return instrument.versions.order_by("-number").first()


def _codes(definition):
    return [q.code for q in definition.questions]


def _respond(instrument):
    compiled = version_compile(_current(instrument))
    return response_submit(
        compiled=compiled, values={"Q1": "no", "Q3": ["training"]}, channel="audit"
    )


class TestOptionLines:
    def test_value_label_points_a_line(self):
        options = b.parse_option_lines("4 | Outstanding | 4\n\nna | Not applicable |\nyes")
        assert options == (
            OptionDef("4", "Outstanding", 4.0),
            OptionDef("na", "Not applicable", None),
            OptionDef("yes", "yes", None),
        )
        assert (
            b.format_option_lines(options) == "4 | Outstanding | 4\nna | Not applicable\nyes | yes"
        )
        assert b.parse_option_lines(b.format_option_lines(options)) == options

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("a | A | lots", "line 1: points 'lots' is not a number"),
            ("a | A\na | Again", "line 2: value 'a' is already in the list"),
            (" | A | 1", "line 1 has no value"),
            ("a | b | 1 | 2", "line 1 has 4 parts"),
            ("  \n", "write at least one option"),
        ],
    )
    def test_mistakes_name_the_line(self, text, message):
        with pytest.raises(ValueError, match=message):
            b.parse_option_lines(text)


class TestEdits:
    def test_new_question_goes_to_the_end_of_its_section(self):
        definition = sample_definition()
        added = b.question_put(definition, QuestionDef("About the case", "Q1b", "text", "Who?"))
        assert _codes(added)[:3] == ["Q1", "Q2", "Q1b"]
        new_page = b.question_put(definition, QuestionDef("Ending", "Z", "text", "Bye?"))
        assert _codes(new_page)[-1] == "Z"

    def test_a_code_cannot_be_used_twice(self):
        with pytest.raises(b.DefinitionErrors) as caught:
            b.question_put(sample_definition(), QuestionDef("Practice", "Q4", "text", "Again?"))
        assert b.error_field(caught.value.errors[0], question_code="Q4") == "code"

    def test_change_keeps_the_place_and_renames_show_if(self):
        definition = sample_definition()
        changed = b.question_put(
            definition,
            QuestionDef("About the case", "PLAN", "single", "Was there a plan?", "yesno"),
            replacing="Q1",
        )
        assert _codes(changed)[:2] == ["PLAN", "Q2"]
        assert changed.questions[1].show_if == "PLAN = yes"
        assert [x.show_if for x in changed.questions if x.code == "Q6"] == ["PLAN = yes"]

    def test_changing_section_moves_it_there(self):
        changed = b.question_put(
            sample_definition(),
            QuestionDef("About the case", "Q7", "text", "Anything else?"),
            replacing="Q7",
        )
        assert _codes(changed) == ["Q1", "Q2", "Q7", "Q3", "Q4", "Q5", "Q6"]

    def test_removing_a_question_others_depend_on_is_refused(self):
        with pytest.raises(ApplicationError, match="Q2, Q6 are shown only depending on"):
            b.question_remove(sample_definition(), "Q1")
        assert "Q7" not in _codes(b.question_remove(sample_definition(), "Q7"))

    def test_moves_stay_within_a_section(self):
        moved = b.question_move(sample_definition(), "Q4", offset=-1)
        assert _codes(moved)[2:4] == ["Q4", "Q3"]
        with pytest.raises(ApplicationError, match="already the first question"):
            b.question_move(sample_definition(), "Q3", offset=-1)
        with pytest.raises(ApplicationError, match="already the last question"):
            b.question_move(sample_definition(), "Q7", offset=1)

    def test_renaming_a_list_renames_it_in_its_questions(self):
        renamed = b.option_list_put(sample_definition(), "grade4", GRADE, replacing="grade")
        assert "grade" not in renamed.option_lists
        assert [x.options for x in renamed.questions if x.code == "Q6"] == ["grade4"]

    def test_a_list_name_cannot_be_taken_twice(self):
        with pytest.raises(b.DefinitionErrors) as caught:
            b.option_list_put(sample_definition(), "grade", GRADE, replacing="yesno")
        assert b.error_field(caught.value.errors[0], list_name="grade") == "name"

    def test_a_list_in_use_cannot_be_removed(self):
        with pytest.raises(ApplicationError, match="used by Q6"):
            b.option_list_remove(sample_definition(), "grade")
        definition = b.option_list_put(sample_definition(), "spare", (OptionDef("a", "A"),))
        assert "spare" not in b.option_list_remove(definition, "spare").option_lists


@pytest.mark.django_db
class TestPublishing:
    def test_without_responses_a_change_replaces_the_version(self, instrument):
        result = b.instrument_question_save(
            instrument=instrument, question=QuestionDef("Practice", "Q8", "text", "Who helped?")
        )
        assert result.outcome == "replaced"
        assert result.version.number == 1
        assert InstrumentVersion.objects.filter(instrument=instrument).count() == 1
        assert "Q8" in _codes(definition_from_version(result.version))
        assert "replaced" in b.save_message(result)

    def test_with_responses_a_change_makes_a_new_version_and_keeps_the_old(self, instrument):
        response = _respond(instrument)
        old = _current(instrument)
        result = b.instrument_question_delete(instrument=instrument, code="Q7")
        assert result.outcome == "new version"
        assert result.version.number == 2
        assert "new version" in b.save_message(result)
        response.refresh_from_db()
        assert response.version_id == old.pk
        assert "Q7" in _codes(definition_from_version(old))
        assert "Q7" not in _codes(definition_from_version(result.version))
        # Further changes replace version 2 until it has responses of its own.
        again = b.instrument_question_move(instrument=instrument, code="Q4", offset=-1)
        assert (again.outcome, again.version.number) == ("replaced", 2)
        assert Response.objects.get().version_id == old.pk

    def test_a_change_on_a_stale_page_is_refused(self, instrument):
        seen = _current(instrument).definition_sha256
        b.instrument_settings_save(instrument=instrument, title="Audit tool", kind="file_audit")
        with pytest.raises(ApplicationError, match="has changed since you opened this page"):
            b.instrument_question_delete(instrument=instrument, code="Q7", based_on=seen)
        assert "Q7" in _codes(definition_from_version(_current(instrument)))

    def test_configuration_errors_name_their_field_and_save_nothing(self, instrument):
        before = _current(instrument).definition_sha256
        question = QuestionDef(
            "Practice",
            "Q9",
            "text",
            "Any example?",
            factors=(FactorRef("SF9"),),
            show_if="Q99 = yes",
        )
        with pytest.raises(b.DefinitionErrors) as caught:
            b.instrument_question_save(instrument=instrument, question=question)
        fields = {b.error_field(e, question_code="Q9") for e in caught.value.errors}
        assert fields == {"factors", "show_if"}
        assert _current(instrument).definition_sha256 == before

    def test_a_question_can_bring_its_own_list(self, instrument):
        result = b.instrument_question_save(
            instrument=instrument,
            question=QuestionDef("Practice", "Q8", "single", "Confident?", "confidence"),
            option_list=("confidence", b.parse_option_lines("hi | High | 2\nlo | Low | 0")),
        )
        definition = definition_from_version(result.version)
        assert [o.value for o in definition.option_lists["confidence"]] == ["hi", "lo"]

    def test_an_option_too_long_for_its_column_is_refused_and_nothing_saved(self, instrument):
        before = _current(instrument).definition_sha256
        most_value = Option._meta.get_field("value").max_length
        most_label = Option._meta.get_field("label").max_length
        long_value, long_label = "v" * (most_value + 40), "L" * (most_label + 100)
        with pytest.raises(b.DefinitionErrors) as caught:
            b.instrument_question_save(
                instrument=instrument,
                question=QuestionDef("Practice", "Q8", "single", "Confident?", "confidence"),
                option_list=(
                    "confidence",
                    b.parse_option_lines(f"{long_value} | High | 2\nlo | {long_label} | 0"),
                ),
            )
        assert [str(e) for e in caught.value.errors] == [
            f"Option list confidence: option '{'v' * 30}…': the value is {most_value + 40} "
            f"characters long; at most {most_value} fit",
            f"Option list confidence: option 'lo': the label is {most_label + 100} characters "
            f"long; at most {most_label} fit",
        ]
        fields = {b.error_field(e, list_name="confidence") for e in caught.value.errors}
        assert fields == {"option_lines"}
        assert _current(instrument).definition_sha256 == before
        assert not Option.objects.filter(value=long_value).exists()
        assert not Option.objects.filter(label=long_label).exists()

    def test_options_as_long_as_their_columns_hold_are_saved(self, instrument):
        most_value = Option._meta.get_field("value").max_length
        most_label = Option._meta.get_field("label").max_length
        b.instrument_option_list_save(
            instrument=instrument,
            name="confidence",
            options=(OptionDef("v" * most_value, "L" * most_label, 2), OptionDef("lo", "Low", 0)),
        )
        assert Option.objects.filter(value="v" * most_value, label="L" * most_label).exists()

    def test_kind_cannot_change_under_responses(self, instrument):
        _respond(instrument)
        with pytest.raises(ApplicationError, match="its kind cannot become"):
            b.instrument_settings_save(instrument=instrument, title="x", kind="practitioner_survey")

    def test_create_with_a_first_question(self, scrutiny):
        result = b.instrument_create(
            scrutiny=scrutiny,
            code="SURVEY",
            title="Practitioner survey",
            kind="practitioner_survey",
            question=QuestionDef("You", "R1", "single", "Your role?", "roles"),
            option_list=("roles", b.parse_option_lines("sw | Social worker\nhv | Health visitor")),
        )
        assert result.outcome == "created"
        with pytest.raises(b.DefinitionErrors) as caught:
            b.instrument_create(
                scrutiny=scrutiny,
                code="SURVEY",
                title="Again",
                kind="practitioner_survey",
                question=QuestionDef("You", "R1", "text", "Role?"),
            )
        assert b.error_field(caught.value.errors[0]) == "code"
