"""The system proof of issue 14: the production web command (gunicorn, 30 s timeout, as
docker-compose.yml runs it), real celery workers and beat, one PostgreSQL database and Redis.

Not part of the default test run (pytest's testpaths is tests/): `.ci/run` runs it after the
PostgreSQL suite, with pytest-django switched off (this database is a real one, not a test
database):

    SYSTEM_DATABASE_URL=postgresql://... SYSTEM_REDIS_URL=redis://.../2 SYSTEM_WEB_PORT=8001 \\
      .venv/bin/python -m pytest -p no:django -p no:cacheprovider ci/system

Every process it starts is stopped at the end, by its id.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

for name in ("SYSTEM_DATABASE_URL", "SYSTEM_REDIS_URL", "SYSTEM_WEB_PORT"):
    if not os.environ.get(name):
        pytest.exit(f"{name} is not set: see ci/system/conftest.py", returncode=2)

WEB_PORT = int(os.environ["SYSTEM_WEB_PORT"])
MEDIA = Path(tempfile.mkdtemp(prefix="system-media-"))
# The environment of every process: production settings, and jobs that stall, are recovered
# and are redelivered by Redis within seconds rather than minutes (docs/jobs.md).
ENVIRONMENT = {
    **os.environ,
    "DATABASE_URL": os.environ["SYSTEM_DATABASE_URL"],
    "REDIS_URL": os.environ["SYSTEM_REDIS_URL"],
    "DEBUG": "false",
    "SECRET_KEY": "ci-only-secret-key-for-the-system-proof-not-used-anywhere-else",
    "ALLOWED_HOSTS": "localhost",
    "SECURE_PROXY_SSL_HEADER_ENABLED": "true",
    "MEDIA_ROOT": str(MEDIA),
    "JOB_STALL_SECONDS": "6",
    "JOB_RECOVER_SECONDS": "2",
    "CELERY_VISIBILITY_TIMEOUT": "30",
    "CELERY_UNACKED_RESTORE_SECONDS": "1",
    "LOG_LEVEL": "INFO",
}
os.environ.update(ENVIRONMENT)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()


class Processes:
    """The processes this run started, each with its log, stopped by id at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command, cwd=ROOT, env=ENVIRONMENT, stdout=log, stderr=subprocess.STDOUT
        )
        self.running[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def wait_for_log(self, name: str, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log(name):
            process = self.running[name]
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{name} did not log {text!r}:\n{self.log(name)[-3000:]}")
            time.sleep(0.2)

    def worker(self, name: str) -> subprocess.Popen[bytes]:
        process = self.start(
            name,
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            f"--hostname={name}@%h",
        )
        self.wait_for_log(name, " ready.")
        return process

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def processes(tmp_path_factory) -> Iterator[Processes]:
    """Migrations and static files, then gunicorn as docker-compose.yml runs it (with its 30 s
    timeout) and celery beat; workers are started by the tests."""
    folder = tmp_path_factory.mktemp("logs")
    for command in ("migrate", "collectstatic"):  # as the Docker image and compose do
        subprocess.run(  # noqa: S603 (our own command)
            [sys.executable, "manage.py", command, "--noinput", "-v0"],
            cwd=ROOT,
            env=ENVIRONMENT,
            check=True,
        )
    running = Processes(folder)
    try:
        running.start(
            "gunicorn",
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{WEB_PORT}",
            "--workers",
            "2",
            "--timeout",
            "30",
        )
        running.wait_for_log("gunicorn", "Booting worker")
        running.start(
            "beat",
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel=info",
            "--schedule",
            str(folder / "celerybeat-schedule"),
        )
        yield running
    finally:
        running.stop_all()
        for name in running.running:
            print(f"----- last lines of {name}.log -----\n{running.log(name)[-2500:]}")
