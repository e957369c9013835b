"""Issue 19, import memory flat for a workbook Excel wrote: each piece of a big sheet is given
only the shared strings its rows use (`scrutiny.workbooks.shared_strings`), in their places, and
reads exactly as the sheet read whole and as the careful reader (openpyxl) reads it.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook

from scrutiny.errors import ApplicationError
from scrutiny.workbooks import fast_sheet, sheet_pieces, xml_scan
from scrutiny.workbooks.fast_sheet import first_sheet_open
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.shared_strings import SharedStrings
from tests.scrutiny.test_sheet_pieces import (
    SHEET,
    _careful_read,
    _in_pieces,
    _read,
    _rewritten,
    _scanned,
    _xlsxwriter_file,
    small_pieces_fixture,  # noqa: F401 - a fixture
)

ROOT = Path(__file__).resolve().parents[2]
STRINGS = "xl/sharedStrings.xml"
HEAD = b'<?xml version="1.0"?>\n<sst xmlns="urn:main" count="9" uniqueCount="5">'
ENTRIES = [b"<si><t>a</t></si>", b"<si><t>b</t></si>", b"<si/>", b"<si><t>d</t></si>"]
ENTRIES.append(b'<si><r><t>e</t></r><r><t xml:space="preserve"> f</t></r></si>')
XML = HEAD + b"".join(ENTRIES) + b"</sst>"


def _rows(*values: bytes) -> bytes:
    cells = b"".join(b'<c r="A%d" t="s"><v>%s</v></c>' % (n, v) for n, v in enumerate(values, 1))
    return b'<row r="1">' + cells + b"</row>"


def test_a_piece_gets_its_rows_strings_in_their_places_and_none_after():
    """Hand-worked: rows using strings 3 and 1 get strings 0 and 2 as empty places, 1 and 3 as
    written, and nothing after 3. A number cell's whole value (4) is taken for a string too
    (calamine does not use it), and so is a number past the last string (99, nothing to give).
    Calamine reads a value that is not all digits as string 0 (its parse takes digits only), so
    a decimal (2.5) gives string 0, and its digits (25) are taken too, as are those of a value
    with a sign or spaces, should a later calamine read them as a number."""
    strings = SharedStrings.read(XML, b"")
    assert strings is not None and len(strings) == 5
    assert strings.for_rows(_rows(b"3", b"1")) == HEAD + b"<si/>" + ENTRIES[1] + b"<si/>" + (
        ENTRIES[3] + b"</sst>"
    )
    numbers = b'<row r="2"><c r="A2"><v>4</v></c><c r="B2"><v>2.5</v></c><c r="C2"><v>99</v></c>'
    assert strings.for_rows(numbers + b"</row>") == HEAD + ENTRIES[0] + b"<si/>" * 3 + (
        ENTRIES[4] + b"</sst>"
    )
    assert strings.for_rows(b"") == HEAD + b"</sst>"
    assert strings.for_rows(_rows(b"-1", b"1")) == HEAD + ENTRIES[0] + ENTRIES[1] + b"</sst>"
    assert strings.for_rows(_rows(b" 3 ", b"+01")) == HEAD + ENTRIES[0] + ENTRIES[1] + (
        b"<si/>" + ENTRIES[3] + b"</sst>"
    )
    assert strings.for_rows(_rows(b"18446744073709551616")) == HEAD + ENTRIES[0] + b"</sst>"


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A1" t="s"><v xml:space="preserve">2</v></c>',
        b'<c r="A1" t="s"><v a=">">2</v></c>',
        b'<c r="A1" t="s"><v>2</v ></c>',
        b'<c r="A1" t="s"><x:v xmlns:x="urn:main">2</x:v></c>',
        b'<c r="A1" t="s"><v/></c>',
    ],
)
def test_a_value_element_written_otherwise_gets_every_string(cell):
    strings = SharedStrings.read(XML, b"")
    assert strings is not None
    rows = b'<row r="1">' + cell + b'<c r="B1" t="s"><v>3</v></c></row>'
    assert strings.for_rows(rows) == XML


def test_a_value_written_with_an_entity_gets_every_string():
    strings = SharedStrings.read(XML, b"")
    assert strings is not None
    assert strings.for_rows(_rows(b"&#51;")) == XML


@pytest.mark.parametrize(
    "xml",
    [
        b"<table/>",  # not shared strings
        HEAD + b"</sst>",  # none
        HEAD + b"<?pi <si><t>x</t></si>?>" + b"".join(ENTRIES) + b"</sst>",
        HEAD.replace(b"<sst", b"<?pi <si/>?><sst") + b"".join(ENTRIES) + b"</sst>",
        HEAD + ENTRIES[0] + b"<si><t>unclosed</t>" + ENTRIES[1] + b"</sst>",
        HEAD + b"".join(ENTRIES),  # no end
        # Strings of two prefixes for one namespace: calamine counts both.
        HEAD.replace(b"xmlns=", b'xmlns:x="urn:main" xmlns=')
        + ENTRIES[0]
        + b"<x:si><x:t>b</x:t></x:si>"
        + b"".join(ENTRIES[2:])
        + b"</sst>",
    ],
)
def test_shared_strings_laid_out_otherwise_are_not_given_in_part(xml):
    assert SharedStrings.read(xml, b"") is None


def test_prefixed_shared_strings_and_a_prefixed_sheet():
    xml = XML.replace(b"<s", b"<x:s").replace(b"</s", b"</x:s").replace(b"xmlns=", b"xmlns:x=")
    strings = SharedStrings.read(xml, b"w:")
    assert strings is not None and len(strings) == 5
    rows = b'<w:row r="1"><w:c r="A1" t="s"><w:v>1</w:v></w:c></w:row>'
    second = ENTRIES[1].replace(b"<s", b"<x:s").replace(b"</s", b"</x:s")
    assert strings.for_rows(rows) == xml[: xml.index(b"<x:si>")] + b"<x:si/>" + second + (
        b"</x:sst>"
    )


def _many_comments(rows: int) -> io.BytesIO:
    """Written as Excel writes it: a different long comment in every row, in shared strings."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("responses")
    sheet.write_row(0, 0, ["comment", "n", "grade"])
    for row in range(1, rows + 1):
        comment = f"Comment {row}: " + "what the practitioner saw " * 4
        sheet.write_row(row, 0, [comment, row, ["good", "requires improvement"][row % 2]])
    workbook.close()
    out.seek(0)
    return out


