"""Settings come from the environment; production refuses unsafe defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# What the test process may have set that a real deployment never has: the settings the tests
# choose, and DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set for the rest of the session
# (check --deploy rightly refuses it as async.E001).
NOT_INHERITED = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_development_secret_key():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="scrutiny.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "a-long-random-production-value-for-the-test-only",
        ALLOWED_HOSTS="scrutiny.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_bad_boolean_is_refused_with_its_name():
    result = run_manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_number_of_proxies_comes_from_the_environment():
    def proxies(value: str) -> subprocess.CompletedProcess[str]:
        code = "from django.conf import settings; print(settings.REST_FRAMEWORK['NUM_PROXIES'])"
        return run_manage("shell", "--no-imports", "-c", code, NUM_PROXIES=value)

    assert proxies("").stdout.strip() == "0"
    assert proxies("1").stdout.strip() == "1"
    refused = proxies("-1")
    assert refused.returncode != 0
    assert "NUM_PROXIES must be 0 or more" in refused.stderr


def test_tasks_run_in_process_without_a_broker():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
        REDIS_URL="",
    )
    assert result.stdout.strip().endswith("True"), result.stderr
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
        REDIS_URL="redis://127.0.0.1:6390/0",
    )
    assert result.stdout.strip().endswith("False"), result.stderr
