"""The grading scales the shipped templates share, as option lists.

Points are floats (4.0, not 4) because that is how a workbook reads them back: a definition and
the workbook written from it then have the same fingerprint, so importing one after the other
changes nothing. Options without points ("Not applicable", "Don't know") are answers that are
counted but not scored (SCORING.md §1).
"""

from __future__ import annotations

from scrutiny.instruments import OptionDef, QuestionDef

# Ofsted's four-point grade, used for case-file audits.
GRADE: tuple[OptionDef, ...] = (
    OptionDef("outstanding", "Outstanding", 4.0),
    OptionDef("good", "Good", 3.0),
    OptionDef("requires_improvement", "Requires improvement", 2.0),
    OptionDef("inadequate", "Inadequate", 1.0),
    OptionDef("not_applicable", "Not applicable", None),
)

# The same grade where "Not applicable" makes no sense (an overall grade).
GRADE_OVERALL: tuple[OptionDef, ...] = GRADE[:4]

# Early Help audits.
MET: tuple[OptionDef, ...] = (
    OptionDef("met", "Met", 2.0),
    OptionDef("partially_met", "Partially met", 1.0),
    OptionDef("not_met", "Not met", 0.0),
    OptionDef("not_applicable", "Not applicable", None),
)

# Five-point agreement for practitioner surveys.
AGREE: tuple[OptionDef, ...] = (
    OptionDef("strongly_agree", "Strongly agree", 5.0),
    OptionDef("agree", "Agree", 4.0),
    OptionDef("neither", "Neither agree nor disagree", 3.0),
    OptionDef("disagree", "Disagree", 2.0),
    OptionDef("strongly_disagree", "Strongly disagree", 1.0),
    OptionDef("dont_know", "Don't know", None),
)

# Board questionnaires: evidence of impact, not of activity.
IMPACT: tuple[OptionDef, ...] = (
    OptionDef("strong", "4 Strong evidence of impact", 4.0),
    OptionDef("some", "3 Some evidence of impact", 3.0),
    OptionDef("activity", "2 Evidence of activity, not yet of impact", 2.0),
    OptionDef("little", "1 Little or no evidence", 1.0),
)

# Section 11 self-assessment, 0 to 3.
SECTION_11: tuple[OptionDef, ...] = (
    OptionDef("fully_met", "3 Fully met", 3.0),
    OptionDef("mostly_met", "2 Mostly met", 2.0),
    OptionDef("partly_met", "1 Partly met", 1.0),
    OptionDef("not_met", "0 Not met", 0.0),
)

# Unscored yes or no: a question that decides what is asked next, not a score.
YES_NO: tuple[OptionDef, ...] = (
    OptionDef("yes", "Yes"),
    OptionDef("no", "No"),
)


def reflection(section: str, prefix: str) -> tuple[QuestionDef, ...]:
    """The three questions that close a section of an audit (the Signs of Safety questions)."""
    return (
        QuestionDef(
            section=section,
            code=f"{prefix}_WELL",
            type="text",
            text="What's working well?",
            help="Strengths in the work with this child, with examples from the record.",
        ),
        QuestionDef(
            section=section,
            code=f"{prefix}_WORRY",
            type="text",
            text="What are we worried about?",
            help="Gaps, risks or drift you found, and what they mean for the child.",
        ),
        QuestionDef(
            section=section,
            code=f"{prefix}_NEXT",
            type="text",
            text="What needs to happen?",
            help="What should change, for this child and for practice generally.",
        ),
    )


NO_NAMES = "Use the case reference only: never a name, a date of birth or an address."


def escalation(section: str, *, help: str) -> tuple[QuestionDef, QuestionDef]:
    """The two questions that end an audit: whether it raised a concern about a child to
    escalate now (`help` says how), and what the concern was, to whom and when."""
    return (
        QuestionDef(
            section=section,
            code="ESCALATE",
            type="single",
            text="Did this audit raise a concern about a child that needs escalating now?",
            options="yes_no",
            required=True,
            help=help,
        ),
        QuestionDef(
            section=section,
            code="ESCALATE_DETAIL",
            type="text",
            text="What is the concern, and to whom and when did you escalate it?",
            required=True,
            help=NO_NAMES,
            show_if="ESCALATE = yes",
        ),
    )


def evidence(section: str, code: str, *, help: str) -> QuestionDef:
    """The written evidence behind a rating (`code`_EVIDENCE), as the Section 11 audit and the
    board questionnaire ask for it."""
    return QuestionDef(
        section=section,
        code=f"{code}_EVIDENCE",
        type="text",
        text="Your evidence",
        required=True,
        help=help,
    )
