"""Workbooks: scrutinies, instruments and responses in Excel (WORKBOOKS.md §1-3).

Every import is all-or-nothing and reports every error with its sheet, row and column; importing
the same workbook again changes nothing; every export writes the same format back, so a workbook
survives a round trip. How files are opened safely: `reading`; how text is kept from becoming a
formula: `writing`.
"""

from scrutiny.workbooks.instruments import (
    instrument_from_workbook,
    instrument_import,
    instrument_to_workbook,
)
from scrutiny.workbooks.lists import case_list_read, invitation_list_read
from scrutiny.workbooks.reading import workbook_max_bytes
from scrutiny.workbooks.responses import ImportResult, responses_import, responses_to_workbook
from scrutiny.workbooks.scrutinies import (
    scrutiny_from_workbook,
    scrutiny_import,
    scrutiny_to_workbook,
)

__all__ = [
    "ImportResult",
    "case_list_read",
    "instrument_from_workbook",
    "instrument_import",
    "instrument_to_workbook",
    "invitation_list_read",
    "responses_import",
    "responses_to_workbook",
    "scrutiny_from_workbook",
    "scrutiny_import",
    "scrutiny_to_workbook",
    "workbook_max_bytes",
]