def test_a_sheet_of_different_comments_is_read_in_pieces_holding_few_strings(monkeypatch):
    """The memory promise: 12,000 rows of different comments (1.1 MB of sheet, 1.3 MB of shared
    strings, more than an eighth of PIECE_MAX: every string with every piece would cost more
    than reading the sheet whole) are read in pieces of 100 KB, each holding the strings of its
    own rows: the biggest piece is a small part of the strings, and the rows are what openpyxl
    reads."""
    file = _many_comments(12_000)
    with zipfile.ZipFile(file) as archive:
        strings = archive.getinfo(STRINGS).file_size
        sheet = archive.getinfo(SHEET).file_size
    assert sheet > sheet_pieces.PIECE_MIN and strings > sheet_pieces.PIECE_MAX / 8
    monkeypatch.setattr(sheet_pieces, "PIECE_MIN", 100_000)
    monkeypatch.setattr(sheet_pieces, "_STEP", 50_000)
    assert _in_pieces(file) > 10
    _, rows, _, given, biggest = _read(file)
    assert given > 10 and biggest < strings / 3
    assert rows == _careful_read(file)
    comment = ("Comment 12000: " + "what the practitioner saw " * 4).strip()
    assert rows[-1] == (12_001, [comment, 12_000, "good"])


def _reordered(xml: bytes) -> tuple[bytes, dict[int, int]]:
    """The shared strings in reverse, as a workbook edited over years may hold them."""
    entries = re.findall(rb"<si>.*?</si>", xml)
    head = xml[: xml.index(b"<si>")]
    return head + b"".join(reversed(entries)) + b"</sst>", {
        n: len(entries) - 1 - n for n in range(len(entries))
    }


