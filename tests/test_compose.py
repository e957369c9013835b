"""docker-compose.yml, the Dockerfile and .ci/run agree with each other and with the settings.

There is no Docker engine where the tests run: the compose file is parsed and validated against
the Compose Specification (check-jsonschema's vendored schema, offline) instead of being run.
.ci/run runs its commands for real (gunicorn config.wsgi, celery -A config worker).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
CI_RUN = ROOT / ".ci" / "run"
APP_SERVICES = ("web", "worker", "beat")
WORKER_COMMAND = "celery -A config worker"
WEB_COMMAND = "gunicorn config.wsgi"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def command_of(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def healthcheck_of(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def settings_variables() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r"""\benv_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""", source))


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).parent / "check-jsonschema"
    assert executable.exists(), f"{executable} is missing: pip install -e '.[dev]'"
    return subprocess.run(
        [str(executable), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}
    assert compose["services"]["db"]["image"] == "postgres:15"
    assert compose["services"]["redis"]["image"] == "redis:7"
    for name in APP_SERVICES:
        assert compose["services"][name]["build"] == ".", name


def test_web_migrates_then_serves_gunicorn_on_port_8000(compose):
    web = compose["services"]["web"]
    command = command_of(web)
    assert "manage.py migrate --noinput" in command
    assert WEB_COMMAND in command
    assert command.index("migrate") < command.index(WEB_COMMAND)
    assert "--bind 0.0.0.0:8000" in command
    assert [str(port).rsplit(":", 1)[-1] for port in web["ports"]] == ["8000"]
    assert "/health/" in healthcheck_of(web)
    assert ":8000/" in healthcheck_of(web)


def test_worker_and_beat_commands(compose):
    assert command_of(compose["services"]["worker"]).startswith(WORKER_COMMAND)
    assert command_of(compose["services"]["beat"]).startswith("celery -A config beat")


def test_healthchecks_and_dependencies(compose):
    services = compose["services"]
    assert "pg_isready" in healthcheck_of(services["db"])
    assert "redis-cli ping" in healthcheck_of(services["redis"])
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        for dependency in ("db", "redis"):
            assert depends_on[dependency] == {"condition": "service_healthy"}, (name, dependency)
    # The worker waits for web, which runs the migrations.
    assert services["worker"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_named_volumes_for_the_database_redis_and_media(compose):
    services = compose["services"]
    volumes = set(compose["volumes"])

    def mounts(name: str) -> dict[str, str]:
        pairs = (volume.split(":")[:2] for volume in services[name].get("volumes", []))
        return {target: source for source, target in pairs}

    assert mounts("db")["/var/lib/postgresql/data"] in volumes
    assert mounts("redis")["/data"] in volumes
    media_root = environment_of(services["web"])["MEDIA_ROOT"]
    for name in ("web", "worker"):
        assert mounts(name)[media_root] in volumes, name
    assert len({mounts("db")["/var/lib/postgresql/data"], mounts("redis")["/data"]}) == 2


def test_app_environment_is_read_by_the_settings(compose):
    readable = settings_variables()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= readable
    required = {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "DEFAULT_FROM_EMAIL",
        "SITE_URL",
        "SECURE_PROXY_SSL_HEADER_ENABLED",
    }
    for name in APP_SERVICES:
        environment = environment_of(compose["services"][name])
        unknown = set(environment) - readable
        assert not unknown, f"{name} passes variables config/settings.py never reads: {unknown}"
        assert required <= set(environment), (name, required - set(environment))
        assert environment["DEBUG"] == "false"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "SECRET_KEY must be required"
        assert environment["DATABASE_URL"].startswith("postgresql://")
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")


def test_compose_file_follows_the_compose_specification():
    result = check_jsonschema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_check_rejects_a_broken_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  web:\n    image: x\n    ports: 8000\n    restart: sometimes\n")
    result = check_jsonschema(broken)
    assert result.returncode != 0, result.stdout
    assert "$.services.web.ports" in result.stdout + result.stderr


def test_ci_runs_the_same_worker_and_web_commands():
    assert os.access(CI_RUN, os.X_OK), ".ci/run must be executable"
    script = CI_RUN.read_text()
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script
    assert f".venv/bin/{WORKER_COMMAND} " in script
    assert f".venv/bin/{WEB_COMMAND} " in script
    assert "scrutiny.tasks.selfcheck" in script


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (keyword.upper(), value.strip())
        for keyword, value in (line.split(None, 1) for line in joined.splitlines() if line.strip())
    ]


def test_dockerfile():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert ("RUN", "pip install .") in instructions
    users = [value for keyword, value in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    # The build-time secret key is set for collectstatic's step only, never as an ENV.
    collect = [value for keyword, value in instructions if "collectstatic" in value]
    assert len(collect) == 1 and "SECRET_KEY=" in collect[0]
    assert not any("SECRET_KEY" in value for keyword, value in instructions if keyword == "ENV")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "db.sqlite3", "var"} <= set(ignored)


def dockerfile_environment() -> dict[str, str]:
    pairs = [
        item.split("=", 1)
        for keyword, value in dockerfile_instructions()
        if keyword == "ENV"
        for item in shlex.split(value)
    ]
    return dict(pairs)


def settings_debug(environment: dict[str, str]) -> str:
    """settings.DEBUG as a fresh process reads it from exactly this environment."""
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings"}
        | environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_image_runs_without_debug_unless_told():
    image = dockerfile_environment()
    assert image["DEBUG"] == "false"
    # What a container of the image is given by `docker run -e SECRET_KEY=... -e ALLOWED_HOSTS=...`.
    running = image | {"SECRET_KEY": "a-long-random-production-key", "ALLOWED_HOSTS": "example.org"}
    assert settings_debug(running) == "False"
    assert settings_debug(running | {"DEBUG": "true"}) == "True"
    # Without the image's ENV the development default would apply: the ENV line is what matters.
    assert settings_debug({}) == "True"


def test_the_access_log_keeps_the_time_the_request_and_the_status_only():
    """Nothing in a line that depends on the person or their answers (docs/surveys.md): no
    address, referrer or browser, and no size or duration (the check page's size is the length
    of the written answers)."""
    import re
    import runpy

    log_format = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]
    atoms = set(re.findall(r"%\((\w+|\{[^}]*\}\w)\)s", log_format))
    assert atoms == {"t", "r", "s"}, log_format
    assert "%(b)s" not in log_format and "%(B)s" not in log_format


def test_a_gunicorn_worker_freezes_the_loaded_application_out_of_the_collectors_reach():
    """gunicorn.conf.py's hook, run as gunicorn runs it once a worker has loaded the app: the
    objects alive then are frozen (`gc.freeze`), so full collections during requests skip them."""
    import gc
    import runpy

    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert gc.get_freeze_count() == 0
    try:
        hooks["post_worker_init"](object())
        assert gc.get_freeze_count() > 10_000  # the application's modules and settings
    finally:
        gc.unfreeze()
