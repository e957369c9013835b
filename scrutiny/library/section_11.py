"""The Section 11 agency self-assessment (Children Act 2004, section 11).

Each agency scores itself 0 to 3 against each standard and gives its evidence; the partnership
then tests the evidence and may moderate the score. Its kind is `board_questionnaire`: it is
answered by a senior leader about the agency's own arrangements, like the board questionnaire,
not about one child's records like a case-file audit (docs/templates.md says more).
"""

from __future__ import annotations

from scrutiny.instruments import FactorRef, InstrumentDefinition, QuestionDef
from scrutiny.library.scales import SECTION_11, evidence

CODE = "S11"

SIGN_OFF = "Actions and sign-off"

EVIDENCE_HELP = (
    "What shows this standard is met, and where can it be seen? For example a policy, training "
    "figures, an audit, minutes or feedback."
)

# (code, standard, what "fully met" looks like, success factors)
STANDARDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "STD1",
        "Senior leaders are committed to safeguarding children, and it shows in the agency's "
        "plans and priorities.",
        "Fully met: safeguarding is in the agency's strategy, reported to its board, and "
        "resourced.",
        (),
    ),
    (
        "STD2",
        "There is a clear line of accountability for safeguarding, with named leads.",
        "Fully met: a named senior lead and named or designated professionals, known to staff.",
        (),
    ),
    (
        "STD3",
        "Services are shaped by what children and families tell the agency.",
        "Fully met: feedback is gathered routinely and examples show services changed "
        "because of it.",
        ("SF6",),
    ),
    (
        "STD4",
        "Everyone who works with children or families has safeguarding training right for "
        "their role.",
        "Fully met: training needs are mapped by role, completion is above 90% and refreshers "
        "are on time.",
        ("SF2",),
    ),
    (
        "STD5",
        "Safer recruitment is followed, and allegations against staff are referred to the LADO.",
        "Fully met: checks are complete for every post, and referrals are made within one "
        "working day.",
        (),
    ),
    (
        "STD6",
        "Staff have regular safeguarding supervision that helps them reflect, challenge and "
        "escalate.",
        "Fully met: supervision happens at the set frequency, and audits show it makes a "
        "difference to the work.",
        ("SF4",),
    ),
    (
        "STD7",
        "Staff share information promptly and work with other agencies to keep children safe.",
        "Fully met: staff know the partnership's procedures and audits find timely sharing.",
        ("SF2",),
    ),
    (
        "STD8",
        "Learning from local and national practice reviews is shared with staff and checked "
        "in practice.",
        "Fully met: learning is briefed to every team and re-audits show it in case records.",
        ("SF1", "SF3"),
    ),
    (
        "STD9",
        "Staff know and use the partnership's escalation policy when they disagree with "
        "another agency.",
        "Fully met: escalations are recorded and their outcomes reviewed.",
        ("SF4",),
    ),
    (
        "STD10",
        "The agency audits its safeguarding practice, acts on what it finds, and checks the "
        "difference made for children.",
        "Fully met: an audit programme with actions tracked to completion and re-audit.",
        ("SF5",),
    ),
)


def _standard(
    number: int, code: str, text: str, help: str, factors: tuple[str, ...]
) -> tuple[QuestionDef, QuestionDef]:
    section = f"Standard {number}"
    return (
        QuestionDef(
            section=section,
            code=f"{code}_SCORE",
            type="single",
            text=text,
            options="section_11",
            required=True,
            factors=tuple(FactorRef(factor) for factor in factors),
            help=help,
        ),
        evidence(section, code, help=EVIDENCE_HELP),
    )


QUESTIONS: tuple[QuestionDef, ...] = (
    *(
        question
        for number, standard in enumerate(STANDARDS, start=1)
        for question in _standard(number, *standard)
    ),
    QuestionDef(
        section=SIGN_OFF,
        code="ACTIONS",
        type="text",
        text="What will your agency do to improve, and by when?",
        help="One line an action, each with a date. They can become actions in the action plan.",
    ),
    QuestionDef(
        section=SIGN_OFF,
        code="SIGNED_OFF_BY",
        type="text",
        text="Which senior leader signed off this self-assessment?",
        required=True,
        help="Their job title, for example Director of Nursing.",
    ),
)

DEFINITION = InstrumentDefinition(
    code=CODE,
    title="Section 11 agency self-assessment",
    kind="board_questionnaire",
    questions=QUESTIONS,
    option_lists={"section_11": SECTION_11},
)
