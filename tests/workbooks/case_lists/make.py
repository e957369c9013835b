"""Write the made-up case list used by the sampling tests, as cases.csv and cases.xlsx.

Forty case files of an invented partnership, with the columns a performance team sends:
case_ref, area (an area code: NTH, STH or WST), team and repeat_plan ("repeat child protection
plan within two years": yes or no). No names, nothing real. The two files hold the same rows,
so that a draw from either gives the same sample (the .xlsx's own bytes, and so its
checksum, change each time it is written: openpyxl stamps the time).

Run from the project's root: `.venv/bin/python tests/workbooks/case_lists/make.py`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["case_ref", "area", "team", "repeat_plan"]
AREAS = ["NTH", "STH", "WST"]  # groups first appear in this order
TEAMS = ["Assessment", "Child Protection", "Children in Care", "Early Help"]


def rows() -> list[list[str]]:
    result = []
    for i in range(40):
        area = AREAS[(i * 7 // 5) % 3]  # uneven groups: 13, 13 and 14 case files
        team = TEAMS[(i * 3) % 4]
        repeat = "yes" if i % 3 == 0 else "no"
        result.append([f"C-{1001 + i}", area, team, repeat])
    return result


def main() -> None:
    data = rows()
    # Excel's "CSV UTF-8" writes a byte-order mark; so do we.
    with (HERE / "cases.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(data)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "cases"
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    workbook.save(HERE / "cases.xlsx")


if __name__ == "__main__":
    main()
