"""The file a command writes where the person names it (CLI.md): a folder, a folder that is not
there, a full disk, a name too long, a file too large for the disk: each is a message a person
can act on, never a traceback, and changes nothing: no half-written file under the name asked
for, no `.NAME.partial` beside it, a file already there as it was, and nothing in the database
(no trail entry for an archive that was not written, nothing erased for a download that was
not). The event pack, the DPIA, the archive, the export of responses and the subject access
download; tests/red_team/test_input_files.py has the action plan and the instrument workbook.
"""

from __future__ import annotations

import contextlib
import resource
import stat
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scrutiny.management.output_files import output_write
from scrutiny.models import Finding, TrailEntry
from surveys.models import Invitation
from tests.scrutiny.test_dpia import configured as configured
from tests.scrutiny.test_people_data import INVITEE
from tests.scrutiny.test_people_data import invited as invited
from tests.scrutiny.test_workspace import scrutiny as scrutiny
from tests.surveys.conftest import social_worker as social_worker
from tests.surveys.conftest import survey as survey
from tests.surveys.conftest import survey_scrutiny as survey_scrutiny
from tests.surveys.conftest import survey_tool as survey_tool

pytestmark = pytest.mark.django_db

SLUG = "lfp-2026"  # the workspace's scrutiny (tests/scrutiny/test_workspace.py)
FULL = Path("/dev/full")  # a disk that is always full
needs_full = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (a full disk)")


@contextlib.contextmanager
def files_no_larger_than(size: int) -> Iterator[None]:
    """A disk that takes no file past `size` bytes: a write beyond fails with "File too large"
    (RLIMIT_FSIZE; Python ignores the signal it would send). For the whole process, so only
    around the one command."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def _refused(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    return str(error.value)


def _full_disk_at(path: Path) -> Path:
    """A name in a folder of the test's own that stands for the full disk."""
    path.symlink_to(FULL)
    return path


def _still_the_full_disk(link: Path) -> bool:
    return link.is_symlink() and stat.S_ISCHR(FULL.stat().st_mode)


def _folder(path: Path) -> dict[str, bytes]:
    return {child.name: child.read_bytes() for child in path.iterdir() if child.is_file()}


# ---------------------------------------------------------------------------------------------
# The event pack.


@pytest.mark.parametrize("option", ["--pdf", "--xlsx"])
def test_event_pack_into_a_folder_is_refused_before_anything_is_built(scrutiny, tmp_path, option):
    findings = Finding.objects.count()
    kind = option.removeprefix("--")
    assert _refused("event_pack", SLUG, option, str(tmp_path)) == (
        f"{tmp_path} is a folder: give the name of the file to write the pack in, for example "
        f"{tmp_path / f'pack.{kind}'}."
    )
    assert Finding.objects.count() == findings
    assert list(tmp_path.iterdir()) == []


@needs_full
def test_event_pack_onto_a_full_disk_is_a_command_error(scrutiny):
    for option in ("--pdf", "--xlsx"):
        message = _refused("event_pack", SLUG, option, str(FULL))
        assert message == "Cannot write /dev/full: No space left on device."
    assert stat.S_ISCHR(FULL.stat().st_mode)  # written to, as a device is, never replaced


def test_event_pack_that_fails_half_way_leaves_both_files_as_they_were(scrutiny, tmp_path):
    pdf, xlsx = tmp_path / "pack.pdf", tmp_path / "pack.xlsx"
    pdf.write_bytes(b"last quarter's pack")
    xlsx.write_bytes(b"last quarter's workbook")
    with files_no_larger_than(512):
        message = _refused("event_pack", SLUG, "--pdf", str(pdf), "--xlsx", str(xlsx))
    assert message == f"Cannot write {pdf}: File too large."
    assert _folder(tmp_path) == {
        "pack.pdf": b"last quarter's pack",
        "pack.xlsx": b"last quarter's workbook",
    }
    # With room, both are written over the old ones.
    call_command("event_pack", SLUG, "--pdf", str(pdf), "--xlsx", str(xlsx), stdout=StringIO())
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.read_bytes().startswith(b"PK")
    assert sorted(_folder(tmp_path)) == ["pack.pdf", "pack.xlsx"]


def test_event_pack_refuses_one_file_for_both_the_pdf_and_the_workbook(scrutiny, tmp_path):
    both = tmp_path / "pack"
    message = _refused("event_pack", SLUG, "--pdf", str(both), "--xlsx", str(both))
    assert (
        message == f"--pdf and --xlsx both name {both}: give the PDF and the workbook a file each."
    )
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# The record of processing and DPIA draft.


def test_dpia_into_a_folder_is_a_command_error(configured, tmp_path):
    folder = tmp_path / "dpia.xlsx"
    folder.mkdir()
    assert _refused("dpia", "--output", str(folder)) == (
        f"{folder} is a folder: give the name of the file to write the document in, for "
        f"example {folder / 'dpia.xlsx'}."
    )
    assert list(folder.iterdir()) == []


@needs_full
def test_dpia_onto_a_full_disk_is_a_command_error(configured, tmp_path):
    link = _full_disk_at(tmp_path / "dpia.pdf")
    message = _refused("dpia", "--output", str(link))
    assert message == f"Cannot write {link}: No space left on device."
    assert _still_the_full_disk(link)


# ---------------------------------------------------------------------------------------------
# The archive: written as `.NAME.partial` and moved into place at the end.


