"""The demo's earlier scrutiny of the theme: "Learning from Practice 2025", a year before this
one, with its own (smaller) evidence, findings written and signed off, a quote or two tagged
and the event's date set. This year's scrutiny compares with it, factor by factor, and signing
it off publishes it to the board.

Its evidence leans otherwise than this year's (`WAVE.factor_shift`): learning reached fewer
agencies (SF2) and supervision was weaker (SF4), while review actions were tracked more closely
(SF5), so the comparison shows movement both ways. Idempotent: a 2025 scrutiny whose findings
are signed off is left as it is.
"""

from __future__ import annotations

import datetime as dt

from scrutiny.demo.evidence import Wave
from scrutiny.demo.respondents import CASES
from scrutiny.findings import finding_update, findings_ensure, findings_sign_off, quote_tag
from scrutiny.library.learning_from_practice import PRIORITY
from scrutiny.models import Answer, Finding, Scrutiny, Source, User
from scrutiny.scorecard import comment_questions
from scrutiny.scrutinies import ScrutinySettings, scrutiny_event_settings_save

SLUG = "learning-from-practice-2025"
SEED = 2025

SETTINGS = ScrutinySettings(
    slug=SLUG,
    title="Learning from Practice 2025",
    priority=PRIORITY,
    starts=dt.date(2025, 1, 13),
    ends=dt.date(2025, 4, 30),
    status=Scrutiny.Status.CLOSED,
)
EVENT_DATE = dt.date(2025, 5, 21)

WAVE = Wave(
    start=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC),
    prefix="demo2025",
    survey_share=0.6,
    # Four case files of each council.
    cases=CASES[:4] + CASES[6:10],
    factor_shift={"SF1": -0.06, "SF2": -0.14, "SF3": -0.04, "SF4": -0.12, "SF5": 0.1},
)

# Each factor's strengths and areas for improvement, one a line, each citing its evidence.
FINDINGS: dict[str, tuple[str, str]] = {
    "SF1": (
        "Most practitioners could name a recent local review and its learning (PS).",
        "Case files seldom showed the learning in use (CFA): audit again after the briefings.",
    ),
    "SF2": (
        "Team meetings and supervision are the routes practitioners use (PS PS_WHERE).",
        "Briefings did not reach schools or the voluntary sector (PS by agency).\n"
        "Agree a route into every agency, not only the councils (BQ).",
    ),
    "SF3": (
        "Strategy discussions were held on time in most case files (CFA).",
        "The child's voice was missing from about half the case files audited (CFA).",
    ),
    "SF4": (
        "Practitioners with regular supervision felt able to challenge (PS).",
        "Supervision was irregular outside children's social care (PS by agency).\n"
        "Few knew the escalation policy (PS, BQ).",
    ),
    "SF5": (
        "The review action log is kept up to date and reported to the board (BQ).",
        "Whether closed actions made a difference to children is seldom checked (BQ).",
    ),
    "SF6": (
        "Three agencies collect feedback from families (FF).",
        "Board members could not say how children's views shaped the priorities (BQ).",
    ),
}

# A comment kept as a quote for the pack: a practitioner's for SF3, a family's for SF6.
QUOTED = (("SF3", Source.PRACTITIONER_SURVEY), ("SF6", Source.FAMILY_FEEDBACK))


def signed_off(scrutiny: Scrutiny | None) -> bool:
    return (
        scrutiny is not None
        and Finding.objects.filter(scrutiny=scrutiny, signed_off_at__isnull=False).exists()
    )


def conclude(*, scrutiny: Scrutiny, scrutineer: User) -> None:
    """Write the findings, tag the quotes, set the event's date and sign the findings off."""
    for finding in findings_ensure(scrutiny=scrutiny):
        strengths, improvements = FINDINGS[finding.factor.code]
        finding_update(
            finding=finding, strengths=strengths, improvements=improvements, user=scrutineer
        )
    comments = (
        Answer.objects.counting()
        .filter(response__scrutiny=scrutiny)
        .exclude(text="")
        .order_by("pk")
    )
    for code, source in QUOTED:
        factor = scrutiny.factors.get(code=code)
        comment = comments.filter(comment_questions(factor=factor), response__source=source).first()
        if comment is not None:
            quote_tag(scrutiny=scrutiny, factor=factor, answer_id=comment.pk, user=scrutineer)
    scrutiny_event_settings_save(
        scrutiny=scrutiny, event_date=EVENT_DATE, divergence_margin=scrutiny.divergence_margin
    )
    findings_sign_off(scrutiny=scrutiny, user=scrutineer)
