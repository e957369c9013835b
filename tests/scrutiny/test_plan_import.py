"""Importing an existing delivery plan (WORKBOOKS.md §7, scrutiny/plan/importing*.py): the
layout of an annual report's plan (tests/workbooks/plans/make.py) read whole, saved all or
nothing, every error named by sheet, row and column; importing it twice, or importing the plan's
own export, changes nothing; the page and its job; `manage.py import_plan`."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from scrutiny.errors import ApplicationError
from scrutiny.models import Action, ActionUpdate, Outcome, Priority
from scrutiny.packs.plan import render_plan_xlsx
from scrutiny.plan.importing import plan_import
from scrutiny.plan.importing_dates import timescale_from
from scrutiny.plan.importing_read import split_number, status_from
from scrutiny.plan.selectors import plan_rows
from tests.conftest import client_for
from tests.factories import AgencyFactory, PartnershipFactory
from tests.jobs import through_job as through_job
from tests.workbooks.plans.make import FILE

pytestmark = pytest.mark.django_db
SHEET = "Business plan 2025-27"
KEY = {"blue": "Complete", "green": "On track", "amber": "At risk", "red": "Off track"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A Blue action's evidence (a copy of the workbook) is kept under a folder of the test's."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agencies(council, police):
    return council, police


def _changed(tmp_path: Path, cells: dict[str, object], name: str = "changed.xlsx") -> Path:
    """The annual report's plan with some cells changed (A1-style references)."""
    book = load_workbook(FILE)
    sheet = book.active
    for ref, value in cells.items():
        sheet[ref] = value
    path = tmp_path / name
    book.save(path)
    return path


def _plan(partnership) -> list[tuple]:
    """The plan as its workbook shows it, without which row of the database each action is."""
    return [
        (
            *(r.priority, r.outcome, r.action, r.timescale, r.responsible, r.update, r.rag),
            *(r.measuring_impact, r.related_work),
        )
        for r in plan_rows(Action.objects.filter(partnership=partnership))
    ]


def _export(partnership) -> io.BytesIO:
    out = io.BytesIO()
    rows = plan_rows(Action.objects.filter(partnership=partnership))
    render_plan_xlsx(rows, title=partnership.name, key=partnership.brag_key, out=out)
    out.seek(0)
    return out


# ---------------------------------------------------------------------------------------------
# Cells


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.datetime(2026, 3, 31), dt.date(2026, 3, 31)),
        ("31/03/2027", dt.date(2027, 3, 31)),
        ("March 2027", dt.date(2027, 3, 31)),
        ("Sept 2026", dt.date(2026, 9, 30)),
        ("By end of February 2028", dt.date(2028, 2, 29)),
        ("Q4 2026-27", dt.date(2027, 3, 31)),
        ("Q1 2026/2027", dt.date(2026, 6, 30)),
        ("Q3 2026", dt.date(2026, 9, 30)),  # a calendar quarter
        ("2026-27", dt.date(2027, 3, 31)),
        ("12 June 2026", dt.date(2026, 6, 12)),
        ("Ongoing", None),
        ("ongoing - reviewed each quarter", None),
        ("", None),
        (None, None),
    ],
)
def test_a_timescale_reads_as_the_date_it_gives(cell, expected):
    assert timescale_from(cell) == expected


@pytest.mark.parametrize("cell", ["Spring 2027", "Q4 2026-28", "Smarch 2026", "soon"])
def test_a_timescale_in_other_words_is_refused_saying_what_to_write(cell):
    with pytest.raises(ValueError, match="March 2027"):
        timescale_from(cell)


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("B", "blue"),
        ("r", "red"),
        ("Amber", "amber"),
        ("GREEN", "green"),
        ("Blue: complete", "blue"),
        ("Red - off track", "red"),
        ("Complete", "blue"),  # the partnership's own words for Blue
        ("at risk", "amber"),
        ("Purple", None),
        ("Bl", None),
    ],
)
def test_a_rag_cell_is_a_letter_a_colour_or_the_partnerships_words(cell, status):
    assert status_from(cell, KEY) == status


def test_an_action_may_begin_with_its_number():
    assert split_number("12. Recruit foster carers") == (12, "Recruit foster carers")
    assert split_number("3) Train staff") == (3, "Train staff")
    assert split_number("2026 audit of referrals") == (None, "2026 audit of referrals")
    assert split_number("1.1 Map services") == (None, "1.1 Map services")


