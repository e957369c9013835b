"""Opening workbooks safely: refusing what is not an .xlsx, or is too big, before reading it.

Every workbook is opened with `load_workbook(read_only=True, data_only=False)`:

- read_only streams rows, so memory does not grow with the workbook;
- openpyxl parses the XML with defusedxml when it is installed (it is a dependency), so entity
  expansion ("billion laughs") and external entities are refused;
- openpyxl never evaluates formulas. We read with data_only=False so that a formula shows as
  a formula and is refused with the cell named (`scrutiny.workbooks.reading`): with
  data_only=True a formula would silently give the value Excel last cached for it, or nothing
  at all for a workbook written by a program that does not calculate, and evidence must be the
  values a person sees and means.

Before that, the file's size, its first bytes (an old .xls, a CSV, an OpenDocument file) and the
sizes its zip declares (a zip bomb) are checked, each refusal saying what to do instead.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from scrutiny.errors import ApplicationError

WorkbookFile = str | Path | IO[bytes]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# An .xlsx is a zip of XML. Ten to one is usual for sheets; far more is a zip bomb. The sizes a
# zip declares bound what is read: zipfile stops at the declared size and checks the CRC.
MAX_UNCOMPRESSED_RATIO = 20

_XLSX_ADVICE = "In Excel use File → Save As → Excel Workbook (.xlsx), then import that file."


def workbook_max_bytes() -> int:
    return int(getattr(settings, "WORKBOOK_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _source_bytes_head(file: WorkbookFile) -> tuple[IO[bytes], int, bool]:
    """An open binary file at offset 0, its size, and whether we opened it (and must close)."""
    if isinstance(file, str | Path):
        path = Path(file)
        if not path.is_file():
            raise ApplicationError(f"There is no file {path}: check the name and the folder.")
        return path.open("rb"), path.stat().st_size, True
    size = getattr(file, "size", None)
    if hasattr(file, "seek") and (not hasattr(file, "seekable") or file.seekable()):
        if size is None:
            file.seek(0, io.SEEK_END)
            size = file.tell()
        file.seek(0)
        return file, int(size), False
    # A stream we cannot rewind: read it, but never more than the limit allows.
    data = file.read(workbook_max_bytes() + 1)
    return io.BytesIO(data), len(data), True


def _refuse_if_not_xlsx(handle: IO[bytes], size: int) -> None:
    limit = workbook_max_bytes()
    if size > limit:
        raise ApplicationError(
            f"The file is {_megabytes(size)}; the largest workbook this installation accepts is "
            f"{_megabytes(limit)} (setting WORKBOOK_MAX_BYTES). Split it into smaller workbooks "
            "and import each."
        )
    head = handle.read(8)
    handle.seek(0)
    if not head:
        raise ApplicationError("The file is empty. " + _XLSX_ADVICE)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicationError(
            "This is an Excel 97-2003 workbook (.xls) or a password-protected workbook, which "
            "cannot be read. Remove any password, then "
            + _XLSX_ADVICE[0].lower()
            + _XLSX_ADVICE[1:]
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ApplicationError(
            "The file is not an Excel workbook (.xlsx); a CSV or text file cannot be imported "
            "here. " + _XLSX_ADVICE
        )
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ApplicationError(
            "The file is damaged or not an Excel workbook (.xlsx). " + _XLSX_ADVICE
        ) from None
    finally:
        handle.seek(0)
    if "[Content_Types].xml" not in names:
        hint = " (it looks like an OpenDocument spreadsheet)" if "mimetype" in names else ""
        raise ApplicationError(f"The file is not an Excel workbook (.xlsx){hint}. " + _XLSX_ADVICE)
    if uncompressed > limit * MAX_UNCOMPRESSED_RATIO:
        raise ApplicationError(
            f"The workbook unpacks to {_megabytes(uncompressed)}, more than this installation "
            f"reads ({_megabytes(limit * MAX_UNCOMPRESSED_RATIO)}). Split it into smaller "
            "workbooks and import each."
        )


def unreadable(what: str, exc: BaseException) -> ApplicationError:
    """The error for a file that cannot be parsed; XML refused for safety says so."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return ApplicationError(
                f"{what} could not be read: it holds XML that is refused for safety "
                f"({seen.__class__.__name__}), which Excel never writes. " + _XLSX_ADVICE
            )
        seen = seen.__cause__ or seen.__context__
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return ApplicationError(
        f"{what} could not be read: it is damaged or not a workbook as Excel writes it "
        f"({exc.__class__.__name__}{': ' + detail if detail else ''}). " + _XLSX_ADVICE
    )


@contextmanager
def workbook_open(file: WorkbookFile) -> Iterator[Workbook]:
    """Open an .xlsx to read, refusing anything else with a message saying what to do."""
    handle, size, owned = _source_bytes_head(file)
    try:
        _refuse_if_not_xlsx(handle, size)
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise unreadable("The workbook", exc) from None
        try:
            yield workbook
        finally:
            workbook.close()
    finally:
        if owned:
            handle.close()
