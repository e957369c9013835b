"""The multi-agency case-file audit tool.

Each agency audits its own records of a sampled case with this tool; a moderation meeting then
agrees one response for the case. Seven sections, each graded Outstanding 4 to Inadequate 1 (or
Not applicable), each with an evidence box and the three closing questions. A concern about a
child found during the audit is escalated at once, not at the moderation meeting.
"""

from __future__ import annotations

from scrutiny.instruments import FactorRef, InstrumentDefinition, OptionDef, QuestionDef
from scrutiny.library.scales import GRADE, GRADE_OVERALL, NO_NAMES, YES_NO, escalation, reflection

CODE = "CFA"

ABOUT = "About this audit"
NEED = "1. Recognition of need"
VOICE = "2. Voice and lived experience of the child"
ASSESS = "3. Assessment and professional curiosity"
SHARE = "4. Information sharing and joint working"
PLAN = "5. Planning and timeliness"
OVERSIGHT = "6. Management oversight and supervision"
LEARN = "7. Learning and outcomes"
ESCALATION = "Before you finish: escalation"

SUPPORT = (
    OptionDef("universal", "Universal services only"),
    OptionDef("early_help", "Early help"),
    OptionDef("child_in_need", "Child in need plan"),
    OptionDef("child_protection", "Child protection plan"),
    OptionDef("looked_after", "Looked after by the local authority"),
    OptionDef("other", "Other"),
)

AGE_BAND = (
    OptionDef("under_1", "Under 1"),
    OptionDef("1_to_4", "1 to 4"),
    OptionDef("5_to_10", "5 to 10"),
    OptionDef("11_to_15", "11 to 15"),
    OptionDef("16_to_17", "16 or 17"),
)

CONTINGENCY = (
    OptionDef("yes", "Yes"),
    OptionDef("no", "No"),
    OptionDef("not_needed", "Not needed for this plan"),
)


def _f(*codes: str) -> tuple[FactorRef, ...]:
    return tuple(FactorRef(code) for code in codes)


def _grade(section: str, code: str, text: str, help: str, *factors: str) -> QuestionDef:
    return QuestionDef(
        section=section,
        code=code,
        type="single",
        text=text,
        options="grade",
        required=True,
        factors=_f(*factors),
        help=help,
    )


def _evidence(section: str, prefix: str) -> QuestionDef:
    return QuestionDef(
        section=section,
        code=f"{prefix}_EVIDENCE",
        type="text",
        text="What in the record supports your grade?",
        required=True,
        help=f"Summarise or quote the entries, with their dates. {NO_NAMES}",
        show_if=f"{prefix}_GRADE != not_applicable",
    )