# ---------------------------------------------------------------------------------------------
# The annual report's plan


def test_the_annual_reports_plan_is_imported_whole(partnership, agencies):
    council, police = agencies
    done = plan_import(partnership=partnership, file=FILE, name=FILE.name)
    assert (done.priorities_created, done.outcomes_created, done.actions_created) == (3, 5, 9)
    assert str(done).startswith("3 priorities created and 0 updated; 5 outcomes created; 9 ")
    titles = list(Priority.objects.filter(partnership=partnership).values_list("title", flat=True))
    assert titles == ["Neglect", "Child exploitation", "Safeguarding children under 1"]
    neglect = Priority.objects.get(title="Neglect")
    assert neglect.measuring_impact.startswith("repeat child protection plans for neglect fall")
    assert neglect.related_work == "the Early Help Strategy 2025-2028."
    assert Priority.objects.get(title="Child exploitation").related_work == ""
    actions = {a.number: a for a in Action.objects.filter(partnership=partnership)}
    assert sorted(actions) == list(range(1, 10))
    # Blank cells continue the priority and the outcome above them (merged cells).
    assert actions[2].outcome == actions[1].outcome
    assert actions[3].outcome.text == (
        "Practitioners recognise the impact of neglect on older children"
    )
    assert actions[3].outcome.priority == neglect
    assert actions[2].text == "Audit the use of the toolkit in early help assessments"
    statuses = [actions[n].status for n in range(1, 10)]
    assert statuses == ["blue", "green", "amber", "amber", "green", "red", "blue", "green", "amber"]
    timescales = [actions[n].timescale for n in range(1, 10)]
    assert timescales == [
        dt.date(2026, 3, 31),
        dt.date(2027, 3, 31),
        dt.date(2027, 3, 31),
        dt.date(2026, 9, 30),
        None,  # Ongoing
        dt.date(2026, 12, 31),
        dt.date(2026, 9, 30),
        dt.date(2027, 3, 31),
        dt.date(2026, 6, 30),
    ]
    # An agency by its name or its code; anything else is a group.
    assert (actions[2].responsible, actions[4].responsible, actions[9].responsible) == (
        council,
        police,
        council,
    )
    assert (actions[1].responsible, actions[1].responsible_group) == (None, "Neglect Subgroup")
    # Each update is history; a green action with no update has none.
    assert actions[5].updates.count() == 0
    note = actions[6].updates.get()
    assert (note.status, note.note) == ("red", "Licensing team has not yet agreed the training.")
    # Blue with its evidence of impact: the imported workbook.
    blue = actions[7].updates.get()
    assert blue.status == "blue" and blue.evidence_kind == ActionUpdate.Evidence.DOCUMENT
    assert blue.document_name == "annual-report-plan.xlsx"
    assert f"{SHEET}, row 15" in blue.evidence


