"""Everything out, everything in: a partnership's whole archive (`manage.py archive`).

One zip, laid out as docs/archive.md says: `manifest.json`; `data/<app_label>.<model>.json`,
every carried table's rows of the partnership in Django's fixture layout with primary keys kept
(the data of record, which a restore loads); `workbooks/`, the same data as the workbooks people
already use; `files/`, the stored files as they are in MEDIA_ROOT.

- `scope`: the table of every model of the installation, carried (and how its rows are found)
  or left out (and why);
- `data`: writing the data of record, with what must not leave the installation taken out;
- `copies`: the workbooks and stored files;
- `members`: the layout's names, the manifest, and members written with their SHA-256;
- `export`: `archive_export`; `checking` and `restore`: `archive_import`.
"""

from scrutiny.archive.export import ExportSummary, archive_export
from scrutiny.archive.members import FORMAT, FORMAT_VERSION
from scrutiny.archive.restore import RestoreSummary, archive_import

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ExportSummary",
    "RestoreSummary",
    "archive_export",
    "archive_import",
]
