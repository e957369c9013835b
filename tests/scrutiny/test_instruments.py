"""Configuration errors of show_if (scrutiny.instruments.definition_errors), each with where it
is, and the shipped Early Help audit's seven areas."""

from __future__ import annotations

from scrutiny.instruments import InstrumentDefinition, OptionDef, QuestionDef, definition_errors
from scrutiny.library import early_help_audit

YES_NO = (OptionDef("yes", "Yes"), OptionDef("no", "No"))


def _definition(*questions: QuestionDef) -> InstrumentDefinition:
    return InstrumentDefinition(
        code="T",
        title="Test",
        kind="practitioner_survey",
        questions=questions,
        option_lists={"yesno": YES_NO},
    )


def _q(code: str, show_if: str = "", row: int = 0) -> QuestionDef:
    return QuestionDef(
        "Page", code, "single", f"{code}?", "yesno", show_if=show_if, where=f"row {row}"
    )


def test_a_show_if_value_that_is_not_an_option_is_reported_where_it_is():
    errors = definition_errors(
        _definition(_q("Q1", row=2), _q("Q2", "Q1 = maybe", row=3)), factor_codes=set()
    )
    assert [str(e) for e in errors] == ["row 3: show_if value 'maybe' is not an option of Q1"]


def test_show_if_conditions_in_a_cycle_are_reported():
    errors = definition_errors(
        _definition(_q("Q1", "Q3 = yes", 2), _q("Q2", "Q1 = yes", 3), _q("Q3", "Q2 = no", 4)),
        factor_codes=set(),
    )
    cycles = [str(e) for e in errors if "cycle" in e.message]
    assert "row 2: show_if conditions form a cycle: Q1 → Q3 → Q2 → Q1" in cycles
    assert len(cycles) == 3  # once from each question in it


def test_a_chain_without_a_cycle_is_fine():
    errors = definition_errors(
        _definition(_q("Q1"), _q("Q2", "Q1 = yes"), _q("Q3", "Q2 in (yes, no)")),
        factor_codes=set(),
    )
    assert errors == []


def test_the_early_help_audit_has_its_seven_areas_in_order():
    sections = []
    for question in early_help_audit.DEFINITION.questions:
        if question.code.endswith("_GRADE") and question.section not in sections:
            sections.append(question.section)
    assert sections == [
        "1. Child-centred practice",
        "2. Quality of assessment and analysis",
        "3. The action plan and team around the family",
        "4. Review meetings",
        "5. Oversight and supervision",
        "6. Child and family feedback",
        "7. Signs of Wellbeing bottom lines",
    ]
