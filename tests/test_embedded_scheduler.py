"""The embedded default's scheduled work (issue 15): scripts/scheduler.sh, which scripts/serve.sh
starts beside the web server, is a real celery worker with beat on kombu's filesystem transport.
With a short schedule it sends a reminder owed to someone invited within its first minute, with
no Redis and no other service.

It runs as serve.sh runs it, in processes of its own, on its own SQLite file, broker folder and
e-mail folder, whatever database and broker the rest of the suite uses."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "http://127.0.0.1:8123"
EMAIL = "ash@fernhill.invalid"
FIRST_MINUTE = 60.0


def invitation_owed_a_reminder() -> None:
    """Run inside `manage.py shell` on the test's own database: a survey that reminds every 7
    days, open now, and one person invited 8 days ago who has not answered."""
    from django.utils import timezone

    from scrutiny.instruments import instrument_save
    from scrutiny.models import Scrutiny, SuccessFactor
    from surveys.models import Invitation
    from tests.factories import AgencyFactory, PartnershipFactory
    from tests.surveys.conftest import make_invitation, make_survey, survey_definition

    partnership = PartnershipFactory()
    agency = AgencyFactory(partnership=partnership, code="FHC", name="Fernhill Council")
    scrutiny = Scrutiny.objects.create(
        partnership=partnership, slug="learning-2025", title="Learning from Practice 2025"
    )
    for code in ("SF1", "SF2"):
        SuccessFactor.objects.create(scrutiny=scrutiny, code=code, statement=f"{code} is met.")
    instrument = instrument_save(scrutiny=scrutiny, definition=survey_definition()).instrument
    survey = make_survey(instrument, reminder_days=7, reminder_limit=2)
    invitation, _token = make_invitation(survey, EMAIL, agency)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=8)
    )


def _environment(folder: Path) -> dict[str, str]:
    """serve.sh's environment with no broker of the suite's own: the scheduler chooses the
    filesystem transport itself, as it does for serve.sh."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        BROKER_FOLDER=str(folder / "broker"),
        MEDIA_ROOT=str(folder / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
        SITE_URL=SITE_URL,
        REMINDERS_EVERY_SECONDS="2",
        DEBUG="true",
    )
    return environment


def _manage(environment: dict[str, str], *arguments: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _stop(process: subprocess.Popen[bytes]) -> None:
    """TERM to the scheduler's process group (the worker and its beat), as serve.sh stops it;
    KILL if it has not stopped within 15 seconds."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[dict[str, str]]:
    environment = _environment(tmp_path)
    _manage(environment, "migrate", "--noinput", "--verbosity", "0")
    yield environment


def _mail(folder: Path) -> str:
    return "".join(path.read_text() for path in sorted(folder.glob("*.log")))


def test_the_embedded_scheduler_sends_a_reminder_in_its_first_minute(embedded, tmp_path):
    _manage(
        embedded,
        "shell",
        "-c",
        "from tests.test_embedded_scheduler import invitation_owed_a_reminder as f; f()",
    )
    mail_folder = tmp_path / "mail"
    assert _mail(mail_folder) == ""  # nothing is sent until the scheduler runs

    log_path = tmp_path / "scheduler.log"
    with log_path.open("wb") as log:
        started = time.monotonic()
        scheduler = subprocess.Popen(
            [str(ROOT / "scripts" / "scheduler.sh")],
            cwd=ROOT,
            env=embedded,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while "Subject: Reminder" not in _mail(mail_folder):
            running = scheduler.poll() is None
            if not running or time.monotonic() - started > FIRST_MINUTE:
                pytest.fail(
                    f"no reminder within {FIRST_MINUTE:.0f} s (scheduler "
                    f"{'running' if running else 'stopped'}):\n{log_path.read_text()[-4000:]}"
                )
            time.sleep(0.5)
        mail = _mail(mail_folder)
        log_text = log_path.read_text()
    finally:
        _stop(scheduler)

    assert f"To: {EMAIL}" in mail
    assert "Subject: Reminder: please answer Practitioners' views 2025" in mail
    assert f"{SITE_URL}/i/" in mail  # the link follows SITE_URL, as serve.sh sets it from PORT
    # Real celery: beat sent the task through the filesystem broker to the worker.
    assert "Connected to filesystem://" in log_text
    assert "Sending due task survey-reminders" in log_text
    assert "surveys.tasks.reminders_email" in log_text
