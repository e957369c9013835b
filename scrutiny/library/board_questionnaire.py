"""The board member questionnaire: is there evidence that learning makes a difference?

Each statement is rated from 4 (strong evidence of impact) to 1 (little or no evidence), and a
rating needs its evidence: the board member says what it is and where it can be seen, so that the
scrutineer can test it at the scrutiny event.
"""

from __future__ import annotations

from scrutiny.instruments import FactorRef, InstrumentDefinition, QuestionDef
from scrutiny.library.scales import IMPACT, evidence

CODE = "BQ"

LEARNING = "Knowing and spreading the learning"
ACTIONS = "Tracking actions and impact"
VOICE = "Challenge and the voice of children and families"
RISK = "Risks"

EVIDENCE_HELP = (
    "What is the evidence, and where can the scrutineer see it? For example a report, an audit, "
    "minutes or data."
)

# (section, code, statement, success factors)
ITEMS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        LEARNING,
        "BQ_THEMES",
        "I can name the partnership's top learning themes from practice reviews.",
        ("SF1",),
    ),
    (
        LEARNING,
        "BQ_LEAD",
        "My agency has a named learning lead who makes sure learning reaches front-line staff.",
        ("SF2",),
    ),
    (
        LEARNING,
        "BQ_CAPACITY",
        "My agency has the capacity to embed learning: time for training, supervision and "
        "reflection.",
        ("SF3",),
    ),
    (
        ACTIONS,
        "BQ_ASSURANCE",
        "My agency's assurance shows the difference learning has made for children, not only "
        "what was done.",
        ("SF3", "SF5"),
    ),
    (
        ACTIONS,
        "BQ_ACTIONS",
        "Review actions have owners, dates and a RAG rating, and a Red rating is challenged.",
        ("SF5",),
    ),
    (
        ACTIONS,
        "BQ_BLUE",
        "An action is rated Blue (complete) only after a re-audit shows the difference it made.",
        ("SF5",),
    ),
    (
        VOICE,
        "BQ_PAPERS",
        "Board papers bring audit, survey, performance data and family voice together.",
        ("SF6",),
    ),
    (
        VOICE,
        "BQ_CHALLENGE",
        "Partners challenge each other at the board, and challenge is followed through.",
        ("SF4",),
    ),
    (
        VOICE,
        "BQ_VOICES",
        "The voices of children and families shape the partnership's priorities.",
        ("SF6",),
    ),
)


def _item(
    section: str, code: str, text: str, factors: tuple[str, ...]
) -> tuple[QuestionDef, QuestionDef]:
    return (
        QuestionDef(
            section=section,
            code=code,
            type="single",
            text=text,
            options="impact",
            required=True,
            factors=tuple(FactorRef(factor) for factor in factors),
        ),
        evidence(section, code, help=EVIDENCE_HELP),
    )


QUESTIONS: tuple[QuestionDef, ...] = (
    *(question for item in ITEMS for question in _item(*item)),
    QuestionDef(
        section=RISK,
        code="BQ_RISK",
        type="text",
        text="What is the biggest risk to learning from reviews making a difference for children?",
    ),
)

DEFINITION = InstrumentDefinition(
    code=CODE,
    title="Board member questionnaire: learning from practice",
    kind="board_questionnaire",
    questions=QUESTIONS,
    option_lists={"impact": IMPACT},
)
