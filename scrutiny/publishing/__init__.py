"""Publishing to the board: signing off the findings publishes the scrutiny's results.

- `scrutiny_publish` (called by `scrutiny.findings.findings_sign_off`) freezes the event pack's
  data, suppressed and redacted as every output is (`scrutiny.packs.data.pack_data`), as the
  scrutiny's `Publication`; a job renders its PDF from that snapshot and every board member is
  told by email;
- `publication_pack` gives the snapshot back for the board's pages and the accessible HTML
  pack (`scrutiny.views.published`), which read it and nothing else.
"""

from scrutiny.publishing.services import (
    publication_notify,
    publication_pack,
    publication_pdf_build,
    scrutiny_publish,
)

__all__ = [
    "publication_notify",
    "publication_pack",
    "publication_pdf_build",
    "scrutiny_publish",
]
