"""scrutiny.prepared: a queryset's SQL made once, run with other values, gives what the queryset
itself gives (every field converted as Django converts it, nullable joins left empty), and
refuses a queryset that does not filter by the names it is given."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import MultipleObjectsReturned
from django.db import connection, transaction
from django.db.models import Model, QuerySet, Value
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Agency, Answer, Instrument, Response, Scrutiny
from scrutiny.prepared import Prepared
from tests.conftest import second_factor_for
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db


def _responses(pk: int, scrutiny: int) -> QuerySet[Response]:
    return Response.objects.select_related("agency", "version__instrument").filter(
        pk=pk, scrutiny_id=scrutiny
    )


RESPONSE = Prepared(_responses, pk=Response._meta.pk, scrutiny=Scrutiny._meta.pk)


def _fields(obj: Model | None) -> dict[str, object] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _submitted(scrutiny, agency_id: int | None, ref: str = "") -> Response:
    survey = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    return response_submit(
        compiled=version_compile(instrument_current_version(survey)),
        values={"Q1": "yes", "Q2": "A plan", "Q4": "1,250.5", "Q6": "3"},
        details=ResponseDetails(
            agency_id=agency_id,
            submitted_at=timezone.now() - dt.timedelta(days=3),
            ref=ref,
        ),
        channel=Response.Channel.API,
    )


def test_it_gives_what_the_queryset_gives_field_by_field(scrutiny, council):
    for agency_id in (council.pk, None):  # a join with a row, and a nullable one without
        response = _submitted(scrutiny, agency_id, ref="R-1")
        given = RESPONSE.one(pk=response.pk, scrutiny=scrutiny.pk)
        expected = _responses(response.pk, scrutiny.pk).get()
        assert given is not None
        for ours, django in (
            (given, expected),
            (given.agency, expected.agency),
            (given.version, expected.version),
            (given.version.instrument, expected.version.instrument),
        ):
            assert _fields(ours) == _fields(django)
        assert (given.agency is None) == (agency_id is None)
        assert isinstance(given.submitted_at, dt.datetime) and given.submitted_at.tzinfo
        Response.objects.filter(pk=response.pk).delete()


def test_no_row_none_and_one_query_a_call(scrutiny, council):
    response = _submitted(scrutiny, council.pk)
    RESPONSE.one(pk=response.pk, scrutiny=scrutiny.pk)
    with CaptureQueriesContext(connection) as queries:
        assert RESPONSE.one(pk=response.pk, scrutiny=scrutiny.pk + 1) is None
        assert RESPONSE.one(pk=response.pk + 1, scrutiny=scrutiny.pk) is None
    assert len(queries) == 2
    # A key no column can hold matches nothing, as Django's own lookups do, and asks nothing.
    with CaptureQueriesContext(connection) as queries:
        assert RESPONSE.one(pk=2**63, scrutiny=scrutiny.pk) is None
        assert RESPONSE.one(pk=-(2**63) - 1, scrutiny=scrutiny.pk) is None
    assert len(queries) == 0


def test_more_than_one_row_is_an_error(scrutiny, council):
    first = _submitted(scrutiny, council.pk)
    _submitted(scrutiny, council.pk)
    by_scrutiny = Prepared(
        lambda scrutiny, agency: Response.objects.filter(scrutiny_id=scrutiny, agency_id=agency),
        scrutiny=Scrutiny._meta.pk,
        agency=Agency._meta.pk,
    )
    with pytest.raises(MultipleObjectsReturned):
        by_scrutiny.one(scrutiny=first.scrutiny_id, agency=council.pk)


def test_a_name_the_queryset_does_not_filter_by_is_refused(scrutiny):
    unused = Prepared(
        lambda pk, scrutiny: Response.objects.filter(pk=pk),
        pk=Response._meta.pk,
        scrutiny=Scrutiny._meta.pk,
    )
    with pytest.raises(ValueError, match="does not filter by"):
        unused.one(pk=1, scrutiny=scrutiny.pk)


def test_a_key_beyond_its_columns_range_matches_nothing_and_asks_nothing(auditor_council):
    """An authenticator app's id is a 32-bit integer on PostgreSQL and a 64-bit one on SQLite:
    each database's own range bounds it, and the stand-ins fit in it."""
    device = second_factor_for(auditor_council)
    by_id = Prepared(lambda pk: TOTPDevice.objects.filter(pk=pk), pk=TOTPDevice._meta.pk)
    assert by_id.one(pk=device.pk) == device
    high = connection.ops.integer_field_range(TOTPDevice._meta.pk.get_internal_type())[1]
    with CaptureQueriesContext(connection) as queries:
        assert by_id.one(pk=high + 1) is None
    assert len(queries) == 0