QUESTIONS: tuple[QuestionDef, ...] = (
    QuestionDef(
        section=ABOUT,
        code="CONTEXT_SUPPORT",
        type="single",
        text="What help was the child receiving during the period you audited?",
        options="support",
        required=True,
        help="Choose the highest level of help during the period.",
    ),
    QuestionDef(
        section=ABOUT,
        code="CONTEXT_AGE",
        type="single",
        text="How old was the child at the start of the period?",
        options="age_band",
        required=True,
        help="An age band is enough: do not record a date of birth.",
    ),
    QuestionDef(
        section=ABOUT,
        code="CONTEXT_PERIOD",
        type="text",
        text="Which period of the child's records did you audit?",
        help="For example: April to September 2025.",
    ),
    _grade(
        NEED,
        "NEED_GRADE",
        "How well were the child's needs recognised and responded to at the right level?",
        "Good: needs and risks were recognised early, the threshold guidance was applied and "
        "the response was proportionate. Inadequate: needs or risks were missed or minimised.",
        "SF3",
    ),
    _evidence(NEED, "NEED"),
    *reflection(NEED, "NEED"),
    _grade(
        VOICE,
        "VOICE_GRADE",
        "How well does the record show the child's voice and what daily life is like for them?",
        "Good: the child was seen, and seen alone where appropriate; their words, wishes and "
        "behaviour are recorded and understood. For a baby or a child who does not speak, "
        "look for observation of their care and routines.",
        "SF3",
        "SF6",
    ),
    _grade(
        VOICE,
        "VOICE_SHAPED",
        "How well did the views of the child and family shape the plan?",
        "Good: the plan says what the child and family said and what changed because of it.",
        "SF6",
    ),
    _evidence(VOICE, "VOICE"),
    *reflection(VOICE, "VOICE"),
    _grade(
        ASSESS,
        "ASSESS_GRADE",
        "How good is the assessment, and how well did practitioners show professional curiosity?",
        "Good: history is analysed, not only listed; what parents say is tested against what is "
        "seen; other explanations are considered.",
        "SF1",
        "SF3",
    ),
    _grade(
        ASSESS,
        "ASSESS_FATHERS",
        "How well were fathers and male carers seen, assessed and involved?",
        "Include any man living in or visiting the household. Choose Not applicable only when "
        "there is no father or male carer in the child's life.",
        "SF1",
    ),
    _grade(
        ASSESS,
        "ASSESS_DISGUISED",
        "How well was disguised compliance recognised and challenged?",
        "Disguised compliance: a parent appears to co-operate so that professionals look away. "
        "Choose Not applicable when there was no sign of it.",
        "SF1",
        "SF4",
    ),
    _evidence(ASSESS, "ASSESS"),
    *reflection(ASSESS, "ASSESS"),
    _grade(
        SHARE,
        "SHARE_GRADE",
        "How well did agencies share information and work together for this child?",
        "Good: information was shared promptly with the right people, every relevant agency was "
        "invited to meetings, and disagreements were resolved.",
        "SF2",
    ),
    _evidence(SHARE, "SHARE"),
    *reflection(SHARE, "SHARE"),
    _grade(
        PLAN,
        "PLAN_GRADE",
        "How well was the work planned, and was it timely?",
        "Good: the plan is specific, has owners and dates, and is reviewed; there is no drift "
        "or delay that left the child waiting.",
        "SF3",
    ),
    QuestionDef(
        section=PLAN,
        code="PLAN_CONTINGENCY",
        type="single",
        text="Is there a contingency plan: what will happen if things do not improve?",
        options="contingency",
    ),
    _evidence(PLAN, "PLAN"),
    *reflection(PLAN, "PLAN"),
    _grade(
        OVERSIGHT,
        "OVERSIGHT_GRADE",
        "How well did managers oversee the work, and did supervision help the practitioner "
        "reflect?",
        "Good: recorded management decisions give reasons; supervision challenges the plan and "
        "uses learning from reviews, not only checks tasks.",
        "SF4",
    ),
    _grade(
        OVERSIGHT,
        "OVERSIGHT_CHALLENGE",
        "Where practitioners disagreed with a decision, did they challenge it and escalate?",
        "Choose Not applicable when there was no disagreement to challenge.",
        "SF4",
    ),
    _evidence(OVERSIGHT, "OVERSIGHT"),
    *reflection(OVERSIGHT, "OVERSIGHT"),
    _grade(
        LEARN,
        "LEARN_REVIEWS",
        "How well does the work show learning from local and national practice reviews being "
        "applied?",
        "For example: professional curiosity, seeing the child's lived experience, involving "
        "fathers, not relying on what parents say.",
        "SF1",
        "SF3",
    ),
    _grade(
        LEARN,
        "LEARN_TOOLS",
        "How well were the partnership's procedures and tools used?",
        "For example the threshold guidance, the escalation policy, the neglect toolkit.",
        "SF2",
    ),
    _grade(
        LEARN,
        "LEARN_IMPACT",
        "How well has anyone checked the difference the help made for the child?",
        "Good: the record says what is better (or not) for the child, not only what was done.",
        "SF5",
    ),
    QuestionDef(
        section=LEARN,
        code="LEARN_GRADE",
        type="single",
        text="Overall, how good was this agency's work for this child?",
        options="grade_overall",
        required=True,
        help="The overall agency grade. It is kept beside the section grades, not added to them.",
    ),
    QuestionDef(
        section=LEARN,
        code="LEARN_RATIONALE",
        type="text",
        text="Why did you give this overall grade?",
        required=True,
        help=f"The two or three things that decided it. {NO_NAMES}",
    ),
    *reflection(LEARN, "LEARN"),
    *escalation(
        ESCALATION,
        help="If yes, escalate it today through your agency's safeguarding route: do not wait "
        "for the moderation meeting.",
    ),
)

DEFINITION = InstrumentDefinition(
    code=CODE,
    title="Multi-agency case-file audit",
    kind="file_audit",
    questions=QUESTIONS,
    option_lists={
        "support": SUPPORT,
        "age_band": AGE_BAND,
        "grade": GRADE,
        "grade_overall": GRADE_OVERALL,
        "contingency": CONTINGENCY,
        "yes_no": YES_NO,
    },
)
