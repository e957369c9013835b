"""The core's kinds of personal data: raw survey answers, response drafts, uploaded evidence
and the audit trail. Each function changes what has passed its period and says what it did.

What scores are computed from is never touched (SCORING.md): a response's status, its
instrument and source, agency and area (the breakdowns), and the options chosen with their
scores. Signed-off findings hold their data in `Finding.frozen`, and quotes their own redacted
copy of the words, so neither changes either.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import TruncMonth
from django.utils import timezone

from scrutiny.models import ActionUpdate, Answer, Partnership, Response, Scrutiny, TrailEntry
from scrutiny.models import Source as S
from scrutiny.retention.periods import Cutoffs
from scrutiny.retention.report import ANONYMISED, KEPT, REMOVED, RetentionLine

SURVEY_SOURCES = (
    S.PRACTITIONER_SURVEY,
    S.BOARD_QUESTIONNAIRE,
    S.FAMILY_FEEDBACK,
    S.YOUNG_PEOPLE,
)


# A response's moments that tell the day it was answered (an anonymous response is created on
# the day it is submitted: scrutiny.evidence.responses): past the period, each keeps its month.
DAY_KEEPING = ("submitted_at", "created_at")


def scrutinies_ended(*, partnership: Partnership, on_or_before: object) -> QuerySet[Scrutiny]:
    """The partnership's scrutinies that ended on or before the day; one with no end date has
    not ended, and keeps everything."""
    return Scrutiny.objects.filter(partnership=partnership, ends__lte=on_or_before)


def answers_anonymise(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    """Survey, board and family answers of scrutinies ended past the period: the free text,
    numbers and dates go (a quoted comment's row stays, emptied: the quote keeps its redacted
    copy); each response forgets its role, reference, author and day (the month stays). The
    options chosen, with agency and area, stay: every score and breakdown is computed from them."""
    responses = Response.objects.filter(
        scrutiny__in=scrutinies_ended(partnership=partnership, on_or_before=cutoffs.answers),
        source__in=SURVEY_SOURCES,
        status=Response.Status.SUBMITTED,
    )
    answers = Answer.objects.filter(response__in=responses)
    unquoted_text = answers.filter(option__isnull=True, quotes__isnull=True)
    removed = unquoted_text.count()
    unquoted_text.delete()
    held = Q(number__isnull=False) | Q(date__isnull=False) | ~Q(text="")
    emptied = answers.filter(held).update(text="", number=None, date=None)
    if removed or emptied:  # their answers changed: their scrutinies' evidence stamps move
        responses.update(updated_at=timezone.now())

    months = {name: TruncMonth(name) for name in DAY_KEEPING}
    details = Q(role__isnull=False) | ~Q(ref="") | ~Q(fingerprint="") | Q(created_by__isnull=False)
    for name, month in months.items():
        details |= ~Q(**{name: month})
    to_anonymise = responses.filter(details)
    anonymised = Response.objects.filter(pk__in=list(to_anonymise.values_list("pk", flat=True)))
    details_count = anonymised.update(
        role=None,
        ref="",
        fingerprint="",
        created_by=None,
        updated_at=timezone.now(),
        **months,
    )
    return [
        RetentionLine("answers", "free-text, number and date answers", REMOVED, removed),
        RetentionLine(
            "answers", "quoted comments emptied (the quote keeps its copy)", ANONYMISED, emptied
        ),
        RetentionLine(
            "answers", "responses' role, reference, author and day", ANONYMISED, details_count
        ),
    ]


def drafts_remove(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    """Responses started and never submitted, unchanged since the period began. One that
    something the partnership keeps still points to (e.g. a moderation in progress) stays."""
    drafts = Response.objects.filter(
        scrutiny__partnership=partnership,
        status=Response.Status.DRAFT,
        updated_at__lte=cutoffs.drafts,
    ).order_by("pk")
    removed = kept = 0
    for pk in drafts.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                Response.objects.filter(pk=pk).delete()
            removed += 1
        except (ProtectedError, RestrictedError):
            kept += 1
    lines = [RetentionLine("drafts", "draft responses", REMOVED, removed)]
    if kept:
        reason = "A record the partnership keeps (such as a moderation) still refers to it."
        lines.append(RetentionLine("drafts", "draft responses", KEPT, kept, reason))
    return lines


def uploads_remove(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    """Documents attached to action updates past the period: the file goes (once the run is
    committed, so a dry run or a failed run deletes none); the update's words stay."""
    updates = ActionUpdate.objects.filter(
        action__partnership=partnership, at__lte=cutoffs.uploads
    ).exclude(document="")
    removed = 0
    for update in updates.only("pk", "document"):
        transaction.on_commit(partial(update.document.storage.delete, update.document.name))
        removed += ActionUpdate.objects.filter(pk=update.pk).update(document="")
    return [RetentionLine("uploads", "documents attached to action updates", REMOVED, removed)]


def trail_expire(*, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
    expired = TrailEntry.objects.filter(partnership=partnership, at__lte=cutoffs.trail)._expire()
    return [RetentionLine("trail", "audit trail entries", REMOVED, expired)]
