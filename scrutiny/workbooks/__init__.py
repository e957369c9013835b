"""Workbooks: scrutinies, instruments and responses in Excel (WORKBOOKS.md §1-3).

Every import is all-or-nothing and reports every error with its sheet, row and column; importing
the same workbook again changes nothing; every export writes the same format back, so a workbook
survives a round trip. How files are opened safely: `opening`; sheets and cells read: `reading`;
every error of an import gathered: `problems`; how text is kept from becoming a formula:
`writing`.

The workbooks, a module each: `scrutinies` (with sheet `scrutiny` in `scrutiny_settings`),
`instruments`, `responses` (its sheet's conventions in `response_sheet`, reading a row in
`response_rows`), and `lists` (case and invitation lists, read as tables by `list_tables`). The
public names below are re-exported here: `from scrutiny.workbooks import responses_import`.
"""

from scrutiny.workbooks.instruments import (
    instrument_from_workbook,
    instrument_import,
    instrument_to_workbook,
)
from scrutiny.workbooks.lists import case_list_read, invitation_list_read
from scrutiny.workbooks.opening import workbook_max_bytes
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