def test_strings_in_any_order_rich_text_and_empty_ones_read_as_openpyxl_reads(small_pieces):
    file = _xlsxwriter_file(300)
    expected = _read(file)[1]
    xml = zipfile.ZipFile(file).read(STRINGS)
    reordered, moved = _reordered(xml)
    file = _rewritten(file, lambda _: reordered, part=STRINGS)
    file = _rewritten(
        file,
        lambda sheet: re.sub(
            rb'(t="s"><v>)(\d+)(</v>)',
            lambda m: m.group(1) + b"%d" % moved[int(m.group(2))] + m.group(3),
            sheet,
        ),
    )
    assert _in_pieces(file) > 10
    assert _read(file)[1] == expected == _careful_read(file)
    # The last string made rich text, and an empty string before it, used by row 300's cells.
    rich = b'<si><r><t>R</t></r><r><rPr><b/></rPr><t xml:space="preserve">ich 300 </t></r>'
    rich += b'<rPh sb="0" eb="1"><t>phonetic, not read</t></rPh></si>'
    changed = _rewritten(
        file, lambda x: x.replace(b"</sst>", b"<si><t/></si>" + rich + b"</sst>"), part=STRINGS
    )
    count = len(re.findall(rb"<si>", reordered))
    changed = _rewritten(
        changed,
        lambda sheet: re.sub(
            rb'(<c r="B300" t="s"><v>)\d+</v></c><c r="C300"[^>]*><v>[^<]*</v></c>',
            rb'\g<1>%d</v></c><c r="C300" t="s"><v>%d</v></c>' % (count + 1, count),
            sheet,
        ),
    )
    assert b'<c r="C300" t="s">' in zipfile.ZipFile(changed).read(SHEET)
    rows = _read(changed)[1]
    assert dict(rows)[300][1:3] == ["Rich 300", None]
    assert rows == _careful_read(changed)


def test_shared_strings_laid_out_otherwise_go_whole_with_each_piece(small_pieces):
    file = _xlsxwriter_file(300)
    expected = _read(file)[1]

    def two_prefixes(xml: bytes) -> bytes:
        first = re.search(rb"<si>(.*?)</si>", xml)
        assert first is not None
        xml = xml.replace(first.group(), b"<x:si>" + first.group(1) + b"</x:si>", 1)
        return xml.replace(b"<sst xmlns=", b'<sst xmlns:x="' + MAIN + b'" xmlns=', 1)

    odd = _rewritten(file, two_prefixes, part=STRINGS)
    assert b"<x:si>" in zipfile.ZipFile(odd).read(STRINGS)
    with zipfile.ZipFile(odd) as archive:
        plan = fast_sheet._pieces_plan(archive, _scanned(odd))
    assert plan is not None
    parts, _, strings = plan
    assert strings is None and parts.strings is None and STRINGS in parts.shared
    assert _in_pieces(odd) > 10
    assert _read(odd)[1] == expected == _careful_read(odd)


