"""Reading settings from the environment: each variable with a safe development default, and a
value that cannot be read refused with what it should be."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, least: int | None = None) -> int:
    """A whole number; with `least`, one below it is refused too."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if least is not None and value < least:
        raise ImproperlyConfigured(f"{name} must be {least} or more, not {value}")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_of(url: str, name: str, entries: int) -> dict[str, object]:
    """One of settings.CACHES: on Redis at `url` (keys prefixed with `name`), or, with no url,
    in the process's memory (at most `entries` entries)."""
    if url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": name,
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


def sqlite_options() -> dict[str, object]:
    """SQLite's connection options. SQLite has one writer at a time. IMMEDIATE takes the write
    lock when a transaction begins, so concurrent writers (ten submits of one link at once)
    queue for up to the timeout instead of failing with "database is locked" when a read lock
    cannot be upgraded. In WAL mode a reader never holds up a writer's commit (a pack or an
    export reading while people submit), and a commit writes its pages once, to the log
    (bench/RESULTS.md: 5 to 10% of an answering request's CPU)."""
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL",
    }
