"""The file a command writes, named on its command line. CLI.md: on bad input a command exits
non-zero with a message a person can act on, and changes nothing.

- `output_path` checks the name before the command does anything: a folder that does not exist,
  or a name that is itself a folder, is refused, saying what to give instead;
- `output_write` writes the whole file at once (made in memory first, so that a failure leaves
  no half-written file), an error of the file system (no permission, a full disk) refused too.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def output_path(name: str, *, what: str, example: str) -> Path:
    """The path to write `what` (e.g. "the plan") to; `example` names a file (plan.xlsx) for
    the message that refuses a folder."""
    path = Path(name)
    try:
        is_folder, folder_there = path.is_dir(), path.parent.is_dir()
    except OSError as exc:  # such as a name too long for the file system
        raise _cannot_write(path, exc) from exc
    if is_folder:
        raise CommandError(
            f"{name} is a folder: give the name of the file to write {what} in, for example "
            f"{path / example}."
        )
    if not folder_there:
        raise CommandError(f"There is no folder {path.parent} to write {what} in.")
    return path


def output_write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc


def _cannot_write(path: Path, exc: OSError) -> CommandError:
    return CommandError(f"Cannot write {path}: {exc.strerror or exc}.")
