"""A delivery plan exported in Welsh, or in both languages, imports as the same plan (issue 18):
the import knows the export's Welsh headings, RAG words, key line and priority lines, taken from
the same translated strings (scrutiny/plan/importing_read.py `export_words`)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from scrutiny.models import Action
from scrutiny.packs.plan import plan_columns, render_plan_xlsx
from scrutiny.packs.words import document_languages
from scrutiny.plan.importing import plan_import
from scrutiny.plan.importing_read import export_words, status_from
from scrutiny.plan.selectors import plan_rows
from tests.factories import AgencyFactory, PartnershipFactory
from tests.scrutiny.test_plan_import import _plan
from tests.scrutiny.test_plan_import import agencies as agencies
from tests.scrutiny.test_plan_import import media as media
from tests.workbooks.plans.make import FILE

pytestmark = pytest.mark.django_db


def _export(partnership, language: str) -> io.BytesIO:
    """The plan as `manage.py action_plan --language LANGUAGE --xlsx` writes it."""
    languages = document_languages(language)
    out = io.BytesIO()
    rows = plan_rows(Action.objects.filter(partnership=partnership))
    with translation.override(languages[0]):
        render_plan_xlsx(
            rows,
            title=partnership.name,
            key=partnership.brag_key,
            out=out,
            also=languages[1] if len(languages) > 1 else None,
        )
    out.seek(0)
    return out


@pytest.mark.parametrize(("language", "headers"), [("cy", 1), ("both", 2)])
def test_a_plan_exported_in_welsh_imports_as_the_same_plan(
    partnership, agencies, language, headers
):
    plan_import(partnership=partnership, file=FILE)
    exported = _export(partnership, language)
    rows = list(load_workbook(exported).active.iter_rows(values_only=True))
    assert rows[2][:3] == ("Blaenoriaeth", "Canlyniad", "Cam gweithredu")
    assert rows[1][0].startswith("Allwedd RAG: Glas")
    assert ("Priority" in rows[3]) is (headers == 2)  # "both" repeats the header in English
    cells = [value for row in rows for value in row if isinstance(value, str)]
    assert {"Glas", "Gwyrdd", "Ambr", "Coch"} <= set(cells)
    assert any(cell.startswith("Mesur effaith: ") for cell in cells)
    assert any(cell.startswith("Gwaith cysylltiedig: ") for cell in cells)

    # Into the same plan: nothing changes.
    exported.seek(0)
    again = plan_import(partnership=partnership, file=exported)
    assert not again.changed and again.updates_recorded == 0
    assert again.actions_unchanged == 9
    # Into another partnership's empty plan: the same plan, its priority lines and all.
    other = PartnershipFactory(name="Westmoor Safeguarding Partnership")
    AgencyFactory(partnership=other, code="WMC", name="Fernhill Council")
    AgencyFactory(partnership=other, code="WMP", name="Fernhill Police")
    exported.seek(0)
    plan_import(partnership=other, file=exported)
    assert _plan(other) == _plan(partnership)


def test_the_command_imports_a_plan_exported_in_welsh(partnership, agencies, tmp_path):
    plan_import(partnership=partnership, file=FILE)
    path = tmp_path / "cynllun.xlsx"
    path.write_bytes(_export(partnership, "cy").getvalue())
    out = io.StringIO()
    call_command("import_plan", str(path), stdout=out)
    assert out.getvalue().startswith("Nothing changed:"), out.getvalue()


def test_the_welsh_words_are_the_exports_own():
    words = export_words()
    with translation.override("cy"):
        welsh = plan_columns()
    assert welsh[0] == "Blaenoriaeth" and words.headings["blaenoriaeth"] == "priority"
    assert words.headings["yn_gyfrifol"] == "responsible"
    assert words.colours == {
        "blue": "blue",
        "green": "green",
        "amber": "amber",
        "red": "red",
        "glas": "blue",
        "gwyrdd": "green",
        "ambr": "amber",
        "coch": "red",
    }
    key = {"blue": "Complete", "green": "On track", "amber": "At risk", "red": "Off track"}
    assert status_from("Glas: wedi'i gwblhau", key) == "blue"
    assert status_from("Wedi'i gwblhau", key) == "blue"  # the default words, in Welsh
    assert status_from("Coch", key) == "red"
    assert status_from("Porffor", key) is None