def test_a_false_count_of_shared_strings_goes_to_the_careful_reader():
    """Calamine makes room for as many strings as the part says it holds before reading one: a
    count of a hundred billion would end the process. A count more than the part could hold
    (each string takes at least `<si/>`) sends the file to the careful reader, which reads it
    as it would any other."""
    file = _xlsxwriter_file(300)
    expected = _read(file)[1]
    xml = zipfile.ZipFile(file).read(STRINGS)
    count = len(re.findall(rb"<si>", xml))
    assert re.search(rb'uniqueCount="%d"' % count, xml)
    most = len(xml) // 5 + 1
    for claimed, plain in [(count, True), (most, True), (most + 1, False), (10**11, False)]:
        said = _rewritten(
            file,
            lambda x, c=claimed: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="%d"' % c, x),
            part=STRINGS,
        )
        assert (xml_scan.scan(said) is not None) is plain, claimed
        if plain or claimed < 10**9:
            assert _read(said)[1] == expected
    # However written: single quotes, spaces, twice, a value not all digits, a "<" in an
    # attribute before it, or within another root element (calamine reads any <sst>).
    for written in [
        b"uniqueCount = '99999999999'",
        b'uniqueCount="7" uniqueCount="99999999999"',
        b'uniqueCount="&#49;0"',
        b'a="<" uniqueCount="99999999999"',
        b'uniqueCount="0000000000007"',
    ]:
        said = _rewritten(file, lambda x, w=written: re.sub(rb'uniqueCount="\d+"', w, x), STRINGS)
        assert xml_scan.scan(said) is None, written
    nested = _rewritten(
        file,
        lambda x: x.replace(b"<sst ", b'<x><sst uniqueCount="99999999999" ').replace(
            b"</sst>", b"</sst></x>"
        ),
        STRINGS,
    )
    assert xml_scan.scan(nested) is None


@pytest.mark.parametrize("chunk", [1024, 1031, 1100, 1201])
def test_a_count_is_read_whole_across_the_edge_of_a_chunk(chunk, monkeypatch):
    """The scan keeps the end of each chunk for the next: a count cut by a chunk's edge is
    judged whole, the true one let through and the false one refused, wherever the edge."""
    monkeypatch.setattr(xml_scan, "_CHUNK", chunk)
    file = _xlsxwriter_file(40)

    def moved(count: bytes, padding: int):
        def change(xml: bytes) -> bytes:
            xml = re.sub(rb' uniqueCount="\d+"', b"", xml)
            filler = b"<si><t>%s</t></si>" % (b"p" * padding)  # the count near an edge
            return xml.replace(b"</sst>", filler + b'<x uniqueCount="%s"/></sst>' % count)

        return change

    for padding in range(900, 940, 3):
        true = _rewritten(file, moved(b"%d" % 5, padding), STRINGS)
        false = _rewritten(file, moved(b"9" * 11, padding), STRINGS)
        assert xml_scan.scan(true) is not None and xml_scan.scan(false) is None


def _renamed(file: io.BytesIO, old: str, new: str) -> io.BytesIO:
    """The file with a part under another name, its relationship and content type following."""
    out = io.BytesIO()
    old_target, new_target = old.removeprefix("xl/").encode(), new.removeprefix("xl/").encode()
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(old_target, new_target)
            dst.writestr(new if info.filename == old else info.filename, data)
    out.seek(0)
    file.seek(0)
    return out


def test_parts_calamine_reads_under_any_name_are_scanned():
    """Calamine finds the shared strings in any case, and a sheet wherever the workbook's
    relationships say: a false count or a formula there goes to the careful reader too."""
    file = _xlsxwriter_file(40)
    upper = _renamed(file, STRINGS, "xl/sharedStrings.XML")
    scanned = xml_scan.scan(upper)
    assert scanned is not None and "xl/sharedStrings.XML" in scanned
    false = _rewritten(
        upper,
        lambda x: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="99999999999"', x),
        "xl/sharedStrings.XML",
    )
    assert xml_scan.scan(false) is None
    elsewhere = _renamed(file, SHEET, "xl/worksheets/first.dat")
    scanned = xml_scan.scan(elsewhere)
    assert scanned is not None and scanned["xl/worksheets/first.dat"] == b""
    assert _read(elsewhere)[1] == _read(file)[1]
    formula = _rewritten(
        elsewhere,
        lambda x: x.replace(b"</row>", b'<c r="Z3"><f>1+1</f><v>2</v></c></row>', 1),
        "xl/worksheets/first.dat",
    )
    assert xml_scan.scan(formula) is None


