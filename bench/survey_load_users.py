"""The respondents of bench/survey_load.py: locust users, run by that script in a process of
their own (locust patches the standard library with gevent, which Django's side must not see).

    survey_load_users.py HOST USERS TOKENS_FILE   → prints one JSON document

Each user answers one survey after another through a personal link, as a practitioner's phone
would: the start page, page 1, page 2, check your answers, submit; then presses submit once more
(a double click), which must be refused. It stops when every token has been used.
"""

from __future__ import annotations

import json
import re
import sys
import time
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, constant, task
from locust.env import Environment
from locust.exception import StopUser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKENS: list[str] = []
SUBMITTED: list[str] = []
GRADES = ["4", "3", "2", "1"]


def _csrf(text: str) -> str:
    match = CSRF.search(text)
    if match is None:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


class Respondent(HttpUser):
    wait_time = constant(0)

    @task
    def answer(self) -> None:
        if not TOKENS:
            raise StopUser()
        token = TOKENS.pop()
        self.client.cookies.clear()  # each survey from a fresh phone
        # The personal link is exchanged for a cookie and a token-free address.
        start = self.client.get(f"/i/{token}/", name="start page")
        base = urlsplit(start.url).path
        page = self.client.get(f"{base}resume/", name="page 1")
        page = self.client.post(
            f"{base}0/",
            {
                "csrfmiddlewaretoken": _csrf(page.text),
                "0-Q1": "yes",
                "0-Q2": "Weekly visits and a review.",
                "action": "continue",
            },
            name="save page 1",
        )
        page = self.client.post(
            f"{base}1/",
            {
                "csrfmiddlewaretoken": _csrf(page.text),
                "1-Q6": GRADES[int(token[:2], 16) % 4],
                "1-Q7": "Supervision helped.",
                "action": "continue",
            },
            name="save page 2, check answers",
        )
        submit = {"csrfmiddlewaretoken": _csrf(page.text), "action": "submit"}
        with self.client.post(
            f"{base}check/", submit, name="submit", catch_response=True
        ) as response:
            if "your answers are submitted" not in response.text:
                response.failure("not submitted")
                return
            SUBMITTED.append(token)
        with self.client.post(
            f"{base}check/", submit, name="submit again (refused)", catch_response=True
        ) as again:
            if "already been submitted" not in again.text:
                again.failure("a second submission was not refused")


def main() -> None:
    host, users, tokens_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(tokens_file, encoding="utf-8") as handle:
        TOKENS.extend(line.strip() for line in handle if line.strip())
    environment = Environment(user_classes=[Respondent], host=host)
    runner = environment.create_local_runner()
    started = time.perf_counter()
    runner.start(users, spawn_rate=users)
    gevent.sleep(0.5)
    while runner.user_count > 0:
        gevent.sleep(0.1)
    elapsed = time.perf_counter() - started
    runner.quit()
    total = environment.stats.total
    by_name = {
        name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
        }
        for (name, _method), entry in sorted(environment.stats.entries.items())
    }
    print(
        json.dumps(
            {
                "users": users,
                "elapsed_s": elapsed,
                "requests": total.num_requests,
                "failures": total.num_failures,
                "p50_ms": total.get_response_time_percentile(0.5),
                "p95_ms": total.get_response_time_percentile(0.95),
                "submitted": SUBMITTED,
                "by_name": by_name,
                "errors": [
                    f"{error.name}: {error.error} ({error.occurrences} times)"
                    for error in environment.stats.errors.values()
                ][:10],
            }
        )
    )


if __name__ == "__main__":
    main()
