"""Children and young people's surveys on learning from practice: their own answers (kind
`young_people`), not a worker's record of them (that is family feedback).

Two versions: one for ages 11 to 17 (`YP`) and a simpler one for ages 8 to 11 (`YC`), with
shorter questions and fewer of them. Both ask the same way: a scale of five faces, each of which
always carries its word too ("Really bad" to "Really good", 1 to 5 points), and "I don't know",
which is counted but not scored. Nobody is asked their name or their age: the first question asks
for an age band, and may be skipped. The last asks "Is there anything else you want to tell us?"
and says, without promising what the survey cannot do, that nobody can reply and where to get
help now.

The scored questions link to the Learning from Practice success factors as the other templates
do: what children see of the learning (being seen on their own, not repeating their story, being
told what is happening, being helped when worried, promises kept, being asked their ideas).
"""

from __future__ import annotations

from scrutiny.instruments import FactorRef, InstrumentDefinition, OptionDef, QuestionDef

CODE_11_17 = "YP"
CODE_8_11 = "YC"

# Five faces, each with its word; the points make the scale run from 0 to 1 in steps of 1/4.
FACES: tuple[OptionDef, ...] = (
    OptionDef("really_good", "Really good", 5.0),
    OptionDef("good", "Good", 4.0),
    OptionDef("ok", "OK", 3.0),
    OptionDef("bad", "Bad", 2.0),
    OptionDef("really_bad", "Really bad", 1.0),
    OptionDef("dont_know", "I don't know", None),
)

BANDS_11_17: tuple[OptionDef, ...] = (
    OptionDef("11_13", "11 to 13"),
    OptionDef("14_15", "14 or 15"),
    OptionDef("16_17", "16 or 17"),
    OptionDef("not_say", "I don't want to say"),
)

BANDS_8_11: tuple[OptionDef, ...] = (
    OptionDef("8_10", "8 to 10"),
    OptionDef("11_plus", "11 or older"),
    OptionDef("not_say", "I don't want to say"),
)

PICK_A_FACE = "Pick the face that fits best. There are no right or wrong answers."
ANYTHING_ELSE = "Is there anything else you want to tell us?"
NOBODY_REPLIES = (
    "Please don't write your name or anyone else's. Nobody can write back to you about what you "
    "put here. If you are worried about your safety, talk to an adult you trust, or call "
    "Childline free on 0800 1111."
)


def _faces(section: str, code: str, text: str, *factors: str) -> QuestionDef:
    return QuestionDef(
        section=section,
        code=code,
        type="single",
        text=text,
        options="faces",
        factors=tuple(FactorRef(factor) for factor in factors),
        help=PICK_A_FACE,
    )


def _text(section: str, code: str, text: str, help: str = "") -> QuestionDef:
    return QuestionDef(section=section, code=code, type="text", text=text, help=help)


YOU = "About you"
ADULTS = "The adults who help you"
BETTER = "Making things better"

QUESTIONS_11_17: tuple[QuestionDef, ...] = (
    QuestionDef(
        section=YOU,
        code="YP_AGE",
        type="single",
        text="Which age group are you in?",
        options="age_band",
        help="We only ask for a group, never your age or your name.",
    ),
    _faces(
        ADULTS,
        "YP_LISTEN",
        "How good are the adults who help you at listening to you?",
        "SF3",
        "SF6",
    ),
    _faces(
        ADULTS, "YP_ALONE", "How good are they at making time to talk with you on your own?", "SF1"
    ),
    _faces(
        ADULTS, "YP_EXPLAIN", "How good are they at explaining what is happening and why?", "SF3"
    ),
    _faces(
        ADULTS,
        "YP_REPEAT",
        "How good are the different adults at passing on what you told them, so that you don't "
        "have to keep telling your story again?",
        "SF2",
    ),
    _faces(
        ADULTS,
        "YP_WORRY",
        "When you are worried or unhappy about something, how good are the adults at helping?",
        "SF4",
    ),
    _faces(
        BETTER, "YP_PROMISE", "How good are the adults at doing what they say they will do?", "SF5"
    ),
    _faces(BETTER, "YP_NOW", "How are things for you now, since you started getting help?", "SF5"),
    _faces(
        BETTER,
        "YP_IDEAS",
        "How good are the adults at asking what you think, and using your ideas?",
        "SF6",
    ),
    _text(BETTER, "YP_BEST", "What is the best thing about the help you get?"),
    _text(BETTER, "YP_CHANGE", "What one thing would make the help better?"),
    _text(BETTER, "YP_ELSE", ANYTHING_ELSE, NOBODY_REPLIES),
)

GROWN_UPS = "The grown-ups who help you"

QUESTIONS_8_11: tuple[QuestionDef, ...] = (
    QuestionDef(
        section=YOU,
        code="YC_AGE",
        type="single",
        text="Which group are you in?",
        options="age_band",
        help="We don't ask your name or how old you are.",
    ),
    _faces(
        GROWN_UPS,
        "YC_LISTEN",
        "How good are the grown-ups who help you at listening to you?",
        "SF3",
        "SF6",
    ),
    _faces(
        GROWN_UPS, "YC_ALONE", "How good are they at talking with just you, on your own?", "SF1"
    ),
    _faces(GROWN_UPS, "YC_EXPLAIN", "How good are they at telling you what is happening?", "SF3"),
    _faces(
        GROWN_UPS,
        "YC_REPEAT",
        "How good are they at telling each other what you said, so you don't have to say it again?",
        "SF2",
    ),
    _faces(
        GROWN_UPS,
        "YC_WORRY",
        "When you are worried or sad, how good are they at helping you?",
        "SF4",
    ),
    _faces(BETTER, "YC_NOW", "How are things for you now?", "SF5"),
    _faces(BETTER, "YC_IDEAS", "How good are the grown-ups at asking for your ideas?", "SF6"),
    _text(BETTER, "YC_ELSE", ANYTHING_ELSE, NOBODY_REPLIES),
)

DEFINITION_11_17 = InstrumentDefinition(
    code=CODE_11_17,
    title="Children and young people's survey, 11 to 17: tell us about the help you get",
    kind="young_people",
    questions=QUESTIONS_11_17,
    option_lists={"age_band": BANDS_11_17, "faces": FACES},
)

DEFINITION_8_11 = InstrumentDefinition(
    code=CODE_8_11,
    title="Children's survey, 8 to 11: tell us about the help you get",
    kind="young_people",
    questions=QUESTIONS_8_11,
    option_lists={"age_band": BANDS_8_11, "faces": FACES},
)
