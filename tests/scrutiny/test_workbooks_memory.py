"""A hostile workbook cannot make the server unpack or hold far more than the file it sent.

scrutiny/workbooks/opening.py: the unpacked size is bounded by MAX_UNPACKED_RATIO times the
file's own size, and whitespace padding, inside a cell or between elements, does not raise peak
memory (measured with tracemalloc, which sees the XML parser's allocations too).
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import Workbook

from scrutiny.errors import ApplicationError
from scrutiny.workbooks import opening
from scrutiny.workbooks.opening import MAX_UNPACKED_RATIO, MAX_WHITESPACE_RUN, workbook_open
from tests.scrutiny.test_workbooks_support import saved

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024
# Reading the 400-row sheet below takes under 1 MB at its peak, padded or not.
PEAK_BOUND = 2 * MB


def _sheet(rows: int = 400) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(["code", "value", "comment"])
    for number in range(rows):
        workbook.active.append([f"Q{number}", number, f"comment {number}"])
    return saved(workbook)


def _rewrite(file: io.BytesIO, change: Callable[[bytes], bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == SHEET else data)
    out.seek(0)
    return out


def _unpacked(file: io.BytesIO) -> int:
    with zipfile.ZipFile(file) as archive:
        size = sum(info.file_size for info in archive.infolist())
    file.seek(0)
    return size


def _read_all(file: io.BytesIO) -> tuple[list[tuple[object, ...]], int]:
    """Every row's values, text stripped as scrutiny.workbooks.reading does, and the peak
    memory of reading them."""
    tracemalloc.start()
    try:
        with workbook_open(file) as workbook:
            rows = [
                tuple(value.strip() if isinstance(value, str) else value for value in row)
                for row in workbook.active.iter_rows(values_only=True)
            ]
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_is_refused_by_its_ratio_to_the_file():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (20 * MB))
    bomb.seek(0)
    assert _unpacked(bomb) > MAX_UNPACKED_RATIO * len(bomb.getvalue())
    with pytest.raises(ApplicationError) as error:
        _read_all(bomb)
    message = str(error.value)
    assert "unpacks to 20.0 MB" in message
    assert f"a workbook saved by Excel unpacks to at most {MAX_UNPACKED_RATIO} times" in message
    assert "save it again (File → Save As → Excel Workbook (.xlsx))" in message


def test_a_large_repetitive_workbook_is_within_the_ratio():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for _ in range(20_000):
        sheet.append(["R1", "Council", "Yes", "No", "Partly", "Agreed"])
    file = saved(workbook)
    assert _unpacked(file) < MAX_UNPACKED_RATIO * len(file.getvalue()) / 3
    rows, _ = _read_all(file)
    assert len(rows) == 20_000


@pytest.fixture
def no_ratio_check(monkeypatch):
    """Padding compresses so well that the ratio check would refuse it first; these tests are
    about what reading costs once a file is past that check."""
    monkeypatch.setattr(opening, "MAX_UNPACKED_RATIO", 10**9)


GAP = b" \n" * (MAX_WHITESPACE_RUN // 2)


@pytest.mark.usefixtures("no_ratio_check")
@pytest.mark.parametrize(
    "pad",
    [
        pytest.param(lambda d: d.replace(b"</row>", b"</row>" + GAP), id="between rows"),
        pytest.param(lambda d: d.replace(b"</c>", b"</c>" + GAP), id="between cells"),
        pytest.param(lambda d: d.replace(b"</v>", GAP + b"</v>"), id="inside values"),
        pytest.param(lambda d: d.replace(b"<t>", b'<t xml:space="preserve">' + GAP), id="in text"),
    ],
)
def test_whitespace_padding_does_not_raise_peak_memory(pad):
    plain, plain_peak = _read_all(_sheet())
    padded = _rewrite(_sheet(), pad)
    assert _unpacked(padded) > 10 * MB
    rows, peak = _read_all(padded)
    assert peak < PEAK_BOUND, f"{peak / MB:.1f} MB"
    assert plain_peak < PEAK_BOUND
    # What is read is what the cells hold, once each cell's text is stripped (as reading does).
    assert rows == plain


@pytest.mark.usefixtures("no_ratio_check")
def test_a_run_of_whitespace_longer_than_a_cell_is_refused_early():
    padded = _rewrite(_sheet(), lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" " * 8 * MB))
    tracemalloc.start()
    try:
        with pytest.raises(ApplicationError) as error, workbook_open(padded) as workbook:
            list(workbook.active.iter_rows(values_only=True))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BOUND
    assert "xl/worksheets/sheet1.xml holds a run of more than 32,767 spaces" in str(error.value)
    assert "Save As" in str(error.value)
