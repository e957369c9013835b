"""Pages for setting up a scrutiny, reading and previewing its instruments, and workbooks.

`setup` holds the scrutinies' pages (list, set up, import, detail, settings), `instruments` an
instrument's pages (import, add, detail, workbook, responses import, preview), and `form_pages`
what their forms share. The pages are re-exported here, the names `scrutiny/urls.py` gives them
(`scrutinies.scrutiny_list`, `scrutinies.instrument_detail` …). The builder's pages (changing an
instrument's questions and lists) are in views/instrument_builder.py.
"""

from scrutiny.views.scrutinies.instruments import (
    instrument_detail,
    instrument_import,
    instrument_new,
    instrument_preview,
    instrument_workbook,
    responses_import,
)
from scrutiny.views.scrutinies.setup import (
    scrutiny_detail,
    scrutiny_edit,
    scrutiny_import,
    scrutiny_list,
    scrutiny_new,
)

__all__ = [
    "instrument_detail",
    "instrument_import",
    "instrument_new",
    "instrument_preview",
    "instrument_workbook",
    "responses_import",
    "scrutiny_detail",
    "scrutiny_edit",
    "scrutiny_import",
    "scrutiny_list",
    "scrutiny_new",
]
