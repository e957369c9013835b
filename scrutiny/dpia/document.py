"""The record of processing and DPIA draft as plain data: sections of paragraphs and tables.

Built by `scrutiny.dpia.build.dpia_document` from reads only; rendered by `xlsx.py` and
`pdf.py`, which never query. Every cell is text, so the renderers need no knowledge of what
a section holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# A cell left blank for the data protection officer to fill in.
TO_COMPLETE = ""


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Column widths in characters (the workbook's; the PDF takes them as shares of its page).
    widths: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(
                    f"{self.caption}: a row of {len(row)} cells under a header of "
                    f"{len(self.header)}"
                )


@dataclass(frozen=True)
class Section:
    key: str  # names the section to pages and tests: "collected", "retention", …
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class DpiaDocument:
    title: str
    partnership: str
    written_on: dt.date
    sections: tuple[Section, ...] = field(default_factory=tuple)
    language: str = "en"  # of its title and the renderers' own words ("en" or "cy")

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)
