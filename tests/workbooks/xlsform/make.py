"""Write the XLSForms the XLSForm tests read (WORKBOOKS.md §6), laid out as KoboToolbox writes
them when a form is downloaded as XLS: sheets survey, choices and settings, KoboToolbox's own
`$kuid`/`$autoname` columns, the `start` and `end` metadata rows every new Kobo form has.

- `practitioner_survey.xlsx`: a simple survey (select_one, select_multiple, text, integer,
  date) with a settings sheet that names its kind;
- `case_audit_groups.xlsx`: groups, `relevant`, `required`, a `note` and `hint`s, no kind;
- `family_feedback_bilingual.xlsx`: `label::English (en)` and `label::Cymraeg (cy)`, hints in
  both, `points` on choices, a `factors` column, the Welsh title (`title_cy`) on settings;
- `refused.xlsx`: a `repeat`, a `calculate`, a `constraint` and a relevant we cannot carry.

Every name and place is invented. Run from the project's root:
`.venv/bin/python tests/workbooks/xlsform/make.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def write(name: str, sheets: dict[str, list[list[Any]]]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(HERE / name)


KOBO_META = [["start", "start", "", "", "", "a1b2c3"], ["end", "end", "", "", "", "d4e5f6"]]

SIMPLE: dict[str, list[list[Any]]] = {
    "survey": [
        ["type", "name", "label", "required", "hint", "$kuid"],
        *KOBO_META,
        ["select_one agency", "agency", "Which agency do you work for?", "true", "", "k1"],
        [
            "select_multiple routes",
            "routes",
            "Where have you heard about learning from reviews?",
            "false",
            "Choose all that apply.",
            "k2",
        ],
        ["integer", "years", "How many years have you worked with children?", "", "", "k3"],
        ["date", "last_training", "When did you last have safeguarding training?", "", "", "k4"],
        ["text", "change", "What has changed in your practice?", "", "", "k5"],
    ],
    "choices": [
        ["list_name", "name", "label", "$kuid"],
        ["agency", "police", "Police", "c1"],
        ["agency", "health", "Health", "c2"],
        ["agency", "council", "Local authority", "c3"],
        ["routes", "briefing", "Learning briefings", "c4"],
        ["routes", "supervision", "Supervision", "c5"],
        ["routes", "training", "Training", "c6"],
    ],
    "settings": [
        ["form_title", "form_id", "version", "kind"],
        ["Practitioner survey 2026", "PS_KOBO", "vK2026a", "practitioner_survey"],
    ],
}

GROUPS: dict[str, list[list[Any]]] = {
    "survey": [
        ["type", "name", "label", "hint", "required", "relevant", "appearance", "$autoname"],
        *[[*row[:2], "", "", "", "", "", row[1]] for row in KOBO_META],
        ["begin_group", "recognition", "Recognition of need", "", "", "", "field-list", ""],
        [
            "note",
            "grade_note",
            "Grade the agency's own record, not the whole case.",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "select_one grade",
            "Q1",
            "How well was the child's need recognised?",
            "Outstanding means every need was seen early.",
            "yes",
            "",
            "",
            "Q1",
        ],
        [
            "text",
            "Q2",
            "What needed to happen sooner?",
            "",
            "",
            "${Q1} = '1' or ${Q1} = '2'",
            "multiline",
            "Q2",
        ],
        ["end_group", "", "", "", "", "", "", ""],
        ["begin_group", "learning", "Learning", "", "", "", "", ""],
        ["select_multiple routes", "Q3", "Where was learning shared?", "", "true", "", "", "Q3"],
        [
            "text",
            "Q4",
            "What did the briefing change?",
            "",
            "",
            "selected(${Q3}, 'briefing')",
            "",
            "Q4",
        ],
        ["select_one yn", "Q5", "Was the plan reviewed on time?", "", "", "", "", "Q5"],
        ["text", "Q6", "Why not?", "", "", "${Q5} != 'yes'", "", "Q6"],
        ["end_group", "", "", "", "", "", "", ""],
    ],
    "choices": [
        ["list_name", "name", "label"],
        ["grade", "4", "Outstanding"],
        ["grade", "3", "Good"],
        ["grade", "2", "Requires improvement"],
        ["grade", "1", "Inadequate"],
        ["routes", "briefing", "Learning briefings"],
        ["routes", "supervision", "Supervision"],
        ["yn", "yes", "Yes"],
        ["yn", "no", "No"],
    ],
    "settings": [["form_title", "form_id"], ["Case-file audit", "FA_KOBO"]],
}

BILINGUAL: dict[str, list[list[Any]]] = {
    "survey": [
        [
            "type",
            "name",
            "label::English (en)",
            "label::Cymraeg (cy)",
            "hint::English (en)",
            "hint::Cymraeg (cy)",
            "required",
            "factors",
        ],
        [
            "begin_group",
            "about",
            "About the help you had",
            "Am y cymorth a gawsoch",
            "",
            "",
            "",
            "",
        ],
        [
            "select_one agree",
            "F1",
            "Did people listen to you?",
            "Wnaeth pobl wrando arnoch chi?",
            "Think about the last three months.",
            "Meddyliwch am y tri mis diwethaf.",
            "yes",
            "SF1",
        ],
        [
            "select_one agree",
            "F2",
            "Did things get better?",
            "Wnaeth pethau wella?",
            "",
            "",
            "yes",
            "SF2:2",
        ],
        ["text", "F3", "What would you change?", "Beth fyddech chi'n ei newid?", "", "", "", ""],
        ["end_group", "", "", "", "", "", "", ""],
    ],
    "choices": [
        ["list_name", "name", "label::English (en)", "label::Cymraeg (cy)", "points"],
        ["agree", "yes", "Yes, always", "Ydyn, bob amser", 2],
        ["agree", "sometimes", "Sometimes", "Weithiau", 1],
        ["agree", "no", "No", "Na", 0],
        ["agree", "dont_know", "I don't know", "Dwi ddim yn gwybod", None],
    ],
    "settings": [
        ["form_title", "title_cy", "form_id", "default_language", "kind"],
        ["Family feedback", "Adborth teuluoedd", "FF_KOBO", "English (en)", "family_feedback"],
    ],
}

REFUSED: dict[str, list[list[Any]]] = {
    "survey": [
        ["type", "name", "label", "constraint", "relevant", "calculation"],
        ["text", "name_of_team", "Which team are you in?", "", "", ""],
        ["begin_repeat", "visits", "Visits", "", "", ""],
        ["date", "visit_date", "Date of the visit", "", "", ""],
        ["end_repeat", "", "", "", "", ""],
        ["integer", "children", "How many children live at home?", ". < 20", "", ""],
        ["calculate", "double", "", "", "", "${children} * 2"],
        ["text", "why", "Why?", "", "${children} > 3", ""],
    ],
    "choices": [["list_name", "name", "label"]],
    "settings": [["form_title", "form_id", "kind"], ["Home visits", "HV_KOBO", "file_audit"]],
}


def main() -> None:
    write("practitioner_survey.xlsx", SIMPLE)
    write("case_audit_groups.xlsx", GROUPS)
    write("family_feedback_bilingual.xlsx", BILINGUAL)
    write("refused.xlsx", REFUSED)


if __name__ == "__main__":
    main()
