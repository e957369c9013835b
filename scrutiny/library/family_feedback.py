"""The family feedback form, in plain words (a reading age of about nine).

Short questions with three answers and "I don't know". A child or parent may fill it in, or a
children's rights officer or advocate may write down what the family says: the first question
asks who is answering. Which service worked with the family and where they live are the
response's own details (agency and area), optional.
"""

from __future__ import annotations

from scrutiny.instruments import FactorRef, InstrumentDefinition, OptionDef, QuestionDef

CODE = "FF"

YOU = "About you"
HELP = "The help you got"
BETTER = "Making things better"

WHO = (
    OptionDef("child", "I am the child or young person"),
    OptionDef("parent", "I am a parent or carer"),
    OptionDef("helper", "I am helping a child or family to fill this in"),
)

YES_SOMETIMES_NO = (
    OptionDef("yes", "Yes, always", 2.0),
    OptionDef("sometimes", "Sometimes", 1.0),
    OptionDef("no", "No", 0.0),
    OptionDef("dont_know", "I don't know", None),
)

# "Did you have to say it again and again?": here No is the good answer.
REPEAT = (
    OptionDef("no", "No", 2.0),
    OptionDef("sometimes", "Sometimes", 1.0),
    OptionDef("yes", "Yes, lots of times", 0.0),
    OptionDef("dont_know", "I don't know", None),
)

BETTER_NOW = (
    OptionDef("lot", "Yes, a lot better", 2.0),
    OptionDef("bit", "A bit better", 1.0),
    OptionDef("no", "No, not better", 0.0),
    OptionDef("dont_know", "I don't know", None),
)

ANSWER_HELP = "There are no right or wrong answers."


def _ask(
    section: str, code: str, text: str, *factors: str, options: str = "yes_sometimes_no"
) -> QuestionDef:
    return QuestionDef(
        section=section,
        code=code,
        type="single",
        text=text,
        options=options,
        factors=tuple(FactorRef(factor) for factor in factors),
        help=ANSWER_HELP,
    )


QUESTIONS: tuple[QuestionDef, ...] = (
    QuestionDef(
        section=YOU,
        code="FF_WHO",
        type="single",
        text="Who is filling in this form?",
        options="who",
        required=True,
    ),
    QuestionDef(
        section=YOU,
        code="FF_HELPER_ROLE",
        type="text",
        text="What is your job?",
        help="For example: children's rights officer, advocate, family support worker.",
        show_if="FF_WHO = helper",
    ),
    _ask(HELP, "FF_LISTEN", "Did the people working with you listen to you?", "SF3", "SF6"),
    _ask(HELP, "FF_EXPLAIN", "Did they explain things in a way you understood?", "SF3"),
    _ask(
        HELP,
        "FF_FAMILY",
        "Did they talk to everyone who matters in your family, like mums, dads and carers?",
        "SF1",
    ),
    _ask(
        HELP,
        "FF_REPEAT",
        "Did you have to tell your story again and again to different people?",
        "SF2",
        options="repeat",
    ),
    _ask(HELP, "FF_PROMISE", "Did they do what they said they would do?", "SF5"),
    _ask(
        HELP,
        "FF_WORRIED",
        "If you were worried or unhappy, did someone help you sort it out?",
        "SF4",
    ),
    _ask(BETTER, "FF_BETTER", "Are things better for you now?", "SF5", options="better_now"),
    _ask(BETTER, "FF_ASKED", "Did anyone ask you how the help could be better?", "SF6"),
    QuestionDef(
        section=BETTER,
        code="FF_BEST",
        type="text",
        text="What was the best thing about the help?",
    ),
    QuestionDef(
        section=BETTER,
        code="FF_CHANGE",
        type="text",
        text="What one thing would have made the help better?",
    ),
    QuestionDef(
        section=BETTER,
        code="FF_ANYTHING_ELSE",
        type="text",
        text="Is there anything else you want to tell us?",
        help="If you are worried about your safety right now, call 999.",
    ),
)

DEFINITION = InstrumentDefinition(
    code=CODE,
    title="Family feedback: tell us about the help you got",
    kind="family_feedback",
    questions=QUESTIONS,
    option_lists={
        "who": WHO,
        "yes_sometimes_no": YES_SOMETIMES_NO,
        "repeat": REPEAT,
        "better_now": BETTER_NOW,
    },
)
