"""The DPIA starter (docs/dpia.md): the record of processing and a draft data protection impact
assessment, written from the partnership's own configuration, as a workbook or a PDF."""

from scrutiny.dpia.build import dpia_document
from scrutiny.dpia.document import DpiaDocument, Section, Table
from scrutiny.dpia.pdf import render_dpia_pdf
from scrutiny.dpia.xlsx import render_dpia_xlsx

RENDERERS = {
    "xlsx": (render_dpia_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (render_dpia_pdf, "application/pdf"),
}

__all__ = [
    "RENDERERS",
    "DpiaDocument",
    "Section",
    "Table",
    "dpia_document",
    "render_dpia_pdf",
    "render_dpia_xlsx",
]
