"""Writes to the partnership and to jobs. Keyword-only, typed, atomic."""

from __future__ import annotations

from django.db import transaction

from scrutiny.disclosure import disclosures_recheck, phrases_clean
from scrutiny.errors import ApplicationError

# The job services live in scrutiny.jobs; they are re-exported here, where callers found them.
from scrutiny.jobs import job_create, job_enqueue, job_fail, job_finish, job_progress
from scrutiny.models import Job, Partnership, User

__all__ = [
    "RETENTION_LIMITS",
    "job_create",
    "job_enqueue",
    "job_fail",
    "job_finish",
    "job_progress",
    "job_start_selfcheck",
    "partnership_update",
]


# How long the business unit may set each kind of personal data to be kept: (least, most,
# unit). The least keeps what a scrutiny needs until its event and plan are done; the most
# stops "forever" being typed by accident (the trail's least is the security lead's year).
RETENTION_LIMITS: dict[str, tuple[int, int, str]] = {
    "retain_answers_months": (6, 120, "months"),
    "retain_drafts_days": (7, 730, "days"),
    "retain_invitations_months": (1, 60, "months"),
    "retain_contributions_months": (6, 120, "months"),
    "retain_case_lists_months": (1, 120, "months"),
    "retain_uploads_months": (6, 120, "months"),
    "retain_trail_months": (12, 240, "months"),
}


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    name: str,
    contact_email: str,
    accessibility_statement: str,
    privacy_notice: str,
    accessibility_statement_cy: str | None = None,
    privacy_notice_cy: str | None = None,
    safeguarding_lead_name: str = "",
    safeguarding_lead_email: str = "",
    brag_blue: str = "",
    brag_green: str = "",
    brag_amber: str = "",
    brag_red: str = "",
    redaction_terms: str | None = None,
    front_door_phone: str | None = None,
    disclosure_phrases: str | None = None,
    languages: str | None = None,
    default_language: str | None = None,
    **retention: int | None,
) -> Partnership:
    """The partnership's details; a BRAG word left out keeps the one it has, and so do the
    redaction terms (one a line, kept without blank lines or surrounding spaces), the Welsh
    statements, the front door number, the disclosure phrases, the languages and each
    retention period (`retain_*`, see RETENTION_LIMITS) not given. Changed disclosure phrases
    flag the stored answers they now find (`scrutiny.disclosure.disclosures_recheck`)."""
    partnership.name = name.strip()
    for field, value in retention.items():
        if field not in RETENTION_LIMITS:
            raise TypeError(f"partnership_update() got an unexpected keyword argument {field!r}")
        low, high, unit = RETENTION_LIMITS[field]
        if value is None:
            continue
        if not low <= value <= high:
            raise ApplicationError(f"Keep it for {low} to {high} {unit}.")
        setattr(partnership, field, value)
    if redaction_terms is not None:
        partnership.redaction_terms = "\n".join(
            line.strip() for line in redaction_terms.splitlines() if line.strip()
        )
    for field, words in (
        ("brag_blue", brag_blue),
        ("brag_green", brag_green),
        ("brag_amber", brag_amber),
        ("brag_red", brag_red),
    ):
        if words.strip():
            setattr(partnership, field, words.strip())
    partnership.contact_email = contact_email.strip()
    partnership.safeguarding_lead_name = safeguarding_lead_name.strip()
    partnership.safeguarding_lead_email = safeguarding_lead_email.strip()
    partnership.accessibility_statement = accessibility_statement.strip()
    partnership.privacy_notice = privacy_notice.strip()
    if accessibility_statement_cy is not None:
        partnership.accessibility_statement_cy = accessibility_statement_cy.strip()
    if privacy_notice_cy is not None:
        partnership.privacy_notice_cy = privacy_notice_cy.strip()
    if front_door_phone is not None:
        partnership.front_door_phone = " ".join(front_door_phone.split())
    partnership.languages = languages or partnership.languages
    partnership.default_language = default_language or partnership.default_language
    if partnership.default_language not in partnership.languages.split(","):
        raise ApplicationError("Choose a default language that the partnership offers.")
    rechecked = False
    if disclosure_phrases is not None:
        # Compared with the stored list: a form may have changed the instance already.
        stored = Partnership.objects.filter(pk=partnership.pk).values_list(
            "disclosure_phrases", flat=True
        )
        partnership.disclosure_phrases = phrases_clean(disclosure_phrases)
        rechecked = partnership.disclosure_phrases != (stored.first() or "")
    partnership.full_clean()
    partnership.save()
    if rechecked:
        disclosures_recheck(partnership=partnership)
    return partnership


def job_start_selfcheck(*, user: User) -> Job:
    """Start a task that only proves the background workers run, and where.

    The business unit uses it after a deployment; CI uses it to prove tasks reach a real worker.
    """
    return job_enqueue(kind="selfcheck", user=user, task="scrutiny.tasks.selfcheck")