def test_archive_into_a_folder_is_refused_before_anything_is_written(partnership, tmp_path):
    folder = tmp_path / "archives"
    folder.mkdir()
    trail = TrailEntry.objects.count()
    assert _refused("archive", "export", str(folder)) == (
        f"{folder} is a folder: give the name of the file to write the archive in, for example "
        f"{folder / f'{partnership.slug}.zip'}."
    )
    assert TrailEntry.objects.count() == trail  # no record of an export that did not happen
    assert [child.name for child in tmp_path.iterdir()] == ["archives"]
    assert list(folder.iterdir()) == []


@needs_full
def test_archive_onto_a_full_disk_records_nothing(council, tmp_path):
    link = _full_disk_at(tmp_path / "fernhill.zip")
    trail = TrailEntry.objects.count()
    message = _refused("archive", "export", str(link))
    assert message == f"Cannot write {link}: No space left on device."
    assert TrailEntry.objects.count() == trail
    assert _still_the_full_disk(link)  # the name still stands for the disk: nothing moved onto it
    assert [child.name for child in tmp_path.iterdir()] == ["fernhill.zip"]


def test_archive_that_fails_half_way_leaves_the_last_one_and_records_nothing(council, tmp_path):
    archive = tmp_path / "fernhill.zip"
    archive.write_bytes(b"last month's archive")
    trail = TrailEntry.objects.count()
    with files_no_larger_than(512):
        message = _refused("archive", "export", str(archive))
    assert message == f"Cannot write {archive}: File too large."
    assert TrailEntry.objects.count() == trail
    assert _folder(tmp_path) == {"fernhill.zip": b"last month's archive"}  # and no partial file


def test_archive_whose_partial_file_name_is_too_long_is_a_command_error(council, tmp_path):
    # 254 characters is a name the file system takes; `.NAME.partial` is not.
    archive = tmp_path / ("x" * 250 + ".zip")
    trail = TrailEntry.objects.count()
    message = _refused("archive", "export", str(archive))
    assert message == f"Cannot write {archive}: File name too long."
    assert TrailEntry.objects.count() == trail
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# The export of responses for analysts.


def _as(fmt: str) -> list[str]:
    return ["--csv"] if fmt == "csv" else []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_responses_into_a_folder_is_a_command_error(scrutiny, tmp_path, fmt):
    trail = TrailEntry.objects.count()
    message = _refused("export_responses", SLUG, "PS", str(tmp_path), *_as(fmt))
    assert message == (
        f"{tmp_path} is a folder: give the name of the file to write the responses in, for "
        f"example {tmp_path / f'PS.{fmt}'}."
    )
    assert TrailEntry.objects.count() == trail
    assert list(tmp_path.iterdir()) == []


@needs_full
def test_export_responses_as_a_workbook_onto_a_full_disk_is_a_command_error(scrutiny):
    message = _refused("export_responses", SLUG, "PS", str(FULL))
    assert message == "Cannot write /dev/full: No space left on device."


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_responses_that_fails_half_way_leaves_the_last_one(scrutiny, tmp_path, fmt):
    out = tmp_path / f"responses.{fmt}"
    out.write_bytes(b"last week's export")
    trail = TrailEntry.objects.count()
    with files_no_larger_than(512):
        message = _refused("export_responses", SLUG, "PS", str(out), *_as(fmt))
    assert message == f"Cannot write {out}: File too large."
    assert TrailEntry.objects.count() == trail  # the export is recorded once it is written
    assert _folder(tmp_path) == {f"responses.{fmt}": b"last week's export"}


# ---------------------------------------------------------------------------------------------
# The subject access download, written before anything is erased.


def test_subject_access_into_a_folder_is_refused_before_anything_is_erased(invited, tmp_path):
    message = _refused("subject_access", INVITEE, "--erase", "--output", str(tmp_path))
    assert message == (
        f"{tmp_path} is a folder: give the name of the file to write the download in, for "
        f"example {tmp_path / 'held.json'}."
    )
    assert Invitation.objects.filter(pk=invited.pk).exists()
    assert list(tmp_path.iterdir()) == []


def test_subject_access_into_a_folder_that_is_not_there_is_a_command_error(invited, tmp_path):
    message = _refused("subject_access", INVITEE, "--output", str(tmp_path / "no" / "held.json"))
    assert message == f"There is no folder {tmp_path / 'no'} to write the download in."


@needs_full
def test_subject_access_onto_a_full_disk_erases_nothing(invited):
    message = _refused("subject_access", INVITEE, "--erase", "--output", str(FULL))
    assert message == "Cannot write /dev/full: No space left on device."
    assert Invitation.objects.filter(pk=invited.pk).exists()


def test_a_file_made_in_memory_that_fails_half_way_leaves_the_last_one(tmp_path):
    """A file made whole in memory first (the DPIA, a subject access download, the delivery
    plan) is still written beside its place and moved there: a disk that fills up part way
    leaves the file before it whole, and no partial file."""
    target = tmp_path / "dpia.xlsx"
    target.write_bytes(b"the last one" * 100)
    with files_no_larger_than(4096), pytest.raises(CommandError) as refused:
        output_write(target, b"x" * 10_000)
    assert str(refused.value) == f"Cannot write {target}: File too large."
    assert target.read_bytes() == b"the last one" * 100
    assert [path.name for path in tmp_path.iterdir()] == ["dpia.xlsx"]
