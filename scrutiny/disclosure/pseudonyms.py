"""The name a response leaves under in row-level outputs (the API's responses, the responses
export): never its id, nor anything that orders responses by when they came.

That name is the response's `pseudonym`, a random number drawn when it is stored
(scrutiny.models.evidence). It was once the id mixed by a keyed affine map, computed by the
database; but an affine map keeps the steps between consecutive ids equal, so the numbers of
responses stored one after another gave back the order they came in (found in a red-team pass:
tests/red_team/test_small_numbers.py)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.db.models.functions import TruncDate

from scrutiny.models import Instrument, Response

# What a row-level output reads of each numbered response (`responses_numbered`).
NUMBERED_FIELDS = (
    "pk",
    "number",
    "version__number",
    "agency__code",
    "area__code",
    "role__code",
    "submitted_day",
)


def responses_numbered(instrument: Instrument) -> QuerySet[Response]:
    """The instrument's counting responses, each annotated with its `number` (the pseudonym)
    and `submitted_day`, in the order of their numbers."""
    return (
        Response.objects.counting()
        .filter(scrutiny_id=instrument.scrutiny_id, instrument=instrument)
        .annotate(number=F("pseudonym"), submitted_day=TruncDate("submitted_at"))
        .order_by("number", "pk")
    )
