"""Possible disclosures as the business unit and the scrutineer read them, and the email that
tells the safeguarding lead one was made (issue 16).

- `flagged_answers`: the flagged answers a person may read (`scrutiny.permissions.
  disclosures_visible_to` gives the queryset), newest first, each with its scrutiny, survey,
  question, day and words, in one query;
- `disclosure_told`: enqueues, on commit, the email to the safeguarding lead (or the
  partnership's contact address) after a response with a flagged answer is stored, or a change
  of the phrases flags answers already given (`harm.disclosures_recheck`);
- `disclosure_notify`: the email itself. A link only: never the child's words, nor the survey's
  name, which with a day could point to a school.

Children answer anonymously, and their answers keep no link to the session they were answered
in (its setting), so a disclosure says which survey and which day, never where.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from scrutiny.errors import ApplicationError
from scrutiny.models import Answer, DisclosureReview, Partnership, Scrutiny, User
from scrutiny.notifications import email_send, site_link


@dataclass(frozen=True)
class FlaggedAnswer:
    pk: int
    scrutiny: str  # its title
    scrutiny_slug: str
    survey: str  # the instrument's title
    question: str
    day: dt.date | None
    text: str  # as the child wrote it: only ever shown on this page
    # What the business unit recorded it did (`disclosure_review`), once it has.
    review_note: str = ""
    reviewed_by: str = ""
    reviewed_on: dt.date | None = None


NOTE_MAX = 2000


def flagged_answers(answers: QuerySet[Answer], *, limit: int = 500) -> list[FlaggedAnswer]:
    """The flagged answers of `answers`, newest first, at most `limit` (one query)."""
    rows = (
        answers.filter(disclosure=True)
        .select_related(
            "response__scrutiny", "response__instrument", "question", "review__reviewed_by"
        )
        .order_by("-response__submitted_at", "-pk")[:limit]
    )
    return [
        FlaggedAnswer(
            pk=answer.pk,
            scrutiny=answer.response.scrutiny.title,
            scrutiny_slug=answer.response.scrutiny.slug,
            survey=answer.response.instrument.title,
            question=" ".join(answer.question.text.split()),
            day=(
                timezone.localdate(answer.response.submitted_at)
                if answer.response.submitted_at
                else None
            ),
            text=answer.text,
            **_review_fields(answer),
        )
        for answer in rows
    ]


def _review_fields(answer: Answer) -> dict[str, Any]:
    review = getattr(answer, "review", None)
    if review is None:
        return {}
    return {
        "review_note": review.note,
        "reviewed_by": review.reviewed_by.get_full_name() if review.reviewed_by else "",
        "reviewed_on": timezone.localdate(review.reviewed_at),
    }


@transaction.atomic
def disclosure_review(*, answer: Answer, note: str, user: User) -> DisclosureReview:
    """Record what the business unit did about a flagged answer (one it may review:
    `scrutiny.permissions_disclosures.access_disclosure_to_review`): once, with a note; the
    answer then leaves the list of those still to look at."""
    note = note.strip()
    if not note:
        raise ApplicationError(
            "Say what was done, for example “Agreed with the safeguarding lead: the school's "
            "designated lead will speak to the year group.”"
        )
    if len(note) > NOTE_MAX:
        raise ApplicationError(f"Say what was done in {NOTE_MAX} characters or fewer.")
    # One review of an answer, whoever records it first (the OneToOne decides a race).
    review, created = DisclosureReview.objects.get_or_create(
        answer=answer, defaults={"note": note, "reviewed_by": user}
    )
    if not created:
        raise ApplicationError(
            "What was done about this answer is recorded already: it is under “Looked at”."
        )
    return review


def disclosure_told(*, scrutiny_id: int) -> None:
    """Email the safeguarding lead once the transaction that stored or newly flagged a
    flagged answer commits."""
    # Imported here: the tasks module imports the services that import this one.
    from scrutiny.tasks import disclosure_email

    transaction.on_commit(lambda: disclosure_email.delay(scrutiny_id=scrutiny_id), robust=True)


def _recipient(partnership: Partnership) -> tuple[str, bool] | None:
    """The safeguarding lead's address (True), else the partnership's contact address (False)."""
    if partnership.safeguarding_lead_email:
        return partnership.safeguarding_lead_email, True
    if partnership.contact_email:
        return partnership.contact_email, False
    return None


def disclosure_notify(*, scrutiny_id: int) -> bool:
    """Tell the safeguarding lead that a child's answer may be a disclosure, with a link to
    read it on the platform. False when there is nobody to email."""
    scrutiny = Scrutiny.objects.select_related("partnership").get(pk=scrutiny_id)
    partnership = scrutiny.partnership
    recipient = _recipient(partnership)
    if recipient is None:
        return False
    email, is_lead = recipient
    greeting = (
        f"Dear {partnership.safeguarding_lead_name or 'safeguarding lead'},"
        if is_lead
        else f"To {partnership.name}:"
    )
    forward = (
        ""
        if is_lead
        else "No safeguarding lead email is set for the partnership, so this comes to its "
        "contact address: please pass it to the safeguarding lead now.\n\n"
    )
    body = (
        f"{greeting}\n\n"
        "A child's answer to a children and young people's survey has words that may mean "
        "they are being harmed. The child was shown where to get help (Childline and the "
        "children's services front door number) while answering; the answer is anonymous. "
        "An answer given earlier is flagged too when a change to the partnership's list of "
        "phrases finds it.\n\n"
        f"{forward}"
        "Sign in to read it and decide what to do:\n"
        f"{site_link('disclosure-list')}\n\n"
        "To keep the child's words safe, they stay on the platform and are never sent by "
        "email.\n"
    )
    email_send(
        subject="A child's survey answer may be a disclosure of harm",
        body=body,
        to=[email],
    )
    return True
