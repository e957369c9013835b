"""The practitioner survey on learning from practice reviews.

Anonymous. The practitioner's agency, role and area are not questions: they are the response's
own details (the `agency`, `role` and `area` columns of a responses workbook, or what an
invitation already knows), so that every channel records them the same way and breakdowns use
the partnership's own lists.
"""

from __future__ import annotations

from scrutiny.instruments import FactorRef, InstrumentDefinition, OptionDef, QuestionDef
from scrutiny.library.scales import AGREE

CODE = "PS"

KNOW = "What you know about learning from reviews"
SUPERVISION = "Supervision and challenge"
PRACTICE = "Your practice"
CHANGE = "Change and what gets in the way"

WHERE_HEARD = (
    OptionDef("briefings", "Learning briefings (for example 7-minute briefings)"),
    OptionDef("training", "Training"),
    OptionDef("supervision", "Supervision"),
    OptionDef("team_meeting", "Team meetings"),
    OptionDef("website", "The partnership's website or newsletter"),
    OptionDef("learning_event", "Learning events or conferences"),
    OptionDef("not_heard", "I have not heard about learning from reviews"),
)

FREQUENCY = (
    OptionDef("every_time", "In every supervision", 4.0),
    OptionDef("most", "In most supervisions", 3.0),
    OptionDef("sometimes", "Sometimes", 2.0),
    OptionDef("rarely", "Rarely", 1.0),
    OptionDef("never", "Never", 0.0),
    OptionDef("no_supervision", "I do not have supervision", None),
)

CHANGED = (
    OptionDef("yes", "Yes", 1.0),
    OptionDef("no", "No", 0.0),
    OptionDef("not_sure", "Not sure", None),
)

NO_NAMES = "Please do not include names or anything else that could identify a child or family."


def _agree(section: str, code: str, text: str, *factors: str, help: str = "") -> QuestionDef:
    return QuestionDef(
        section=section,
        code=code,
        type="single",
        text=text,
        options="agree",
        factors=tuple(FactorRef(factor) for factor in factors),
        help=help,
    )


QUESTIONS: tuple[QuestionDef, ...] = (
    _agree(
        KNOW,
        "PS_LOCAL",
        "I can name at least one theme from a local practice review in our partnership.",
        "SF1",
    ),
    _agree(
        KNOW,
        "PS_NATIONAL",
        "I know the main learning from the national Child Safeguarding Practice Review Panel.",
        "SF1",
    ),
    QuestionDef(
        section=KNOW,
        code="PS_WHERE",
        type="multiple",
        text="Where have you heard about learning from practice reviews?",
        options="where_heard",
        help="Tick all that apply.",
    ),
    _agree(
        KNOW,
        "PS_BRIEFINGS",
        "The partnership's learning briefings are clear and relevant to my work.",
        "SF2",
    ),
    _agree(
        KNOW,
        "PS_INFO_SHARING",
        "Sharing information with other agencies works well when I need it to.",
        "SF2",
    ),
    QuestionDef(
        section=SUPERVISION,
        code="PS_SUP_FREQUENCY",
        type="single",
        text="How often is learning from practice reviews discussed in your supervision?",
        options="frequency",
        factors=(FactorRef("SF4"),),
    ),
    _agree(
        SUPERVISION,
        "PS_SUP_HELPS",
        "My supervisor helps me apply learning from reviews to the children I work with.",
        "SF4",
    ),
    _agree(
        SUPERVISION,
        "PS_CHALLENGE",
        "I feel confident to challenge other professionals, and to escalate when I am worried "
        "about a child.",
        "SF4",
    ),
    QuestionDef(
        section=PRACTICE,
        code="PS_CHANGED",
        type="single",
        text="Have you changed your practice because of learning from a practice review?",
        options="changed",
        factors=(FactorRef("SF3"),),
    ),
    QuestionDef(
        section=PRACTICE,
        code="PS_CHANGED_EXAMPLE",
        type="text",
        text="What do you do differently?",
        help=f"One example is enough. {NO_NAMES}",
        show_if="PS_CHANGED = yes",
    ),
    _agree(
        PRACTICE,
        "PS_LIVED_EXPERIENCE",
        "I am confident capturing the child's lived experience in my records.",
        "SF3",
    ),
    _agree(
        CHANGE,
        "PS_PARTNERSHIP_CHANGE",
        "I have seen the partnership change things because of what practitioners, children or "
        "families told it.",
        "SF6",
    ),
    _agree(
        CHANGE,
        "PS_IMPACT",
        "When a review leads to actions, I hear whether they made a difference for children.",
        "SF5",
    ),
    QuestionDef(
        section=CHANGE,
        code="PS_BARRIERS",
        type="text",
        text="What stops learning from reviews reaching practice?",
        help=NO_NAMES,
    ),
    QuestionDef(
        section=CHANGE,
        code="PS_ONE_THING",
        type="text",
        text="What one thing should the partnership do differently?",
        help=NO_NAMES,
    ),
)

DEFINITION = InstrumentDefinition(
    code=CODE,
    title="Practitioner survey: learning from practice reviews",
    kind="practitioner_survey",
    questions=QUESTIONS,
    option_lists={
        "agree": AGREE,
        "where_heard": WHERE_HEARD,
        "frequency": FREQUENCY,
        "changed": CHANGED,
    },
)
