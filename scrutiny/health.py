"""Is the platform able to work: can it reach its database and, when configured, its broker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection


def health_check() -> dict[str, Any]:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"

    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "not configured (tasks run in-process)"
    else:
        from config.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=settings.HEALTH_BROKER_TIMEOUT)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {exc.__class__.__name__}"

    healthy = all(value == "ok" or value.startswith("not configured") for value in checks.values())
    return {"status": "ok" if healthy else "error", "checks": checks}
