"""Write the made-up delivery plan used by the plan import tests, as annual-report-plan.xlsx.

Laid out as partnerships publish the delivery plan in their annual report (WORKBOOKS.md §7): two
title rows and a key line above the header; the header Priority, Outcome, Action, Timescale,
Group responsible, Update, RAG; three priorities, each cell of a priority and of an outcome
merged down its rows (so only the first row of each holds it, the rest blank); actions numbered
through the whole plan ("1. …" to "9. …"); RAG as letters and words mixed (B, Green, a, R,
"Amber"); timescales as dates, months ("March 2027"), financial quarters ("Q4 2026-27") and
"Ongoing"; and "Measuring impact:" and "Related work:" lines, merged across the table, under
each priority. Responsible: a subgroup, or an agency of the test partnership (Fernhill Council
is FHC, Fernhill Police is POL in tests/conftest.py). Everything is invented.

Run from the project's root: `.venv/bin/python tests/workbooks/plans/make.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
FILE = HERE / "annual-report-plan.xlsx"
HEADER = ["Priority", "Outcome", "Action", "Timescale", "Group responsible", "Update", "RAG"]

# (priority, [(outcome, [(action, timescale, responsible, update, rag)])], impact, related)
PLAN = [
    (
        "Neglect",
        [
            (
                "Children living with neglect are identified early",
                [
                    (
                        "1. Launch the neglect toolkit across all agencies",
                        dt.date(2026, 3, 31),
                        "Neglect Subgroup",
                        "Toolkit launched in January; 420 practitioners trained.",
                        "B",
                    ),
                    (
                        "2. Audit the use of the toolkit in early help assessments",
                        "March 2027",
                        "Fernhill Council",
                        "Audit tool agreed; first sample drawn.",
                        "Green",
                    ),
                ],
            ),
            (
                "Practitioners recognise the impact of neglect on older children",
                [
                    (
                        "3. Deliver adolescent neglect briefings to secondary schools",
                        "Q4 2026-27",
                        "Learning and Development Subgroup",
                        "Two of six briefings held; dates set for the rest.",
                        "a",
                    ),
                ],
            ),
        ],
        "Measuring impact: repeat child protection plans for neglect fall year on year; "
        "audits show the toolkit used in most assessments.",
        "Related work: the Early Help Strategy 2025-2028.",
    ),
    (
        "Child exploitation",
        [
            (
                "Children at risk of exploitation are safer",
                [
                    (
                        "4. Review the multi-agency exploitation panel's terms of reference",
                        "30/09/2026",
                        "POL",
                        "Draft terms circulated to partners.",
                        "Amber",
                    ),
                    (
                        "5. Map the places where children go missing from home",
                        "Ongoing",
                        "Exploitation Subgroup",
                        "",
                        "G",
                    ),
                    (
                        "6. Train taxi drivers and hotel staff to spot exploitation",
                        "December 2026",
                        "Fernhill Council",
                        "Licensing team has not yet agreed the training.",
                        "R",
                    ),
                ],
            ),
        ],
        "Measuring impact: fewer children go missing more than three times in a year.",
        "",
    ),
    (
        "Safeguarding children under 1",
        [
            (
                "Babies are safe from non-accidental injury",
                [
                    (
                        "7. Roll out the safer sleep message in antenatal classes",
                        "Q2 2026-27",
                        "Health Subgroup",
                        "In place at both maternity units.",
                        "Blue: complete",
                    ),
                    (
                        "8. Offer the ICON programme to every new father",
                        dt.date(2027, 3, 31),
                        "Health Subgroup",
                        "Commissioning under way.",
                        "green",
                    ),
                ],
            ),
            (
                "Pre-birth assessments start early enough",
                [
                    (
                        "9. Agree a pre-birth protocol with midwifery and children's social care",
                        "June 2026",
                        "FHC",
                        "Protocol in final draft.",
                        "A",
                    ),
                ],
            ),
        ],
        "Measuring impact: pre-birth assessments completed by 28 weeks rise to 80%.",
        "Related work: the Family Hubs programme; the Infant Mental Health pathway.",
    ),
]


def write(path: Path = FILE) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Business plan 2025-27"
    sheet.append(["Fernhill Safeguarding Children Partnership: Annual Report 2025-26"])
    sheet.append(["Appendix 2: Business plan 2025-2027, progress at March 2026"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["Key: B = Complete; G = On track; A = At risk; R = Off track"])
    sheet.append(HEADER)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for priority, outcomes, impact, related in PLAN:
        first_of_priority = sheet.max_row + 1
        for outcome, actions in outcomes:
            first_of_outcome = sheet.max_row + 1
            for action in actions:
                sheet.append(["", "", *action])
            sheet.cell(row=first_of_outcome, column=2, value=outcome)
            if len(actions) > 1:
                sheet.merge_cells(
                    start_row=first_of_outcome,
                    start_column=2,
                    end_row=sheet.max_row,
                    end_column=2,
                )
        sheet.cell(row=first_of_priority, column=1, value=priority)
        sheet.merge_cells(
            start_row=first_of_priority, start_column=1, end_row=sheet.max_row, end_column=1
        )
        for line in (impact, related):
            if line:
                sheet.append([line])
                sheet.merge_cells(
                    start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=7
                )
    for row in sheet.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(f"Wrote {write()}")
