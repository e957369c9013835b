"""The name a response leaves under in row-level outputs (the API's responses, the responses
export): never its id, nor anything that orders responses by when they came."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, ExpressionWrapper, F, QuerySet, Value
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

# A prime: (a·(id mod p) + b) mod p is a bijection of the residues, keyed by a and b.
_MODULUS = 2**31 - 1


def _pseudonym(instrument: Instrument) -> ExpressionWrapper[Any]:
    """Each response's `number`: its id mixed by a key of the installation's secret and the
    instrument, the same on every request (so pages and links hold) and unlike its id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"api-responses:{instrument.pk}".encode(), hashlib.sha256
    ).digest()
    a = int.from_bytes(digest[:8], "big") % (_MODULUS - 1) + 1
    b = int.from_bytes(digest[8:16], "big") % _MODULUS
    residue = F("pk") % Value(_MODULUS)
    return ExpressionWrapper((residue * a + b) % _MODULUS, output_field=BigIntegerField())


def responses_numbered(instrument: Instrument) -> QuerySet[Response]:
    """The instrument's counting responses, each annotated with its `number` (the pseudonym)
    and `submitted_day`, in the order of their numbers."""
    return (
        Response.objects.counting()
        .filter(scrutiny_id=instrument.scrutiny_id, instrument=instrument)
        .annotate(number=_pseudonym(instrument), submitted_day=TruncDate("submitted_at"))
        .order_by("number", "pk")
    )
