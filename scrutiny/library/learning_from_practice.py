"""The "Learning from Practice" scrutiny the templates' factor links are written for.

Its six success factors (DOMAIN.md) are what the templates' questions count for. The library
ships them as a starter scrutiny workbook (WORKBOOKS.md §1): import it with `import_scrutiny`,
then add templates with `library import`, and their factor links fit as they are.
"""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook

from scrutiny.workbooks.writing import sheet_write

FACTORS: tuple[tuple[str, str], ...] = (
    ("SF1", "Practitioners know the key learning from local and national practice reviews."),
    ("SF2", "Learning reaches every agency through routes practitioners actually use."),
    ("SF3", "Case files show that learning is embedded in practice."),
    ("SF4", "Supervisors reinforce learning; practitioners feel safe to challenge and escalate."),
    ("SF5", "Review actions are tracked to completion and their impact on children is checked."),
    ("SF6", "Leaders use the voices of children, families and practitioners to set priorities."),
)

PRIORITY = "Learning from practice reviews makes a difference for children."

# A slug of its own, so that importing the starter never changes a scrutiny already in use
# (the demo's is `learning-from-practice`). Change the slug and title before importing it.
STARTER_SLUG = "learning-from-practice-starter"
STARTER_TITLE = "Learning from Practice (starter: change this title)"


def scrutiny_workbook() -> Workbook:
    """The starter scrutiny workbook: settings with the default thresholds, and the factors.

    Agencies, areas and roles are left out: they are the partnership's own.
    """
    workbook = Workbook()
    sheet_write(
        workbook,
        title="scrutiny",
        header=("key", "value"),
        rows=[
            ("slug", STARTER_SLUG),
            ("title", STARTER_TITLE),
            ("priority", PRIORITY),
            ("strong_threshold", 75),
            ("some_threshold", 50),
            ("min_responses", 5),
            ("suppression_threshold", 5),
        ],
        widths=(24, 60),
        first=True,
    )
    sheet_write(
        workbook,
        title="success_factors",
        header=("code", "statement"),
        rows=list(FACTORS),
        widths=(10, 90),
    )
    sheet_write(
        workbook,
        title="sources",
        header=("kind", "weight"),
        rows=[
            ("file_audit", 1),
            ("practitioner_survey", 1),
            ("board_questionnaire", 1),
            ("family_feedback", 1),
            ("young_people", 1),
        ],
        widths=(24, 10),
    )
    return workbook
