"""The file a command writes, named on its command line. CLI.md: on bad input a command exits
non-zero with a message a person can act on, and changes nothing.

- `output_path` checks the name before the command does anything: a folder that does not exist,
  or a name that is itself a folder, is refused, saying what to give instead;
- `output_write` writes a file made whole in memory first, as `output_stream` writes, an error of
  the file system (no permission, a full disk) refused too;
- `output_stream` is for a file too large to make in memory first (an archive, an event pack):
  written beside its place and moved there at the end, with the same refusal.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.core.management.base import CommandError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


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
    """Write `content`, made whole in memory, to `path` as `output_stream` writes: beside its
    place and moved there, so that a disk filling up leaves the file before it as it was."""
    with output_stream(path) as out:
        out.write(content)


@contextlib.contextmanager
def output_stream(path: Path) -> Iterator[BinaryIO]:
    """The file to write `path`'s content into as it is made. It is written as `.NAME.partial`
    beside its place and moved there when the block ends without an error, so that a failure
    leaves neither a half-written file under the name nor the partial one, and a file already
    of that name as it was. A device or a pipe (/dev/stdout piped on) cannot be moved onto: it
    is written as it goes; a link, through to the file it names (the link stays).

    An error of the file system while writing is refused as `output_write` refuses it; one that
    names another file (a stored file being read, or the other of two files written at once) is
    not this file's, and is left as it came."""
    target = _moved_into(path)
    partial = target.with_name(f".{target.name}.partial") if target else None
    opened = partial or path
    try:
        with _Output(io.FileIO(str(opened), "wb")) as out:
            yield out
        if target and partial:
            os.replace(partial, target)
    except OSError as exc:
        if exc.filename is not None and os.fspath(exc.filename) not in {str(path), str(opened)}:
            raise
        raise _cannot_write(path, exc) from exc
    finally:
        if partial:
            with contextlib.suppress(OSError):
                partial.unlink()


class _Output(io.BufferedWriter):
    """A file whose errors of writing name it, as those of opening it do (a full disk's name
    no file): of two files written at once, the one that failed is the one that says so."""

    def write(self, buffer: ReadableBuffer, /) -> int:
        try:
            return super().write(buffer)
        except OSError as exc:
            exc.filename = exc.filename or self.name
            raise

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            exc.filename = exc.filename or self.name
            raise


def _moved_into(path: Path) -> Path | None:
    """Where the partial file is moved at the end: the file `path` names, through any link;
    None for a device or a pipe, written as it goes."""
    try:
        mode: int | None = path.stat().st_mode
    except OSError:  # not there yet
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        return None
    return Path(os.path.realpath(path))


def _cannot_write(path: Path, exc: OSError) -> CommandError:
    return CommandError(f"Cannot write {path}: {exc.strerror or exc}.")
