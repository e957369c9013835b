"""The demo's business plan: the partnership's priorities and outcomes, with actions of other
work at every BRAG status (one overdue, so that the daily check has something to flag). The
scrutiny's own actions come later, drafted from its signed-off findings under its priority.

Made up, like the rest of the demo. Idempotent: a priority, outcome or action already there is
left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scrutiny.library.learning_from_practice import PRIORITY
from scrutiny.models import Action, Agency, Brag, Outcome, Partnership, Priority, User
from scrutiny.plan.services import ActionData, action_save
from scrutiny.plan.updates import Evidence, action_update


@dataclass(frozen=True)
class DemoAction:
    priority: str
    outcome: str
    text: str
    agency: str
    lead: tuple[str, str]
    timescale: dt.date
    measures: str
    updates: tuple[tuple[str, str, str, str], ...]  # status, note, evidence kind, evidence


# The scrutiny's priority first: its actions roll up into it once drafted.
PRIORITIES = (
    PRIORITY,
    "Neglect",
    "Child exploitation",
)

ACTIONS = (
    DemoAction(
        "Neglect",
        "Neglect is recognised and acted on early",
        "Relaunch the neglect toolkit with briefings for every agency's front line.",
        "NHB",
        ("Kit Farrant", "lead.nhb@demo.invalid"),
        dt.date(2027, 3, 31),
        "Practitioners who use the toolkit, from the next practitioner survey.",
        (("green", "Briefings booked for January; health visiting teams first.", "", ""),),
    ),
    DemoAction(
        "Neglect",
        "Neglect is recognised and acted on early",
        "Audit the use of the graded care profile in health visiting.",
        "NHB",
        ("Kit Farrant", "lead.nhb@demo.invalid"),
        dt.date(2026, 10, 31),
        "Graded care profiles completed where neglect is a concern, from the audit.",
        (
            ("green", "Audit tool agreed with the designated nurse.", "", ""),
            ("amber", "Audit delayed: two auditors on leave.", "", ""),
        ),
    ),
    DemoAction(
        "Child exploitation",
        "Children at risk of exploitation are identified and safeguarded",
        "Refresh the multi-agency exploitation screening tool and train its users.",
        "POL",
        ("Rowan Castellane", "rowan.castellane@demo.invalid"),
        dt.date(2026, 9, 30),
        "Screening tools completed before strategy meetings, from a dip-sample audit.",
        (
            ("green", "New tool live in all three police teams.", "", ""),
            (
                "blue",
                "Dip-sample audit in November: tools completed in 11 of 12 cases, up from 5.",
                "audit",
                "Exploitation screening dip-sample, November 2026, QA group minutes item 4.",
            ),
        ),
    ),
    DemoAction(
        "Child exploitation",
        "Children at risk of exploitation are identified and safeguarded",
        "Agree how schools share concerns about exploitation out of term time.",
        "EDU",
        ("Ash Morrow", "ash.morrow@demo.invalid"),
        dt.date(2027, 6, 30),
        "Referrals from schools in the summer holidays, from the front door's data.",
        (("red", "No agreement yet: the schools forum has not met.", "", ""),),
    ),
)


def plan_load(partnership: Partnership) -> None:
    business_unit = User.objects.filter(
        partnership=partnership, role=User.Role.ADMINISTRATOR
    ).first()
    priorities = {}
    for position, title in enumerate(PRIORITIES, start=1):
        priorities[title], _ = Priority.objects.get_or_create(
            partnership=partnership, title=title, defaults={"position": position}
        )
    agencies = {a.code: a for a in Agency.objects.filter(partnership=partnership)}
    for demo in ACTIONS:
        if Action.objects.filter(partnership=partnership, text=demo.text).exists():
            continue
        outcome, _ = Outcome.objects.get_or_create(
            priority=priorities[demo.priority], text=demo.outcome
        )
        action = action_save(
            partnership=partnership,
            data=ActionData(
                text=demo.text,
                outcome=outcome,
                responsible=agencies[demo.agency],
                lead_name=demo.lead[0],
                lead_email=demo.lead[1],
                timescale=demo.timescale,
                measures=demo.measures,
            ),
        )
        for status, note, kind, evidence in demo.updates:
            action_update(
                action=action,
                status=Brag(status),
                note=note,
                user=business_unit,
                attached=Evidence(kind=kind, text=evidence),
            )
