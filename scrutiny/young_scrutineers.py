"""Young scrutineers (issue 16): what they read, what they record, and what they tell us.

Everything a young scrutineer reads comes from a publication's snapshot (scrutiny.publishing):
the scorecard, the quotes and the suppressed breakdowns as signed off and published to the
board, redacted again as redaction stands now. Nothing else of the scrutiny reaches them.

- `observation_record`: what they saw or heard at a forum or the scrutiny event, tagged to
  success factors: an evidence note of their own kind, kept with who recorded it (for
  accountability) but shown everywhere with their role, never their name;
- `observations_of`: the observations a young scrutineer has recorded, for their own page;
- `plain_summary_suggested`, `plain_summary_save`, `plain_summary_approve`: the findings in
  plain words, written by the business unit or the scrutineer and approved by the scrutineer;
  young scrutineers read it only when approved, and changing it asks for approval again;
- the impact feedback (`FEEDBACK`, `feedback_submit`, `feedback_given`, `feedback_results`): a
  short questionnaire after each scrutiny, answered once by each young scrutineer through the
  core's evidence functions, and its counts over time with small numbers suppressed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from scrutiny.disclosure import DistributionShown, Redactor, distribution_shown
from scrutiny.errors import ApplicationError
from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.findings import note_record
from scrutiny.instruments import instrument_save, version_compile
from scrutiny.library import young_scrutineers as library_feedback
from scrutiny.models import (
    Answer,
    EvidenceNote,
    Partnership,
    Publication,
    Response,
    User,
)
from scrutiny.packs.data import PackData
from scrutiny.packs.words import long_date
from scrutiny.scoring import OptionCount, QuestionDistribution, Rating

# How a young scrutineer's observation, or its author, is shown wherever it is shown.
ROLE_LABEL = "Young scrutineer"

WHERE = {
    # The words are kept in English in the note; the form shows them in the page's language.
    "forum": gettext_noop("At a young people's forum"),
    "event": gettext_noop("At the scrutiny event"),
}


@transaction.atomic
def observation_record(
    *, publication: Publication, user: User, where: str, text: str, factor_codes: list[str]
) -> EvidenceNote:
    """A young scrutineer's observation of a published scrutiny, tagged to its factors. The
    words say where it was made; the note keeps who made it, and is shown with their role."""
    if where not in WHERE:
        raise ApplicationError(
            _("Choose where you saw or heard it: a forum or the scrutiny event.")
        )
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write what you saw or heard."))
    return note_record(
        scrutiny=publication.scrutiny,
        kind=EvidenceNote.Kind.YOUNG_SCRUTINEER,
        text=f"{WHERE[where]}: {text}",
        factor_codes=factor_codes,
        user=user,
    )


def observations_of(*, publication: Publication, user: User) -> QuerySet[EvidenceNote]:
    """The observations this young scrutineer recorded for the scrutiny, newest first."""
    return (
        EvidenceNote.objects.filter(
            scrutiny_id=publication.scrutiny_id,
            kind=EvidenceNote.Kind.YOUNG_SCRUTINEER,
            recorded_by=user,
        )
        .prefetch_related("factors")
        .order_by("-recorded_at", "-pk")
    )


# The plain-language summary -------------------------------------------------------------------

_IN_WORDS = {
    Rating.STRONG: "We found strong evidence that",
    Rating.SOME: "We found some evidence that",
    Rating.LIMITED: "We found only a little evidence that",
    Rating.INSUFFICIENT: "We did not have enough evidence to say whether",
}


def _as_clause(statement: str) -> str:
    """A factor's statement inside a sentence: its first letter small, unless the first word
    is a name or an abbreviation (SCR, Early Help's "Early"), and no full stop at the end."""
    statement = statement.strip().rstrip(".")
    first = statement.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        statement = statement[0].lower() + statement[1:]
    return statement


def plain_summary_suggested(pack: PackData) -> str:
    """A draft in plain words from the published scorecard: one line a success factor, saying
    how strong the evidence was that it is true."""
    lines = [
        f"{_IN_WORDS.get(Rating(row.rating), _IN_WORDS[Rating.INSUFFICIENT])} "
        f"{_as_clause(row.statement)}."
        for row in pack.scorecard
    ]
    return "\n\n".join(lines)


def plain_summary_is_approved(publication: Publication) -> bool:
    return (
        bool(publication.plain_summary.strip())
        and publication.plain_summary_approved_at is not None
    )


@transaction.atomic
def plain_summary_save(*, publication: Publication, text: str, user: User) -> Publication:
    """Save the summary's words. Changed after approval, it needs approving again: the young
    scrutineers go back to not seeing it until it is."""
    text = text.strip().replace("\r\n", "\n")
    if not text:
        raise ApplicationError(_("Write the summary: the findings in plain words."))
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if text != publication.plain_summary:
        publication.plain_summary = text
        publication.plain_summary_approved_at = None
        publication.plain_summary_approved_by = None
        publication.save(
            update_fields=[
                "plain_summary",
                "plain_summary_approved_at",
                "plain_summary_approved_by",
            ]
        )
    return publication


@transaction.atomic
def plain_summary_approve(*, publication: Publication, user: User) -> Publication:
    """Approve the summary as it stands for the young scrutineers."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if not publication.plain_summary.strip():
        raise ApplicationError(_("Write the summary and save it before approving it."))
    publication.plain_summary_approved_at = timezone.now()
    publication.plain_summary_approved_by = user
    publication.save(update_fields=["plain_summary_approved_at", "plain_summary_approved_by"])
    return publication


@dataclass(frozen=True)
class PlainSummary:
    """The summary as its page shows it: the words, and whether (and when) it was approved."""

    text: str
    approved: bool
    approved_on: str

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.split("\n\n") if part.strip()]


def plain_summary_of(publication: Publication) -> PlainSummary:
    """The summary as it may leave the scrutineer's screen: redacted as everything published
    is (scrutiny.disclosure), as redaction stands now."""
    approved_at = publication.plain_summary_approved_at
    redactor = Redactor.for_partnership(
        publication.scrutiny.partnership_id, scrutiny=publication.scrutiny
    )
    return PlainSummary(
        text=redactor.redact(publication.plain_summary),
        approved=plain_summary_is_approved(publication),
        approved_on=long_date(timezone.localtime(approved_at)) if approved_at else "",
    )


# Impact feedback ------------------------------------------------------------------------------

# The questionnaire is the library's (scrutiny.library.young_scrutineers): adding it from the
# library or from a young scrutineer's first answers gives the very same instrument.
FEEDBACK = library_feedback.DEFINITION
FEEDBACK_CODE = library_feedback.CODE
LISTENED, CHANGED = library_feedback.LISTENED, library_feedback.CHANGED
WHAT_CHANGED, DIFFERENTLY = library_feedback.WHAT_CHANGED, library_feedback.DIFFERENTLY
CHOICE_QUESTIONS = (LISTENED, CHANGED)


def _feedback_ref(publication: Publication, user: User) -> str:
    """The response's reference: one a young scrutineer and scrutiny, so that each answers
    once (the database's unique reference holds it, even for two submits at once), and keyed,
    so that it says nothing of who answered to anyone without the installation's secret."""
    key = settings.SECRET_KEY.encode()
    message = f"young-scrutineer-feedback:{publication.scrutiny_id}:{user.pk}".encode()
    return "ys-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def feedback_given(*, publication: Publication, user: User) -> bool:
    return Response.objects.filter(
        scrutiny_id=publication.scrutiny_id,
        instrument__code=FEEDBACK_CODE,
        ref=_feedback_ref(publication, user),
    ).exists()


def feedback_submit(*, publication: Publication, user: User, values: dict[str, str]) -> Response:
    """A young scrutineer's answers, once, through the core's evidence functions like any
    response: anonymous (no user, no time finer than the day) but for the keyed reference. The
    instrument is added to the scrutiny (from `FEEDBACK`) with the first answers."""
    if feedback_given(publication=publication, user=user):
        raise ApplicationError(_("You have already told us about this scrutiny: thank you."))
    try:
        with transaction.atomic():
            saved = instrument_save(scrutiny=publication.scrutiny, definition=FEEDBACK)
            return response_submit(
                compiled=version_compile(saved.version),
                values=values,
                details=ResponseDetails(ref=_feedback_ref(publication, user)),
                channel=Response.Channel.SURVEY,
                anonymous=True,
            )
    except IntegrityError:  # the same person's other submit won the race
        raise ApplicationError(
            _("You have already told us about this scrutiny: thank you.")
        ) from None


@dataclass(frozen=True)
class FeedbackRow:
    """One published scrutiny's feedback: how many answered, and each choice question's
    counts as they may be shown (small numbers suppressed)."""

    title: str
    published_on: str
    responses: int
    questions: tuple[DistributionShown, ...]


def _distribution(code: str, counts: dict[str, int], answered: int) -> QuestionDistribution:
    question = next(q for q in FEEDBACK.questions if q.code == code)
    return QuestionDistribution(
        instrument_code=FEEDBACK_CODE,
        version=1,
        code=code,
        type=question.type,
        text=question.text,
        answered=answered,
        options=tuple(
            OptionCount(o.value, o.label, o.points, counts.get(o.value, 0))
            for o in FEEDBACK.option_lists[question.options]
        ),
    )


def feedback_results(*, partnership: Partnership) -> list[FeedbackRow]:
    """The feedback of each of the partnership's published scrutinies, oldest first, each
    count per answer through the small-number suppression (always: a young scrutineer is one
    of few). Three queries, however many scrutinies and answers."""
    publications = list(
        Publication.objects.filter(scrutiny__partnership=partnership)
        .select_related("scrutiny")
        .defer("snapshot")
        .order_by("published_at", "pk")
    )
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for scrutiny_id, code, value, n in (
        Answer.objects.counting()
        .filter(
            response__scrutiny__partnership=partnership,
            response__instrument__code=FEEDBACK_CODE,
            question__code__in=CHOICE_QUESTIONS,
            option__isnull=False,
        )
        .values_list("response__scrutiny_id", "question__code", "option__value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(scrutiny_id, code)][value] = n
    responses = dict(
        Response.objects.counting()
        .filter(scrutiny__partnership=partnership, instrument__code=FEEDBACK_CODE)
        .values_list("scrutiny_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for publication in publications:
        scrutiny = publication.scrutiny
        questions = []
        for code in CHOICE_QUESTIONS:
            given = counts.get((scrutiny.pk, code), {})
            questions.append(
                distribution_shown(
                    _distribution(code, given, sum(given.values())),
                    threshold=scrutiny.suppression_threshold,
                    protected=True,
                )
            )
        rows.append(
            FeedbackRow(
                title=scrutiny.title,
                published_on=long_date(timezone.localtime(publication.published_at)),
                responses=responses.get(scrutiny.pk, 0),
                questions=tuple(questions),
            )
        )
    return rows