def test_importing_the_same_plan_twice_changes_nothing(partnership, agencies):
    plan_import(partnership=partnership, file=FILE)
    before = _plan(partnership)
    stamps = list(Action.objects.order_by("pk").values_list("updated_at", flat=True))
    updates = ActionUpdate.objects.count()
    again = plan_import(partnership=partnership, file=FILE)
    assert not again.changed and again.updates_recorded == 0
    assert again.actions_unchanged == 9
    assert _plan(partnership) == before
    assert list(Action.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert ActionUpdate.objects.count() == updates


def test_the_export_carries_what_the_import_reads(partnership, agencies):
    plan_import(partnership=partnership, file=FILE)
    sheet = load_workbook(_export(partnership)).active
    column_a = [row[0] for row in sheet.iter_rows(values_only=True)]
    column_c = [row[2] if len(row) > 2 else None for row in sheet.iter_rows(values_only=True)]
    assert "1. Launch the neglect toolkit across all agencies" in column_c
    assert "9. Agree a pre-birth protocol with midwifery and children's social care" in column_c
    at = column_a.index("Related work: the Early Help Strategy 2025-2028.")
    assert column_a[at - 1].startswith("Measuring impact: repeat child protection plans")
    assert column_a[at + 1] == "Child exploitation"  # the next priority's heading


def test_importing_the_export_gives_the_same_plan(partnership, agencies):
    plan_import(partnership=partnership, file=FILE)
    exported = _export(partnership)
    # Into the same plan: nothing changes.
    again = plan_import(partnership=partnership, file=exported)
    assert not again.changed and again.updates_recorded == 0
    # Into another partnership's empty plan (its agencies named alike): the same plan.
    other = PartnershipFactory(name="Westmoor Safeguarding Partnership")
    AgencyFactory(partnership=other, code="WMC", name="Fernhill Council")
    AgencyFactory(partnership=other, code="WMP", name="Fernhill Police")
    exported.seek(0)
    plan_import(partnership=other, file=exported)
    assert _plan(other) == _plan(partnership)
    assert Priority.objects.get(partnership=other, title="Neglect").related_work == (
        "the Early Help Strategy 2025-2028."
    )


def test_a_changed_plan_updates_its_actions_and_keeps_their_history(
    partnership, agencies, tmp_path
):
    plan_import(partnership=partnership, file=FILE)
    second = Action.objects.get(number=2)
    first_update = second.updates.get()
    changed = _changed(
        tmp_path,
        {
            # Action 2: new words, a new update and Amber: matched by its number.
            "C7": "2. Audit the toolkit's use in early help and social work assessments",
            "F7": "Sample delayed by the case system's upgrade.",
            "G7": "A",
            "D7": "Q1 2027-28",
            # Action 6: the same update, Amber instead of Red.
            "G13": "Amber",
            # A new action under Child exploitation's outcome.
            "C12": "10. Run a summer campaign on exploitation with the bus company",
        },
    )
    done = plan_import(partnership=partnership, file=changed)
    assert (done.actions_created, done.actions_updated, done.actions_unchanged) == (1, 2, 6)
    assert done.updates_recorded == 2  # action 10 is Green with no update: no history yet
    second.refresh_from_db()
    assert second.text == "Audit the toolkit's use in early help and social work assessments"
    assert (second.status, second.timescale) == ("amber", dt.date(2027, 6, 30))
    assert [u.note for u in second.updates.all()] == [
        "Sample delayed by the case system's upgrade.",
        first_update.note,
    ]
    sixth = Action.objects.get(number=6)
    assert [u.status for u in sixth.updates.all()] == ["amber", "red"]
    # Action 5 gave way to action 10 in its row, but no action is deleted.
    assert Action.objects.filter(partnership=partnership).count() == 10


# ---------------------------------------------------------------------------------------------
# Errors: every one named, nothing changed


def test_every_error_is_named_by_sheet_row_and_column_and_nothing_is_imported(
    partnership, agencies, tmp_path
):
    changed = _changed(
        tmp_path,
        {
            "G7": "Purple",
            "D8": "Spring 2027",
            "C12": None,  # a row with no action
            "E13": "=A1",
        },
    )
    with pytest.raises(ApplicationError) as raised:
        plan_import(partnership=partnership, file=changed)
    problems = {(p["sheet"], p["row"], p["column"]) for p in raised.value.extra["problems"]}
    assert problems == {
        (SHEET, 7, "G (RAG)"),
        (SHEET, 8, "D (Timescale)"),
        (SHEET, 12, "C (Action)"),
        (SHEET, 13, "E (Group responsible)"),
    }
    assert "“Purple” is not a RAG status" in str(raised.value)
    assert "“Spring 2027” is not a timescale the plan can read" in str(raised.value)
    assert not Priority.objects.exists() and not Action.objects.exists()


def test_an_action_with_no_outcome_above_it_is_refused(partnership, tmp_path):
    changed = _changed(tmp_path, {"B6": None})
    with pytest.raises(ApplicationError) as raised:
        plan_import(partnership=partnership, file=changed)
    # Both actions of the outcome left blank: the second continues the first's blank.
    places = [(p["row"], p["column"]) for p in raised.value.extra["problems"]]
    assert places == [(6, "B (Outcome)"), (7, "B (Outcome)")]
    assert not Priority.objects.exists() and not Outcome.objects.exists()


def test_a_header_without_a_column_of_the_plan_is_refused(partnership, tmp_path):
    changed = _changed(tmp_path, {"G5": "Status"})
    with pytest.raises(ApplicationError, match="the header has no column RAG"):
        plan_import(partnership=partnership, file=changed)
    with pytest.raises(ApplicationError, match="No sheet of the workbook has the delivery plan"):
        plan_import(partnership=partnership, file=_changed(tmp_path, {"A5": "Theme"}, "b.xlsx"))
    assert not Action.objects.exists()


def test_a_repeated_number_under_a_priority_is_refused(partnership, agencies, tmp_path):
    changed = _changed(tmp_path, {"C7": "1. Audit the toolkit"})
    with pytest.raises(ApplicationError, match="action 1 of “Neglect” is also in row 6"):
        plan_import(partnership=partnership, file=changed)


def test_a_file_that_is_not_a_workbook_is_refused(partnership, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("Priority,Outcome,Action\n")
    with pytest.raises(ApplicationError, match="Excel"):
        plan_import(partnership=partnership, file=path)


# ---------------------------------------------------------------------------------------------
# The page and its job


def test_the_plan_page_links_to_the_import_for_those_who_may_change_the_plan(
    business_unit, board_member
):
    assert reverse("plan-import") in client_for(business_unit).get(reverse("plan")).text
    assert reverse("plan-import") not in client_for(board_member).get(reverse("plan")).text
    page = client_for(business_unit).get(reverse("plan-import"))
    assert page.status_code == 200 and "<h1>Import a delivery plan</h1>" in page.text
    assert client_for(board_member).get(reverse("plan-import")).status_code == 403


def test_a_plan_uploaded_on_the_page_is_imported_by_a_job(
    business_unit, partnership, agencies, through_job
):
    with FILE.open("rb") as handle:
        page = through_job(client_for(business_unit), reverse("plan-import"), {"file": handle})
    assert "<h1>Importing a delivery plan</h1>" in page.text
    assert "Delivery plan imported: 3 priorities created" in page.text
    assert f'href="{reverse("plan")}"' in page.text
    assert Action.objects.filter(partnership=partnership).count() == 9
    update = ActionUpdate.objects.filter(action__number=6).get()
    assert update.by == business_unit


def test_a_plan_with_errors_shows_them_on_the_jobs_page(
    business_unit, partnership, through_job, tmp_path
):
    changed = _changed(tmp_path, {"G7": "Purple"})
    with changed.open("rb") as handle:
        page = through_job(client_for(business_unit), reverse("plan-import"), {"file": handle})
    assert f"sheet {SHEET}, row 7, column G (RAG): “Purple” is not a RAG status" in page.text
    assert "Nothing was imported" in page.text
    assert not Action.objects.exists()


# ---------------------------------------------------------------------------------------------
# The command


def test_the_command_imports_the_plan_and_says_what_it_did(partnership, agencies, tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copy(FILE, path)
    out = io.StringIO()
    call_command("import_plan", str(path), stdout=out)
    assert "Imported plan.xlsx into Fernhill Safeguarding Children Partnership" in out.getvalue()
    assert "9 actions created, 0 updated and 0 left unchanged" in out.getvalue()
    out = io.StringIO()
    call_command("import_plan", str(path), "--partnership", partnership.slug, stdout=out)
    assert out.getvalue().startswith("Nothing changed:")
    assert "9 left unchanged" in out.getvalue()


def test_the_command_refuses_a_plan_with_errors_changing_nothing(partnership, tmp_path):
    changed = _changed(tmp_path, {"D8": "Spring 2027"})
    with pytest.raises(CommandError, match="row 8, column D"):
        call_command("import_plan", str(changed))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_plan", str(tmp_path / "missing.xlsx"))
    assert not Action.objects.exists()


def test_other_work_not_under_a_priority_comes_back_as_it_went(partnership, council):
    from scrutiny.plan.services import ActionData, action_save

    other = action_save(
        partnership=partnership,
        data=ActionData(text="Refresh the partnership's website", responsible=council),
    )
    other.number = 4
    other.save(update_fields=["number"])
    exported = _export(partnership)
    again = plan_import(partnership=partnership, file=exported)
    assert (again.actions_unchanged, again.changed) == (1, False)
    elsewhere = PartnershipFactory(name="Westmoor Safeguarding Partnership")
    AgencyFactory(partnership=elsewhere, code="WMC", name="Fernhill Council")
    exported.seek(0)
    plan_import(partnership=elsewhere, file=exported)
    assert _plan(elsewhere) == _plan(partnership)
    copied = Action.objects.get(partnership=elsewhere)
    assert (copied.number, copied.outcome) == (4, None)
    assert not Priority.objects.filter(partnership=elsewhere).exists()
