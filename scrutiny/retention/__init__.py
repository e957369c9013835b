"""Retention: each kind of personal data removed or anonymised once past the partnership's
period (`Partnership.retain_*`), keeping what the partnership must keep: signed-off findings
frozen with their data, scores, packs and the action plan. docs/data-protection.md says what
each kind means and what happens to it.

`retention_run(partnership=..., now=...)` runs one partnership (the daily beat task and
`manage.py retention` run every one through `retention_run_all`).
"""

from scrutiny.retention.periods import Cutoffs, months_before
from scrutiny.retention.report import (
    ANONYMISED,
    KEPT,
    KINDS,
    REMOVED,
    RetentionLine,
    RetentionReport,
)
from scrutiny.retention.run import platform_trail_expire, retention_run, retention_run_all

__all__ = [
    "ANONYMISED",
    "KEPT",
    "KINDS",
    "REMOVED",
    "Cutoffs",
    "RetentionLine",
    "RetentionReport",
    "months_before",
    "platform_trail_expire",
    "retention_run",
    "retention_run_all",
]
