"""What the anonymity tests share: a survey that a dozen people of one agency and role answer,
and the attacks a curious database administrator would try on what is stored.

Every attack is given the people's order of arrival (which a web server's access log gives:
the first request of each personal link, token and all) and tries to line the responses up
with it. Chance lines up one of twelve on average; the chance of nine or more is about one in
a million, so `MOST_BY_CHANCE` tells a real ordering from luck without a flaky test.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

PEOPLE = 12
MOST_BY_CHANCE = 8
AGENCY, ROLE = "FHC", "SW"


def answers_of(i: int) -> dict[str, str]:
    """Person i's answers; the plan's words say whose they are (the test's ground truth only)."""
    return {"Q1": "yes", "Q2": f"Plan number {i} was agreed", "Q6": "3"}


def person_of(text: str) -> int:
    return int(text.split("Plan number ", 1)[1].split(" ", 1)[0])


def lined_up(arrivals: Sequence[int], responses_in_order: Sequence[int]) -> int:
    """How many people an attack names rightly: the k-th to arrive given the k-th response."""
    return sum(
        1 for person, guess in zip(arrivals, responses_in_order, strict=True) if person == guess
    )


def is_midnight(value: Any) -> bool:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace(" ", "T"))
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value
        return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
    return isinstance(value, dt.date)


def order_attacks(
    responses: Sequence[dict[str, Any]],
    answers: Sequence[dict[str, Any]],
    person_of_response: Callable[[Any], int],
) -> dict[str, list[int]]:
    """Each way of ordering the stored responses an attacker might try, as the people in that
    order: by id, by the rows' own order as read, by their answers' ids, by every time."""
    first_answer: dict[Any, Any] = {}
    for answer in answers:
        rid = answer["response_id"]
        first_answer[rid] = min(first_answer.get(rid, answer["id"]), answer["id"])
    orders = {
        "response id": sorted(responses, key=lambda r: r["id"]),
        "rows as read": list(responses),
        "first answer id": sorted(responses, key=lambda r: first_answer[r["id"]]),
    }
    for column in ("submitted_at", "created_at", "updated_at"):
        orders[column] = sorted(responses, key=lambda r, c=column: (str(r[c]), r["id"]))
    return {name: [person_of_response(r["id"]) for r in rows] for name, rows in orders.items()}


def subprocess_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        AXES_ENABLED="false",
        PYTHONPATH=os.getcwd(),
    )
    return env


PYTHON = sys.executable
