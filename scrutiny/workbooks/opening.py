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
sizes its zip declares (a zip bomb: more than MAX_UNPACKED_RATIO times the file's own size) are
checked, each refusal saying what to do instead.

Whitespace: the XML parser keeps a cell's text whole until its row ends, and openpyxl keeps each
row it has read (cleared) with the whitespace that follows it, so padding a sheet with megabytes
of whitespace, inside a cell or between elements, would make memory grow with it. Every XML part
is read through `_WhitespaceBounded`: whitespace alone between two tags is dropped (cell text is
stripped when read, so nothing read changes), and a run of whitespace longer than a cell can hold
is refused. Peak memory is then bounded whatever the padding (tests/scrutiny/
test_workbooks_memory.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal, cast

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook

from scrutiny.errors import ApplicationError

WorkbookFile = str | Path | IO[bytes]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# An .xlsx is a zip of XML. Four to one is usual for sheets, and 20,000 rows of one answer
# repeated reach 17; far more is a zip bomb. The sizes a zip declares bound what is read: zipfile
# stops at the declared size and checks the CRC.
MAX_UNPACKED_RATIO = 100
# And whatever the file's size, no more than this many times the largest file accepted.
MAX_UNPACKED_OVER_LIMIT = 20
# Excel holds at most 32,767 characters in a cell: a longer run of whitespace is not a workbook
# as Excel writes it.
MAX_WHITESPACE_RUN = 32_767

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
    if uncompressed > size * MAX_UNPACKED_RATIO:
        raise ApplicationError(
            f"The workbook unpacks to {_megabytes(uncompressed)}, {uncompressed // size} times "
            f"its own size ({_megabytes(size)}); a workbook saved by Excel unpacks to at most "
            f"{MAX_UNPACKED_RATIO} times. It may be damaged or built to overload the server. "
            "Open it in Excel and save it again (File → Save As → Excel Workbook (.xlsx)), then "
            "import that file; if it still fails, send it to the business unit."
        )
    if uncompressed > limit * MAX_UNPACKED_OVER_LIMIT:
        raise ApplicationError(
            f"The workbook unpacks to {_megabytes(uncompressed)}, more than this installation "
            f"reads ({_megabytes(limit * MAX_UNPACKED_OVER_LIMIT)}). Split it into smaller "
            "workbooks and import each."
        )


def xlsx_refuse(handle: IO[bytes]) -> None:
    """Refuse, as `workbook_open` does, an open file that is not an .xlsx within the limits
    (size, zip bomb); the handle is left at offset 0."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    _refuse_if_not_xlsx(handle, size)


_WHITESPACE_OR_NOT = re.compile(rb"[ \t\r\n]+|[^ \t\r\n]+")
_CHUNK = 64 * 1024


class _WhitespaceBounded(io.RawIOBase):
    """An XML part read with whitespace alone between tags dropped and long runs refused."""

    def __init__(self, raw: IO[bytes], name: str) -> None:
        self._raw = raw
        self._name = name
        self._pending = bytearray()  # whitespace not yet known to be text or between tags
        self._after_tag = False
        self._out = bytearray()
        self._done = False

    def readable(self) -> bool:
        return True

    def _filter(self, chunk: bytes) -> None:
        for match in _WHITESPACE_OR_NOT.finditer(chunk):
            token = match.group()
            if token[0] in b" \t\r\n":
                self._pending += token
                if len(self._pending) > MAX_WHITESPACE_RUN:
                    raise ApplicationError(
                        f"The workbook's part {self._name} holds a run of more than "
                        f"{MAX_WHITESPACE_RUN:,} spaces or line breaks, more than a cell can "
                        "hold: it was not saved by Excel, or was changed after. " + _XLSX_ADVICE
                    )
                continue
            if self._pending and not (self._after_tag and token[0] == ord("<")):
                self._out += self._pending
            self._pending.clear()
            self._out += token
            self._after_tag = token[-1] == ord(">")

    def read(self, size: int | None = -1) -> bytes:
        limit = -1 if size is None else size
        whole = limit < 0
        while (whole or len(self._out) < limit) and not self._done:
            chunk = self._raw.read(_CHUNK)
            if chunk:
                self._filter(chunk)
            else:
                self._done = True  # whitespace after the last tag is dropped
        data = bytes(self._out if whole else self._out[:limit])
        del self._out[: len(data)]
        return data

    def close(self) -> None:
        self._raw.close()
        super().close()


class _BoundedArchive:
    """The workbook's zip as openpyxl reads it, every XML part through _WhitespaceBounded."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive

    def __getattr__(self, name: str) -> object:
        return getattr(self._archive, name)

    def open(
        self, name: str | zipfile.ZipInfo, mode: Literal["r", "w"] = "r", **kwargs: Any
    ) -> IO[bytes]:
        handle = self._archive.open(name, mode, **kwargs)
        member = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if mode == "r" and member.endswith((".xml", ".rels")):
            # A raw stream, not typeshed's IO[bytes]: openpyxl only reads and closes it.
            return cast(IO[bytes], _WhitespaceBounded(handle, member))
        return handle

    def read(self, name: str | zipfile.ZipInfo) -> bytes:
        with self.open(name) as handle:
            return handle.read()


def _load(handle: IO[bytes]) -> Workbook:
    """openpyxl's load_workbook(read_only=True, data_only=False, keep_links=False), reading the
    zip's XML parts through _BoundedArchive."""
    reader = ExcelReader(handle, read_only=True, data_only=False, keep_links=False)
    reader.archive = _BoundedArchive(reader.archive)
    reader.read()
    return reader.wb


def unreadable(what: str, exc: BaseException) -> ApplicationError:
    """The error for a file that cannot be parsed; XML refused for safety says so."""
    if isinstance(exc, ApplicationError):
        return exc
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
            workbook = _load(handle)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise unreadable("The workbook", exc) from None
        try:
            yield workbook
        finally:
            workbook.close()
    finally:
        if owned:
            handle.close()
