"""The Early Help audit: seven areas of an early help case, each met, partially met or not met.

Used by the early help lead professional's agency (a school, a family hub, health or a voluntary
organisation) to audit its own early help work, in the same way as the case-file audit.
"""

from __future__ import annotations

from scrutiny.instruments import FactorRef, InstrumentDefinition, OptionDef, QuestionDef
from scrutiny.library.scales import MET, NO_NAMES, YES_NO, escalation, reflection

CODE = "EHA"

ABOUT = "About this early help case"
SUMMARY = "Summary and escalation"

DURATION = (
    OptionDef("under_3_months", "Less than 3 months"),
    OptionDef("3_to_6_months", "3 to 6 months"),
    OptionDef("6_to_12_months", "6 to 12 months"),
    OptionDef("over_12_months", "More than 12 months"),
)

LEAD = (
    OptionDef("school", "School or college"),
    OptionDef("family_hub", "Family hub or early help team"),
    OptionDef("health", "Health visiting or school nursing"),
    OptionDef("voluntary", "Voluntary or community organisation"),
    OptionDef("other", "Other"),
)

# (code prefix, section title, question, what "met" looks like, success factors)
AREAS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "CHILD",
        "1. Child-centred practice",
        "Is the work centred on the child, with their wishes and daily life clear?",
        "Met: the child was seen and spoken with, their words are recorded, and the help is "
        "about what life is like for them.",
        ("SF3", "SF6"),
    ),
    (
        "ASSESS",
        "2. Quality of assessment and analysis",
        "Does the assessment analyse the family's strengths and needs, including history?",
        "Met: the assessment says what it means for the child, not only what happened, and "
        "includes every parent and carer, fathers and male carers too.",
        ("SF1", "SF3"),
    ),
    (
        "PLAN",
        "3. The action plan and team around the family",
        "Is there a clear action plan, with the right agencies in the team around the family?",
        "Met: actions are specific, each has an owner and a date, and every agency that "
        "should be involved is.",
        ("SF2",),
    ),
    (
        "REVIEW",
        "4. Review meetings",
        "Are review meetings held on time, and do they check what has changed for the child?",
        "Met: reviews are no more than 12 weeks apart and record progress against the plan.",
        ("SF5",),
    ),
    (
        "OVERSIGHT",
        "5. Oversight and supervision",
        "Is there management oversight, and does supervision help the lead professional?",
        "Met: a manager's decisions and reasons are recorded; supervision reflects on the case "
        "and on when to step up to children's social care.",
        ("SF4",),
    ),
    (
        "FEEDBACK",
        "6. Child and family feedback",
        "Were the child and family asked for their views of the help, and were they used?",
        "Met: feedback is recorded and the plan or the service changed because of it.",
        ("SF6",),
    ),
    (
        "WELLBEING",
        "7. Signs of Wellbeing bottom lines",
        "Are the bottom lines clear, in words the family understands, and worked towards?",
        "Bottom lines: what must happen for the child to be well. Met: they are written with "
        "the family and progress towards them is scaled at each review.",
        ("SF3",),
    ),
)


def _area(
    prefix: str, section: str, text: str, help: str, factors: tuple[str, ...]
) -> tuple[QuestionDef, QuestionDef]:
    return (
        QuestionDef(
            section=section,
            code=f"{prefix}_GRADE",
            type="single",
            text=text,
            options="met",
            required=True,
            factors=tuple(FactorRef(code) for code in factors),
            help=help,
        ),
        QuestionDef(
            section=section,
            code=f"{prefix}_EVIDENCE",
            type="text",
            text="What in the record supports your answer?",
            required=True,
            help=NO_NAMES,
            show_if=f"{prefix}_GRADE != not_applicable",
        ),
    )


QUESTIONS: tuple[QuestionDef, ...] = (
    QuestionDef(
        section=ABOUT,
        code="CONTEXT_DURATION",
        type="single",
        text="How long has the family had early help?",
        options="duration",
        required=True,
    ),
    QuestionDef(
        section=ABOUT,
        code="CONTEXT_LEAD",
        type="single",
        text="Which service is the lead professional from?",
        options="lead",
        required=True,
    ),
    *(question for area in AREAS for question in _area(*area)),
    *reflection(SUMMARY, "SUMMARY"),
    *escalation(
        SUMMARY, help="If yes, escalate it today through your agency's safeguarding route."
    ),
)

DEFINITION = InstrumentDefinition(
    code=CODE,
    title="Early Help audit",
    kind="file_audit",
    questions=QUESTIONS,
    option_lists={"duration": DURATION, "lead": LEAD, "met": MET, "yes_no": YES_NO},
)