def test_processing_instructions_are_passed_and_a_root_is_found_after_them(monkeypatch):
    """Programs write no processing instruction in the parts calamine reads, but SharePoint
    writes one in a custom part (`<?mso-contentType?>`): the scan lets them pass, finds a
    worksheet's root after them and after padding, and sees its formula. Shared strings with
    one go whole with each piece (`SharedStrings.read`), and read as the careful reader reads
    them."""
    file = _xlsxwriter_file(300)
    expected = _read(file)[1]
    with_pi = _rewritten(file, lambda x: x.replace(b"</sst>", b"<?pi <si/>?></sst>"), STRINGS)
    assert xml_scan.scan(with_pi) is not None
    assert SharedStrings.read(zipfile.ZipFile(with_pi).read(STRINGS), b"") is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sheet_pieces, "PIECE_MIN", 700)
        patch.setattr(sheet_pieces, "SHARED_TIMES", 0)
        patch.setattr(sheet_pieces, "_STEP", 300)
        assert _in_pieces(with_pi) > 10
        assert _read(with_pi)[1] == expected
    formula = b'<c r="Z3"><f>1+1</f><v>2</v></c></row>'
    for before in [b" " * 5000, b"<?mso-contentType?>\n", b'<?a b="?"?> <?c?>']:
        placed = _rewritten(
            file,
            lambda x, b=before: x.replace(b"?>\n<worksheet", b"?>" + b + b"<worksheet"),
        )
        assert before + b"<worksheet" in zipfile.ZipFile(placed).read(SHEET)
        assert _scanned(placed)[SHEET] == b""
        placed = _rewritten(placed, lambda x: x.replace(b"</row>", formula, 1))
        assert xml_scan.scan(placed) is None
    # No root element in the first chunk: what follows is not known.
    monkeypatch.setattr(xml_scan, "_CHUNK", 1024)
    hidden = _rewritten(
        file, lambda x: x.replace(b"?>\n<worksheet", b"?><?pi " + b"x" * 2000 + b"?><worksheet")
    )
    assert xml_scan.scan(hidden) is None
    assert xml_scan.scan(file) is not None


MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="applicat'
    b'ion/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlforma'
    b'ts-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet'
    b'1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+'
    b'xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlform'
    b'ats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
    b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlforma'
    b'ts.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>",
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="' + MAIN + b'" xmlns:r="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" '
    b'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schem'
    b'as.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/she'
    b'et1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}
STRINGS_XML = (
    b'<?xml version="1.0"?><sst xmlns="'
    + MAIN
    + b'" uniqueCount="6">'
    + b"".join(b"<si><t>s%d</t></si>" % n for n in range(6))
    + b"</sst>"
)


def _calamine(strings: bytes, rows: bytes) -> Any:
    """The cells calamine reads from a workbook of these shared strings and sheet rows."""
    out = io.BytesIO()
    sheet = b'<?xml version="1.0"?><worksheet xmlns="' + MAIN + b'"><sheetData>' + rows
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in PACKAGE.items():
            archive.writestr(name, data)
        archive.writestr(SHEET, sheet + b"</sheetData></worksheet>")
        archive.writestr(STRINGS, strings)
    out.seek(0)
    try:
        return CalamineWorkbook.from_filelike(out).get_sheet_by_index(0).to_python()
    except CalamineError as error:
        return f"refused: {error}"


@pytest.mark.parametrize(
    "value",
    [
        b"2",
        b"002",
        b" 2 ",
        b"+2",
        b"-1",
        b"2.0",
        b"x",
        b"",
        b"1_0",
        b"&#50;",
        b"18446744073709551616",
    ],
)
@pytest.mark.parametrize(
    "tag", [b"<v>%s</v>", b'<v xml:space="preserve">%s</v>', b"<v>%s</v >", b'<v a=">">%s</v>']
)
def test_calamine_reads_each_value_from_a_piece_as_from_the_whole(tag, value):
    """Whatever a string cell's value, calamine reads the same from the piece's part as from
    the whole part: the string it names, string 0 for what it cannot read as a number, or the
    same refusal. Another cell, string 4, is in the piece's rows too (so that places before it
    are made empty)."""
    rows = b'<row r="1"><c r="A1" t="s">' + tag % value + b'</c><c r="B1" t="s"><v>4</v></c>'
    rows += b'<c r="C1"><v>5.5</v></c></row>'
    strings = SharedStrings.read(STRINGS_XML, b"")
    assert strings is not None
    part = strings.for_rows(rows)
    assert _calamine(part, rows) == _calamine(STRINGS_XML, rows)
    if tag == b"<v>%s</v>" and value == b"2":
        # Strings 1 and 3 not used; string 0 given for the decimal, 5 not (nothing after 4).
        assert part.count(b"<si/>") == 2 and part.endswith(b"<si><t>s4</t></si></sst>")