def test_a_text_key_is_compared_as_it_is(auditor_council):
    device = second_factor_for(auditor_council)
    by_name = Prepared(
        lambda pk, name: TOTPDevice.objects.filter(pk=pk, name=name),
        pk=TOTPDevice._meta.pk,
        name=TOTPDevice._meta.get_field("name"),
    )
    assert by_name.one(pk=device.pk, name=device.name) == device
    assert by_name.one(pk=device.pk, name=device.name + " ") is None
    # The stand-in the SQL was made with is never a value the SQL is run with.
    assert by_name.one(pk=device.pk, name="scrutiny.prepared: stand-in for name") is None
    with pytest.raises(TypeError, match="compared with a text"):
        by_name.one(pk=device.pk, name=5)
    with pytest.raises(TypeError, match="compared with an integer"):
        by_name.one(pk=str(device.pk), name=device.name)


def test_a_key_neither_integer_nor_text_is_refused(scrutiny):
    by_time = Prepared(
        lambda pk, at: Response.objects.filter(pk=pk, submitted_at=at),
        pk=Response._meta.pk,
        at=Response._meta.get_field("submitted_at"),
    )
    with pytest.raises(ValueError, match="an integer or a text"):
        by_time.one(pk=1, at=2)


def test_an_ordering_and_a_slice_pick_the_one_row(scrutiny, council):
    """The model's default ordering is left out; an ordering given is kept, with its slice."""
    first = _submitted(scrutiny, council.pk, ref="R-ORDER-1")
    last = _submitted(scrutiny, council.pk, ref="R-ORDER-2")
    mine = Response.objects.filter(ref__startswith="R-ORDER-")
    newest = Prepared(
        lambda scrutiny: mine.filter(scrutiny_id=scrutiny).order_by("-pk")[:1],
        scrutiny=Scrutiny._meta.pk,
    )
    oldest = Prepared(
        lambda scrutiny: mine.filter(scrutiny_id=scrutiny).order_by("pk")[:1],
        scrutiny=Scrutiny._meta.pk,
    )
    assert newest.one(scrutiny=scrutiny.pk) == last
    assert oldest.one(scrutiny=scrutiny.pk) == first
    with CaptureQueriesContext(connection) as queries:
        RESPONSE.one(pk=first.pk, scrutiny=scrutiny.pk)
    assert "ORDER BY" not in queries.captured_queries[0]["sql"]


def _answer_rows(response: int) -> QuerySet:
    return (
        Answer.objects.filter(response_id=response)
        .order_by("question__position", "option__position")
        .values_list("question__code", "option__value", "text", "number", "date", "response_id")
    )


ANSWER_ROWS = Prepared(_answer_rows, response=Response._meta.pk)


def test_rows_are_a_values_lists_tuples_converted_as_django_converts_them(scrutiny, council):
    response = _submitted(scrutiny, council.pk)
    rows = ANSWER_ROWS.rows(response=response.pk)
    assert rows == list(_answer_rows(response.pk))
    assert any(isinstance(row[3], Decimal) for row in rows)  # Q4's 1,250.5, a number
    assert all(isinstance(row, tuple) for row in rows)
    assert ANSWER_ROWS.rows(response=response.pk + 1000) == []
    with CaptureQueriesContext(connection) as queries:
        assert ANSWER_ROWS.rows(response=2**63) == []
    assert len(queries) == 0


def test_one_and_rows_are_each_for_their_kind_of_queryset(scrutiny, council):
    response = _submitted(scrutiny, council.pk)
    with pytest.raises(TypeError, match="call rows"):
        ANSWER_ROWS.one(response=response.pk)
    with pytest.raises(TypeError, match="call one"):
        RESPONSE.rows(pk=response.pk, scrutiny=scrutiny.pk)
    flat = Prepared(
        lambda pk: Response.objects.filter(pk=pk).values_list("pk", flat=True),
        pk=Response._meta.pk,
    )
    with pytest.raises(ValueError, match="model instances or values_list"):
        flat.rows(pk=response.pk)


def test_what_its_instances_would_leave_out_is_refused(scrutiny, council):
    response = _submitted(scrutiny, council.pk)
    for build in (
        lambda pk: Response.objects.filter(pk=pk).annotate(tag=Value("x")),
        lambda pk: Response.objects.filter(pk=pk).prefetch_related("answers"),
        lambda pk: Agency.objects.get(pk=council.pk).responses.filter(pk=pk),
    ):
        with pytest.raises(ValueError, match="take no"):
            Prepared(build, pk=Response._meta.pk).one(pk=response.pk)


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_as_django_refuses_it(scrutiny, council):
    response = _submitted(scrutiny, council.pk)
    locked = Prepared(
        lambda pk: Response.objects.select_for_update().filter(pk=pk), pk=Response._meta.pk
    )
    with transaction.atomic():
        assert locked.one(pk=response.pk) == response  # made inside a transaction
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            locked.one(pk=response.pk)
        with pytest.raises(TransactionManagementError):
            Response.objects.select_for_update().filter(pk=response.pk).first()
    else:  # SQLite: no row locks, so Django lets it be, and so does this
        assert locked.one(pk=response.pk) == response
        assert Response.objects.select_for_update().filter(pk=response.pk).first() == response
