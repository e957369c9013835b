"""`manage.py scores SLUG [--json]`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.scrutiny.test_scoring_builders import WORKED_JSON, build_worked_example, make_scrutiny

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("scores", *args, stdout=out)
    return out.getvalue()


def test_json_is_the_published_document(partnership):
    build_worked_example(partnership)
    assert json.loads(run("learning-from-practice", "--json")) == WORKED_JSON


def test_table_is_suppressed_too(partnership):
    build_worked_example(partnership)
    table = run("learning-from-practice")
    assert table.splitlines()[:4] == [
        "Learning from Practice (learning-from-practice)",
        "",
        "SF1  Practitioners know the key learning from practice reviews",
        "    score 61.7   Some evidence   n 15",
    ]
    assert "    sources:  case-file audits 59.3 (n 3); practitioner survey 66.7 (n 12)" in table
    assert "    agencies: EDU fewer than 5; FHC 40.6 (n 6); POL fewer than 5" in table
    assert "    areas:    NTH 64.8 (n 8); STH 62.8 (n 6)" in table
    assert "    score no evidence   Insufficient evidence   n 0" in table
    assert "77.8" not in table  # EDU's hidden score


def test_unknown_slug_lists_the_scrutinies(partnership):
    make_scrutiny(partnership, slug="neglect-2024")
    make_scrutiny(partnership, slug="early-help-2023")
    with pytest.raises(CommandError) as error:
        run("learning-from-practise", "--json")
    assert str(error.value) == (
        "There is no scrutiny 'learning-from-practise'. Scrutinies: early-help-2023, neglect-2024."
    )
