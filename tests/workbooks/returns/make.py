"""Write the made-up survey returns used by the returns tests (WORKBOOKS.md §5), laid out exactly
as the tools write their exports:

- microsoft-forms.xlsx: Microsoft Forms' "Open results in Excel": ID, Start time, Completion
  time, Email, Name, Last modified time, then each question's text; multiple choice joined with
  `;` and a trailing `;`.
- surveymonkey.csv and surveymonkey.xlsx: SurveyMonkey's "All responses data" export with its
  two-row header: Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address,
  First Name, Last Name, Custom Data 1, then the questions; row 2 says "Response" or
  "Open-Ended Response" under a question, and a multiple-choice question has a column per option
  with the option's text on row 2 (the question's text only over the first). Dates in
  SurveyMonkey's US order with AM/PM.
- google-forms.csv: Google Forms' "Download responses (.csv)": Timestamp, Email Address, then
  the questions' texts; checkboxes joined with ", ". A UK account's timestamps (DD/MM/YYYY).
- excel-semicolons.csv: a list saved by Excel as "CSV (Comma delimited)" where the separator is
  a semicolon, in Windows-1252 (not UTF-8), columns by question code and cells by label.

Every respondent is invented: names and emails under example.org, addresses from the
documentation range 192.0.2.0/24. The questions (`QUESTIONS`, `OPTIONS`) are those of the
practitioner survey the tests build (tests/scrutiny/test_returns.py).

Run from the project's root: `.venv/bin/python tests/workbooks/returns/make.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

# code, type, text, option list
QUESTIONS = (
    ("Q1", "single", "How confident are you in recognising neglect?", "confidence"),
    ("Q2", "multiple", "Where have you heard about learning from reviews?", "routes"),
    ("Q3", "text", "What one thing would help you most?", ""),
    ("Q4", "number", "How many years have you worked with children and families?", ""),
)
OPTIONS = {
    "confidence": (
        ("4", "Very confident", 4.0),
        ("3", "Fairly confident", 3.0),
        ("2", "Not very confident", 2.0),
        ("1", "Not at all confident", 1.0),
    ),
    "routes": (
        ("briefing", "Learning briefings", None),
        ("supervision", "Supervision", None),
        ("training", "Training, courses or conferences", None),
        ("team", "Team meetings", None),
    ),
}
TEXTS = [text for _, _, text, _ in QUESTIONS]
ROUTES = [label for _, label, _ in OPTIONS["routes"]]

# The three respondents' answers, by label, and who they are (dropped on import).
PEOPLE = (
    ("Jo Bloggs", "jo.bloggs@example.org", "192.0.2.10"),
    ("Sam Hartley", "sam.hartley@example.org", "192.0.2.11"),
    ("Priya Okafor", "priya.okafor@example.org", "192.0.2.12"),
)
ANSWERS: tuple[tuple[str, list[str], str, str], ...] = (
    ("Fairly confident", ["Learning briefings", "Training, courses or conferences"],
     "Time for reflective supervision \u2013 and a café-style drop-in", "6"),
    ("Very confident", ["Supervision", "Team meetings"], "Shorter briefings, sent monthly", "12"),
    ("Not very confident", [], "", "2"),
)  # fmt: skip
STARTED = (
    dt.datetime(2024, 1, 15, 10, 2, 11),
    dt.datetime(2024, 1, 16, 14, 30, 0),
    dt.datetime(2024, 7, 3, 9, 15, 40),
)
FINISHED = [start + dt.timedelta(minutes=7, seconds=34) for start in STARTED]


def microsoft_forms() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"])
    sheet["G1"], sheet["H1"], sheet["I1"], sheet["J1"] = TEXTS
    for n, ((name, email, _), answers) in enumerate(zip(PEOPLE, ANSWERS, strict=True)):
        q1, q2, q3, q4 = answers
        routes = "".join(f"{label};" for label in q2) or None
        sheet.append(
            [n + 1, STARTED[n], FINISHED[n], email, name, None, q1, routes, q3 or None, q4]
        )
    workbook.save(HERE / "microsoft-forms.xlsx")


def _us(moment: dt.datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def surveymonkey_rows() -> list[list[str]]:
    meta = [
        "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
        "Email Address", "First Name", "Last Name", "Custom Data 1",
    ]  # fmt: skip
    first = [*meta, TEXTS[0], TEXTS[1], "", "", "", TEXTS[2], TEXTS[3]]
    second = [""] * len(meta) + ["Response", *ROUTES, "Open-Ended Response", "Response"]
    rows = [first, second]
    for n, ((name, email, address), answers) in enumerate(zip(PEOPLE, ANSWERS, strict=True)):
        q1, q2, q3, q4 = answers
        given, family = name.split(" ", 1)
        row = [str(11802749120 + n), "405123456", _us(STARTED[n]), _us(FINISHED[n]), address]
        row += [email, given, family, "", q1, *[r if r in q2 else "" for r in ROUTES], q3, q4]
        rows.append(row)
    return rows


def surveymonkey() -> None:
    rows = surveymonkey_rows()
    with (HERE / "surveymonkey.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet"
    for row in rows:
        sheet.append([cell or None for cell in row])
    workbook.save(HERE / "surveymonkey.xlsx")


def google_forms() -> None:
    with (HERE / "google-forms.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Timestamp", "Email Address", *TEXTS])
        for n, ((_, email, _), answers) in enumerate(zip(PEOPLE, ANSWERS, strict=True)):
            q1, q2, q3, q4 = answers
            moment = FINISHED[n].strftime("%d/%m/%Y %H:%M:%S")
            writer.writerow([moment, email, q1, ", ".join(q2), q3, q4])


def excel_semicolons() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["ref", "submitted", "Q1", "Q2", "Q3", "Q4"])
    for n, (q1, q2, q3, q4) in enumerate(ANSWERS):
        day = FINISHED[n].strftime("%d/%m/%Y")
        writer.writerow([f"PS-{n + 1:03d}", day, q1, "; ".join(q2), q3, q4])
    (HERE / "excel-semicolons.csv").write_bytes(buffer.getvalue().encode("cp1252"))


def main() -> None:
    microsoft_forms()
    surveymonkey()
    google_forms()
    excel_semicolons()


if __name__ == "__main__":
    main()
