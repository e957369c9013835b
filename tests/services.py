"""Whether the services a test needs are here, and what a test does when one is missing.

On a developer's machine a test that needs a service (PostgreSQL, a broker with a celery worker,
Chromium) skips when it is missing. In CI (CI=true) it fails instead, so that CI can never pass by
skipping it. `.ci/run` runs the suite twice: first on SQLite with no broker, where the worker's
tests may skip, then on PostgreSQL with Redis and a real celery worker, where they must run.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() == "true"


def ci_postgresql_phase() -> bool:
    """True in the phase of CI that runs on PostgreSQL with Redis and a real celery worker."""
    return IN_CI and os.environ.get("DATABASE_URL", "").startswith("postgres")


def skip_unless_ci(reason: str, *, required: bool | None = None) -> NoReturn:
    """Skip the test because `reason`, or fail it where the service is required.

    `required` defaults to IN_CI: in CI every service must be there.
    """
    if IN_CI if required is None else required:
        pytest.fail(f"{reason}, and CI needs it here (CI=true)", pytrace=False)
    pytest.skip(reason)


def broker_configured() -> bool:
    """True when tasks go to a broker (REDIS_URL or CELERY_BROKER_URL) rather than in-process."""
    from django.conf import settings

    return not settings.CELERY_TASK_ALWAYS_EAGER


def require_broker() -> None:
    """Skip without a broker; fail without one in the PostgreSQL phase of CI."""
    if not broker_configured():
        skip_unless_ci(
            "no broker configured (set REDIS_URL and start `celery -A config worker`)",
            required=ci_postgresql_phase(),
        )
