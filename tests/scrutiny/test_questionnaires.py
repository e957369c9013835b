"""The one instrument engine: fields per question type, show_if on pages, values for evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict
from django.utils import translation

from scrutiny import questionnaires as q
from scrutiny.evidence import answer_values, answers_clean, response_save_draft
from scrutiny.instruments import (
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    instrument_save,
    version_compile,
)
from scrutiny.models import Response, Scrutiny, SuccessFactor

YES_NO = (OptionDef("yes", "Yes"), OptionDef("no", "No"))
GRADE = (
    OptionDef("4", "Outstanding", 4),
    OptionDef("3", "Good", 3),
    OptionDef("2", "Requires improvement", 2),
    OptionDef("1", "Inadequate", 1),
    OptionDef("na", "Not applicable"),
)
ROUTES = (
    OptionDef("briefing", "Briefings"),
    OptionDef("training", "Training"),
    OptionDef("supervision", "Supervision"),
)


def sample_definition(code: str = "AUDIT", extra_questions: int = 0) -> InstrumentDefinition:
    """Two pages: a follow-up on the same page (Q2) and one on a later page (Q6)."""
    questions = [
        QuestionDef("About the case", "Q1", "single", "Was there a plan?", "yesno", required=True),
        QuestionDef(
            "About the case",
            "Q2",
            "text",
            "What did the plan say?",
            required=True,
            show_if="Q1 = yes",
        ),
        QuestionDef("Practice", "Q3", "multiple", "Where was learning heard?", "routes"),
        QuestionDef("Practice", "Q4", "number", "How many visits?"),
        QuestionDef("Practice", "Q5", "date", "When was the last visit?"),
        QuestionDef(
            "Practice",
            "Q6",
            "single",
            "How good was the plan?",
            "grade",
            required=True,
            factors=(FactorRef("SF1", 2),),
            show_if="Q1 = yes",
        ),
        QuestionDef("Practice", "Q7", "text", "Anything else?", help="Say <what> & why."),
    ]
    questions += [
        QuestionDef(
            "Practice", f"X{i}", "single", f"Extra {i}?", "grade", factors=(FactorRef("SF2"),)
        )
        for i in range(extra_questions)
    ]
    return InstrumentDefinition(
        code=code,
        title="Case-file audit",
        kind="file_audit",
        questions=tuple(questions),
        option_lists={"yesno": YES_NO, "grade": GRADE, "routes": ROUTES},
    )


@pytest.fixture
def scrutiny(partnership) -> Scrutiny:
    scrutiny = Scrutiny.objects.create(
        partnership=partnership, slug="learning-2025", title="Learning from Practice 2025"
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Learning is known.")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF2", statement="Learning reaches all.")
    return scrutiny


@pytest.fixture
def compiled(scrutiny):
    result = instrument_save(scrutiny=scrutiny, definition=sample_definition())
    return version_compile(result.version)


@pytest.mark.django_db
class TestFields:
    def test_each_type_gets_its_field_and_widget(self, compiled):
        page2 = q.section_form_class(compiled, 1).base_fields
        page1 = q.section_form_class(compiled, 0).base_fields
        assert isinstance(page1["Q1"], forms.ChoiceField)
        assert isinstance(page1["Q1"].widget, forms.RadioSelect)
        assert page1["Q1"].choices == [("yes", "Yes"), ("no", "No")]
        assert isinstance(page1["Q2"].widget, forms.Textarea)
        assert isinstance(page2["Q3"], forms.MultipleChoiceField)
        assert isinstance(page2["Q3"].widget, forms.CheckboxSelectMultiple)
        assert isinstance(page2["Q4"], forms.DecimalField)
        assert page2["Q4"].widget.input_type == "text"
        assert page2["Q4"].widget.attrs["inputmode"] == "decimal"
        assert isinstance(page2["Q5"], forms.DateField)
        assert page2["Q5"].widget.input_type == "date"

    def test_label_is_the_question_and_required_is_honoured(self, compiled):
        fields = q.section_form_class(compiled, 0).base_fields
        assert fields["Q1"].label == "Was there a plan?"
        assert fields["Q1"].required is True
        assert q.section_form_class(compiled, 1).base_fields["Q4"].required is False

    def test_help_is_escaped_and_linked_to_the_input(self, compiled):
        form = q.section_form_class(compiled, 1)(answers={"Q1": "yes"}, prefix="1")
        # The workbook's help, escaped and in the questionnaire's language (a Welsh page may show
        # an English questionnaire), then the longest answer taken (ANSWER_TEXT_MAX_CHARS).
        assert form.fields["Q7"].help_text == (
            '<span lang="en-GB">Say &lt;what&gt; &amp; why.</span><br>Up to 10,000 characters.'
        )
        assert form.fields["Q7"].max_length == 10_000
        html = str(form["Q7"].as_field_group())
        assert 'id="id_1-Q7_helptext"' in html
        assert 'aria-describedby="id_1-Q7_helptext"' in html
        assert "<label" in html and "Anything else?" in html

    def test_a_long_answer_is_refused_with_its_length_not_cut_short(self, compiled, settings):
        """No `maxlength` for the browser to cut pasted text silently: the server says how
        long the answer is, and the hint states the limit."""
        settings.ANSWER_TEXT_MAX_CHARS = 20
        form = q.section_form_class(compiled, 1)(answers={"Q1": "yes"}, prefix="1")
        html = str(form["Q7"].as_field_group())
        assert "<textarea" in html and "maxlength" not in html
        assert "Up to 20 characters." in html
        posted = q.section_form_class(compiled, 1)(
            {"1-Q7": "x" * 25}, answers={"Q1": "yes"}, prefix="1"
        )
        assert not posted.is_valid()
        assert posted.errors["Q7"] == ["Shorten your answer to 20 characters or fewer (it has 25)."]

    def test_radio_group_is_a_fieldset_with_the_question_as_legend(self, compiled):
        form = q.section_form_class(compiled, 0)()
        html = str(form["Q1"].as_field_group())
        assert '<fieldset class="fieldset"' in html
        assert "<legend" in html and "Was there a plan?" in html
        assert "(optional)" not in html
        assert 'type="radio"' in html
        # No browser bubbles: the page validates on the server and shows an error summary.
        assert "required" not in form["Q1"].as_widget()

    def test_optional_question_says_so(self, compiled):
        form = q.section_form_class(compiled, 1)(answers={"Q1": "yes"})
        assert "(optional)" in str(form["Q4"].as_field_group())

    def test_errors_are_linked_and_summarised(self, compiled):
        form = q.section_form_class(compiled, 0)(data={})
        assert not form.is_valid()
        assert form.errors["Q1"] == ["Choose an answer."]
        html = str(form)
        assert "There is a problem" in html
        assert "Was there a plan?: Choose an answer." in html
        assert 'id="id_Q1_error"' in html


@pytest.mark.django_db
class TestValues:
    def test_cleaned_data_maps_to_values_answers_clean_accepts(self, compiled):
        page1 = q.section_form_class(compiled, 0)(data={"Q1": "yes", "Q2": "A safety plan."})
        assert page1.is_valid(), page1.errors
        page2 = q.section_form_class(compiled, 1)(
            answers=page1.answer_values(),
            data=QueryDict("Q3=briefing&Q3=training&Q4=1,250.50&Q5=27/03/2024&Q6=3&Q7=Nothing"),
        )
        assert page2.is_valid(), page2.errors
        values = q.values_from_forms([page1, page2])
        assert values == {
            "Q1": "yes",
            "Q2": "A safety plan.",
            "Q3": ["briefing", "training"],
            "Q4": "1250.5",
            "Q5": "2024-03-27",
            "Q6": "3",
            "Q7": "Nothing",
        }
        cleaned, errors = answers_clean(compiled, values, complete=True)
        assert errors == {}
        by_question = {a.question_id: a for a in cleaned}
        assert by_question[compiled.questions["Q4"].id].number == Decimal("1250.5")
        assert by_question[compiled.questions["Q5"].id].date == dt.date(2024, 3, 27)
        assert by_question[compiled.questions["Q6"].id].score == pytest.approx(2 / 3)

    def test_empty_answers_clear_what_was_there(self, compiled):
        form = q.section_form_class(compiled, 1)(answers={"Q1": "no"}, data={})
        assert form.is_valid(), form.errors
        assert form.answer_values() == {
            "Q3": [],
            "Q4": "",
            "Q5": "",
            "Q6": "",
            "Q7": "",
        }

    def test_stored_answers_fill_the_pages_again(self, compiled):
        values = {
            "Q1": "yes",
            "Q2": "Plan",
            "Q3": ["briefing", "supervision"],
            "Q4": "12",
            "Q5": "2024-01-02",
            "Q6": "4",
        }
        response = response_save_draft(compiled=compiled, values=values, channel="audit")
        assert answer_values(response=response) == values
        form = q.section_form_class(compiled, 1)(answers=values, initial=values)
        html = str(form)
        assert 'value="2024-01-02"' in html
        assert 'value="supervision" id="id_Q3_2" checked' in html

    def test_bad_input_is_refused_with_plain_words(self, compiled):
        form = q.section_form_class(compiled, 1)(
            answers={"Q1": "yes"}, data={"Q4": "lots", "Q5": "31/02/2024", "Q6": "9"}
        )
        assert not form.is_valid()
        assert form.errors["Q4"] == ["Enter a number, like 12 or 3.5."]
        assert form.errors["Q5"] == ["Enter a real date, like 27/03/2024."]
        assert form.errors["Q6"] == ["Choose one of the answers listed."]

    def test_a_draft_page_may_leave_required_questions(self, compiled):
        form = q.section_form_class(compiled, 0)(data={}, enforce_required=False)
        assert form.is_valid()
        assert form.answer_values() == {"Q1": "", "Q2": ""}


@pytest.mark.django_db
class TestShowIf:
    def test_follow_up_on_an_earlier_page_is_left_out_when_its_condition_fails(self, compiled):
        form_class = q.section_form_class(compiled, 1)
        assert "Q6" not in form_class(answers={"Q1": "no"}).fields
        assert "Q6" not in form_class(answers={}).fields
        assert "Q6" in form_class(answers={"Q1": "yes"}).fields

    def test_left_out_question_is_not_required(self, compiled):
        form = q.section_form_class(compiled, 1)(answers={"Q1": "no"}, data={"Q6": "4"})
        assert form.is_valid(), form.errors
        assert form.answer_values()["Q6"] == ""

    def test_follow_up_on_the_same_page_has_a_hint_and_waits_for_its_condition(self, compiled):
        form_class = q.section_form_class(compiled, 0)
        hint = form_class.base_fields["Q2"].help_text
        assert hint == (
            "Answer this if you chose “Yes” for “Was there a plan?”. Up to 10,000 characters."
        )
        # Shown as required (no "(optional)"), but only required when its condition holds.
        assert "(optional)" not in str(form_class()["Q2"].as_field_group())
        no = form_class(data={"Q1": "no", "Q2": "typed before changing my mind"})
        assert no.is_valid(), no.errors
        assert no.answer_values() == {"Q1": "no", "Q2": ""}
        yes = form_class(data={"Q1": "yes"})
        assert not yes.is_valid()
        assert yes.errors["Q2"] == ["Enter an answer."]

    def test_hidden_follow_ups_are_not_required_by_answers_clean(self, compiled):
        values = {"Q1": "no", "Q2": "", "Q6": ""}
        _, errors = answers_clean(compiled, values, complete=True)
        assert errors == {}

    def test_a_page_with_nothing_to_ask_is_skipped(self, scrutiny):
        definition = InstrumentDefinition(
            code="S",
            title="Survey",
            kind="practitioner_survey",
            questions=(
                QuestionDef("One", "A", "single", "Any concerns?", "yesno"),
                QuestionDef("Two", "B", "text", "Which?", show_if="A = yes"),
                QuestionDef("Two", "C", "text", "Why?", show_if="B = x"),
            ),
            option_lists={"yesno": YES_NO},
        )
        compiled = version_compile(
            instrument_save(scrutiny=scrutiny, definition=definition).version
        )
        assert q.section_shown(compiled, 1, {"A": "yes"})
        assert not q.section_shown(compiled, 1, {"A": "no"})
        # C depends on B on its own page, B on A: with A = no both are out.
        form = q.section_form_class(compiled, 1)(answers={"A": "no"})
        assert list(form.fields) == []

    def test_condition_hints_for_other_operators(self, scrutiny):
        definition = InstrumentDefinition(
            code="S",
            title="Survey",
            kind="practitioner_survey",
            questions=(
                QuestionDef("One", "A", "single", "Grade?", "grade"),
                QuestionDef("One", "B", "text", "Why not?", show_if="A != 4"),
                QuestionDef("One", "C", "text", "What helps?", show_if="A in (1, 2)"),
            ),
            option_lists={"grade": GRADE},
        )
        compiled = version_compile(
            instrument_save(scrutiny=scrutiny, definition=definition).version
        )
        fields = q.section_form_class(compiled, 0).base_fields
        assert fields["B"].help_text == (
            "Answer this if you did not choose “Outstanding” for “Grade?”. Up to 10,000 characters."
        )
        assert fields["C"].help_text == (
            "Answer this if you chose “Inadequate” or “Requires improvement” for “Grade?”. "
            "Up to 10,000 characters."
        )


@pytest.mark.django_db
def test_form_list_for_formtools(compiled):
    steps = q.form_list_for(compiled)
    assert [name for name, _ in steps] == ["0", "1"]
    assert list(steps[1][1].base_fields) == ["Q3", "Q4", "Q5", "Q6", "Q7"]


@pytest.mark.django_db
def test_form_list_for_builds_a_version_s_pages_once_a_language(compiled):
    """The page forms are built once for a compiled version and a language, and a form that
    changes its own fields (a draft's pages) leaves the shared class as it was."""
    first = q.form_list_for(compiled)
    again = q.form_list_for(compiled)
    assert [form_class for _, form_class in again] == [form_class for _, form_class in first]
    again.pop()  # the caller's list is its own
    assert len(q.form_list_for(compiled)) == 2

    draft = first[0][1](data={}, enforce_required=False)
    assert draft.fields["Q1"].required is False
    assert first[0][1].base_fields["Q1"].required is True
    assert first[0][1](data={}).fields["Q1"].required is True

    with translation.override("cy"):
        welsh = q.form_list_for(compiled)
        form = welsh[0][1](data={})
        assert not form.is_valid()
    assert welsh[0][1] is not first[0][1]
    assert form.errors["Q1"] == ["Dewiswch ateb."]
    english = first[0][1](data={})
    assert not english.is_valid()
    assert english.errors["Q1"] == ["Choose an answer."]


@pytest.mark.django_db
def test_values_from_posted_data_read_without_validating(compiled):
    form_class = q.section_form_class(compiled, 1)
    data = QueryDict("1-Q3=briefing&1-Q3=zzz&1-Q4=abc")
    values = q.values_from_data(form_class, data, prefix="1")
    assert values["Q3"] == ["briefing", "zzz"]
    assert values["Q4"] == "abc"
    assert Response.objects.count() == 0
