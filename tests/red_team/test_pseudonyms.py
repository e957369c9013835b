"""The name a response leaves under in the API's rows and the responses export
(scrutiny.disclosure.pseudonyms) orders nothing by when the responses came, tried as an attacker
would (found in a red-team pass of 2026-12-06, when the name was a keyed affine map of the id).
"""

from __future__ import annotations

from importlib import import_module
from itertools import pairwise

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from scrutiny.disclosure.pseudonyms import responses_numbered
from scrutiny.models import Instrument, Response
from tests.red_team.test_small_numbers import SLUG, _api
from tests.red_team.test_small_numbers import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

_MODULUS = 2**31 - 1  # the old map's modulus: public, the source is open


def _order_from_pseudonyms(numbers: list[int]) -> list[int] | None:
    """The attack on an affine map of sequential ids: the ids' order is in the differences
    between pseudonyms. Try each gap between neighbouring numbers as a small multiple of the
    map's step; the step that puts every number within a short run of ids gives each number's
    place in that run."""
    ordered = sorted(numbers)
    gaps = {(b - a) % _MODULUS for a, b in pairwise(ordered)}
    span = 4 * len(numbers)
    for gap in gaps:
        for multiple in range(1, span):
            step = gap * pow(multiple, -1, _MODULUS) % _MODULUS
            if step == 0:
                continue
            inverse = pow(step, -1, _MODULUS)
            places = {}
            for number in numbers:
                place = (number - numbers[0]) * inverse % _MODULUS
                places[number] = place - _MODULUS if place > _MODULUS // 2 else place
            if max(places.values()) - min(places.values()) < span:
                return sorted(numbers, key=places.__getitem__)
    return None


def _numbers(reader) -> list[int]:
    rows = _api(reader).get(reverse("api-instrument-responses", args=[SLUG, "PS"])).json()
    assert rows["pages"] == 1
    return [row["number"] for row in rows["results"]]


def test_the_apis_numbers_do_not_give_the_order_responses_came_in(scrutiny, scrutineer):
    """Read from the API alone, the numbers of the 17 returns, stored one after another, do not
    line them up in the order they were stored (the days the rows show would say which way)."""
    numbers = _numbers(scrutineer)
    instrument = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    truth = [
        n
        for n, _ in sorted(
            responses_numbered(instrument).values_list("number", "pk"), key=lambda r: r[1]
        )
    ]
    assert len(set(numbers)) == len(numbers) == 17
    assert _order_from_pseudonyms(numbers) not in (truth, truth[::-1])


def test_a_response_keeps_its_number_and_its_row_is_found_by_it(scrutiny, scrutineer):
    numbers = _numbers(scrutineer)
    assert _numbers(scrutineer) == numbers  # the same on every request: links hold
    detail = _api(scrutineer).get(reverse("api-instrument-response", args=[SLUG, "PS", numbers[3]]))
    assert detail.status_code == 200 and detail.json()["number"] == numbers[3]


def test_responses_stored_before_each_draw_their_own_number(scrutiny):
    """The migration that brought the numbers in gives every stored response one of its own
    (a column's default would have given them all the same)."""
    Response.objects.update(pseudonym=0)
    migration = import_module("scrutiny.migrations.0021_response_pseudonym")
    migration.pseudonyms_draw(django_apps, None)
    numbers = list(Response.objects.values_list("pseudonym", flat=True))
    assert len(set(numbers)) == len(numbers) and min(numbers) >= 2**40