def _central(file: io.BytesIO, name: str, offset: int, value: bytes) -> io.BytesIO:
    """The file with bytes of a part's entry in the zip's central directory changed: its flags
    at 8, its method at 10, its size unpacked at 24."""
    data = bytearray(file.getvalue())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name.encode():
            data[at + offset : at + offset + len(value)] = value
            return io.BytesIO(bytes(data))
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


def test_a_count_is_judged_against_the_bytes_read_not_the_size_declared():
    """Zipfile does not check that a part is as long as the zip declares: a 40-byte table of
    strings declared 100 MB long may not claim 20 million strings."""
    file = io.BytesIO()
    with (
        zipfile.ZipFile(_xlsxwriter_file(40)) as src,
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == STRINGS:
                data = b'<?xml version="1.0"?><sst uniqueCount="20000000"><si/></sst>'
            dst.writestr(info.filename, data)
    assert xml_scan.scan(io.BytesIO(file.getvalue())) is None  # 20 million in 61 bytes
    honest = _rewritten(
        io.BytesIO(file.getvalue()), lambda x: x.replace(b"20000000", b"1"), STRINGS
    )
    assert xml_scan.scan(honest) is not None
    lying = _central(file, STRINGS, 24, (100_000_000).to_bytes(4, "little"))
    assert zipfile.ZipFile(lying).getinfo(STRINGS).file_size == 100_000_000
    assert zipfile.ZipFile(lying).read(STRINGS).endswith(b"</sst>")  # zipfile reads it
    assert xml_scan.scan(lying) is None


@pytest.mark.parametrize(
    "damage",
    [
        (8, b"\x01\x00"),  # encrypted: zipfile asks for a password (RuntimeError)
        (10, b"\x63\x00"),  # compression method 99 (NotImplementedError)
    ],
)
def test_a_part_zipfile_cannot_open_goes_to_the_careful_reader(damage):
    file = _central(_xlsxwriter_file(40), SHEET, *damage)
    assert xml_scan.scan(file) is None
    with (
        pytest.raises(ApplicationError, match="could not be read"),
        first_sheet_open(file, Problems()),
    ):
        pass


def test_a_damaged_stream_goes_to_the_careful_reader():
    file = io.BytesIO()
    with (
        zipfile.ZipFile(_xlsxwriter_file(40)) as src,
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    data = bytearray(file.getvalue())
    info = zipfile.ZipFile(file).getinfo(SHEET)
    start = info.header_offset + 30 + len(SHEET) + len(info.extra)
    data[start + 10 : start + 60] = b"\xff" * 50  # the deflate stream, broken
    assert xml_scan.scan(io.BytesIO(bytes(data))) is None


def test_processing_instructions_are_read_in_linear_time():
    """Each processing instruction ends at its first "?>": a chunk of many (or of "<?" without
    an end) is judged in one pass. Two hundred read two ways each would never end, so the judging
    runs in a process of its own, given a minute."""
    script = (
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "django.setup()\n"
        "from scrutiny.workbooks.xml_scan import _root\n"
        "assert _root(b'<?a?>' * 200 + b'x') is None\n"
        "assert _root(b'<?' * 500_000) is None\n"
        "assert _root(b'<?a?> <?b c=\"?\"?>\\n<worksheet>') == b''\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, timeout=60, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
