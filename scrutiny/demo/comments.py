"""What the demo's auditors, practitioners, board members and families wrote.

Every word is invented. A few comments (PLANTED) carry made-up identifiers on purpose (an email
address, phone numbers in Ofcom's 01632 960xxx drama range, a case reference, a test-range NHS
number, a school and a first name on the scrutiny's redaction list), so that redaction has
something to do in the demo.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# Case-file audits: evidence by section, for a good grade and for a poor one.

AUDIT_EVIDENCE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "NEED": (
        (
            "Referral from school on day one was triaged the same day; the threshold guidance is "
            "quoted in the decision.",
            "Health visitor recorded rising concerns over three contacts and referred promptly.",
        ),
        (
            "Three police notifications of domestic abuse in six weeks before any referral was "
            "made; each was treated on its own.",
            "Neglect concerns from nursery were logged as 'advice given' twice before a referral.",
        ),
    ),
    "VOICE": (
        (
            "Child seen alone at four of five visits; her words about bedtime and school are "
            "recorded and shaped the plan.",
            "Observations of the baby's care and routines are detailed and dated.",
        ),
        (
            "The child is described but not heard: no record of being seen alone in five months.",
            "Records speak about 'the family'; nothing says what a day is like for the child.",
        ),
    ),
    "ASSESS": (
        (
            "Assessment analyses the family history and tests mother's account against what "
            "was seen; father was assessed in person.",
            "Practitioner checked the new partner's background with police and probation.",
        ),
        (
            "History is listed but not analysed; the mother's partner is not named in the "
            "assessment although he stays most nights.",
            "Improvements reported by the parents were accepted without being checked.",
        ),
    ),
    "SHARE": (
        (
            "Strategy discussion held within a day with police, health and school.",
            "School and health shared attendance and missed appointments monthly.",
        ),
        (
            "Police were not invited to the strategy discussion; health learned of the plan "
            "three weeks later.",
            "GP was not asked for information at any point.",
        ),
    ),
    "PLAN": (
        (
            "Plan is specific with owners and dates and was reviewed on time.",
            "Contingency plan agreed with the family and written in plain words.",
        ),
        (
            "Plan actions are vague ('monitor', 'support'); two reviews were cancelled and the "
            "case drifted for ten weeks.",
            "No contingency plan; the same actions were carried over for three reviews.",
        ),
    ),
    "OVERSIGHT": (
        (
            "Manager's decisions record reasons; supervision notes reflect on disguised "
            "compliance and refer to the local review.",
            "Team manager challenged the step-down decision and it was reversed.",
        ),
        (
            "Supervision records are task lists; no reflection on the risks.",
            "Disagreement with the decision to close was raised by the school but not escalated.",
        ),
    ),
}

# The three questions that close each section: what's working well, what we are worried about,
# what needs to happen.
AUDIT_REFLECTION: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "NEED": (
        ("School spotted the change in the child quickly.", "Referral was clear and timely."),
        (
            "Repeated domestic abuse notifications were treated one at a time.",
            "Early signs of neglect were logged as advice only.",
        ),
        (
            "Look at the history as a whole before deciding the level of help.",
            "Use the neglect toolkit at the first contact.",
        ),
    ),
    "VOICE": (
        (
            "The child's own words are recorded and used in the plan.",
            "Worker knows the child well and sees her alone.",
        ),
        (
            "The child's lived experience is not clear from the records.",
            "Nobody asked the child what a school day is like.",
        ),
        ("See the child alone and record their words.", "Use the child's words in the plan."),
    ),
    "ASSESS": (
        (
            "Curious practice: the mother's account was checked with school and health.",
            "Father was seen and assessed in his own right.",
        ),
        (
            "The mother's new partner is invisible in the records.",
            "Reliance on what the parents say, with little checking.",
        ),
        (
            "Assess the mother's partner and record his role in the household.",
            "Test reported improvements against what other agencies see.",
        ),
    ),
    "SHARE": (
        ("Prompt information sharing between health and school.", "Good core group attendance."),
        (
            "Police information is not reaching the plan.",
            "The GP was not asked for information.",
        ),
        ("Invite police and the GP to every core group.", "Share minutes within five days."),
    ),
    "PLAN": (
        ("Plan is specific and reviewed on time.", "Family helped write the plan."),
        (
            "Drift between reviews; actions carried over without challenge.",
            "No contingency plan if things do not improve.",
        ),
        (
            "Agree a contingency plan with the family.",
            "Give every action an owner and a date.",
        ),
    ),
    "OVERSIGHT": (
        (
            "Manager oversight is regular and decisions give reasons.",
            "Supervision challenged the plan and changed it.",
        ),
        (
            "Supervision is a list of tasks, with no reflection on risk.",
            "A disagreement about closing the case was not escalated.",
        ),
        (
            "Supervision to use the professional curiosity prompts from the local review.",
            "Use the escalation policy when agencies disagree.",
        ),
    ),
    "LEARN": (
        (
            "Learning about fathers from the local review shows in this case.",
            "Things are better for the child and the record says how.",
        ),
        (
            "The difference the help made for the child is not recorded.",
            "Learning from the national review on disguised compliance is not visible.",
        ),
        (
            "Record what has changed for the child at each review, not only what was done.",
            "Re-audit this case in six months.",
        ),
    ),
}
AUDIT_PERIOD: tuple[str, ...] = (
    "April to September 2025",
    "June to November 2025",
    "July to December 2025",
    "September 2025 to January 2026",
)
AUDIT_RATIONALE: dict[str, tuple[str, ...]] = {
    "outstanding": ("Child-centred, curious and timely throughout; learning from reviews shows.",),
    "good": (
        "Needs recognised and met; some gaps in recording the child's voice.",
        "Sound work with good joint working; impact on the child not always recorded.",
    ),
    "requires_improvement": (
        "Help was given but drift and weak analysis left risks unexplored.",
        "Fathers not engaged and supervision did not challenge the plan.",
    ),
    "inadequate": ("Risks were missed and the child was not seen for long periods.",),
}

# ---------------------------------------------------------------------------------------------
# Practitioner survey.

SURVEY_CHANGED: tuple[str, ...] = (
    "I ask about every adult in the household, including who visits, not just who lives there.",
    "I now see children alone more often and write down their words.",
    "I check what parents tell me with other agencies before I accept it.",
    "I use the neglect toolkit at the start, not only when things are bad.",
    "I invite dads to meetings as a matter of course.",
    "I record the baby's routines and who cares for them each day.",
)
SURVEY_BARRIERS: tuple[str, ...] = (
    "Caseloads. There is no time to read briefings, let alone reflect on them.",
    "Briefings go to managers and stop there.",
    "Supervision is about tasks and deadlines, not learning.",
    "Too many briefings, all in long PDFs.",
    "Staff turnover: the people who went to the learning event have left.",
    "Our agency is rarely invited to the learning events.",
    "I do not know where to find the reviews.",
    "Nothing, the briefings are good.",
)
SURVEY_ONE_THING: tuple[str, ...] = (
    "Short video briefings we can watch in a team meeting.",
    "Tell us what changed after a review, not just what went wrong.",
    "Joint training with police and health.",
    "Put the learning into the supervision template.",
    "Come and talk to our teams rather than sending emails.",
    "Check whether actions from reviews actually made a difference.",
    "Ask practitioners what would help before writing the action plan.",
)

# ---------------------------------------------------------------------------------------------
# Board questionnaire.

BOARD_EVIDENCE_GOOD: tuple[str, ...] = (
    "Quarterly assurance report to the board (December 2025), section 3, with re-audit results.",
    "Re-audit of twenty cases in January 2026 showed fathers recorded in 17.",
    "Learning lead's report to our executive, with training reach by team.",
    "Minutes of the October board: Red actions challenged and reset with new owners.",
    "Young people's advisory group changed the priority on exploitation.",
)
BOARD_EVIDENCE_POOR: tuple[str, ...] = (
    "Briefings have been circulated; we do not know yet whether practice changed.",
    "Training attendance figures only.",
    "Action log exists but dates slip without challenge.",
    "We rely on single-agency reports; they are not brought together.",
    "No re-audit has been done yet.",
    "Family voice is collected by services but does not reach the board.",
)
BOARD_RISK: tuple[str, ...] = (
    "Capacity: learning competes with demand and loses.",
    "We count activity and call it impact.",
    "Turnover in front-line teams means learning is lost within a year.",
    "Actions close on paper before anything changes for children.",
    "Partners do not challenge each other in public.",
)

# ---------------------------------------------------------------------------------------------
# Family feedback.

FAMILY_BEST: tuple[str, ...] = (
    "She listened to me and did not judge.",
    "They helped with the housing and the school at the same time.",
    "I could text my worker and she always got back to me.",
    "My son liked the youth worker.",
    "They explained what would happen at the meeting.",
)
FAMILY_CHANGE: tuple[str, ...] = (
    "Less changing of workers. We had four.",
    "Tell me what is written about me.",
    "Talk to my dad too, not just my mum.",
    "Meetings at a time I can go after school.",
    "Stop asking me the same questions.",
)
FAMILY_ANYTHING_ELSE: tuple[str, ...] = (
    "Thank you.",
    "It was scary at first but better now.",
    "I still do not know why they came.",
)
FAMILY_HELPER_ROLE: tuple[str, ...] = (
    "Children's rights officer",
    "Independent advocate",
    "Family support worker",
)

# ---------------------------------------------------------------------------------------------
# Made-up identifiers, planted where a redaction test can find them: response ref → answers.
# 999 000 0034 is in the NHS's 999 test range and passes the modulus 11 check.

PLANTED: dict[str, dict[str, str]] = {
    "demo-ps-0012": {
        "PS_ONE_THING": "Joint training with the police. Happy to help organise it: call me on "
        "01632 960215 or email r.tennant@example.org.",
    },
    "demo-ps-0047": {
        "PS_BARRIERS": "On NB-1003 nobody told health about the strategy meeting, and I only "
        "found the briefing by chance.",
    },
    "demo-ps-0103": {
        "PS_BARRIERS": "Referrals still quote only an NHS number (one last week was "
        "999 000 0034) and the school cannot match it to a pupil.",
    },
    "demo-bq-0005": {
        "BQ_RISK": "Larkspur Primary School raised the same concern three times before anyone "
        "escalated it. Capacity is the risk.",
    },
    "demo-ff-0004": {
        "FF_ANYTHING_ELSE": "Dani at Larkspur Primary School was the only one who listened. "
        "You can ring me on 01632 960734.",
    },
}

# The agreed audit of this case raised a concern that was escalated at once.
ESCALATED_CASE = "NB-1004"
ESCALATION_DETAIL = (
    "Concern about NB-1004: the mother's partner is now living in the home and has a recent "
    "conviction for violence that no agency knew about. Escalated to the MASH duty manager on "
    "01632 960481 on the day of the audit; strategy discussion held the next day."
)
