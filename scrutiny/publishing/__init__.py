"""Publishing to the board: signing off the findings publishes the scrutiny's results.

- `scrutiny_publish` (called by `scrutiny.findings.findings_sign_off`) freezes the event pack's
  data, suppressed and redacted as every output is (`scrutiny.packs.data.pack_data`), as the
  scrutiny's `Publication`; a job renders its PDF from that snapshot and every board member is
  told by email;
- `publication_pdf_current` says whether the PDF was redacted with today's terms (it is served
  only then), and `publications_redact_again` (celery beat) renders again each one that was not;
- `publication_pack` gives the snapshot back for the board's pages and the accessible HTML
  pack (`scrutiny.views.published`), which read it and nothing else.
"""

from scrutiny.publishing.services import (
    publication_notify,
    publication_pack,
    publication_pdf_build,
    publication_pdf_current,
    publication_reading,
    publications_pdf_current,
    publications_redact_again,
    scrutiny_publish,
)

__all__ = [
    "publication_notify",
    "publication_pack",
    "publication_pdf_build",
    "publication_pdf_current",
    "publication_reading",
    "publications_pdf_current",
    "publications_redact_again",
    "scrutiny_publish",
]
