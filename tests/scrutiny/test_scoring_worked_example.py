"""The worked example of docs/scoring.md, number by number.

If a number here changes, the document must change with it (the last test reads the document).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrutiny.disclosure import scores_for_publication
from scrutiny.scoring import Cell, Rating, scrutiny_scores
from tests.scrutiny.test_scoring_builders import WORKED_JSON, build_worked_example

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"

pytestmark = pytest.mark.django_db


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-12)


def test_the_scrutineers_own_screen(partnership):
    sf1 = scrutiny_scores(scrutiny=build_worked_example(partnership)).factor("SF1")
    # Audits: C-101 (2·2/3 + 1)/3 = 7/9, C-102 1/3, C-103 does not count, C-104 2/3:
    # (7/9 + 3/9 + 6/9)/3 = 16/27 → 59.3 from 3.
    assert sf1.sources["file_audit"] == Cell(approx(16 / 27), 3)
    # Survey: 12 returns count (one Don't know does not), adding up to 8: 8/12 = 2/3 → 66.7.
    assert sf1.sources["practitioner_survey"] == Cell(approx(2 / 3), 12)
    # Audits weigh 2: (2·16/27 + 2/3)/3 = 50/81 → 61.7, n = 15, some evidence.
    assert (sf1.score, sf1.display, sf1.n, sf1.rating) == (approx(50 / 81), 61.7, 15, Rating.SOME)
    # POL: (2·7/9 + 3/4)/3 = 83/108 → 76.9 (5); FHC: (2·1/3 + 11/20)/3 = 73/180 → 40.6 (6);
    # EDU: (2·2/3 + 1)/3 = 7/9 → 77.8 (2).
    assert sf1.agencies == {
        "EDU": Cell(approx(7 / 9), 2),
        "FHC": Cell(approx(73 / 180), 6),
        "POL": Cell(approx(83 / 108), 5),
    }
    assert [cell.display for cell in sf1.agencies.values()] == [77.8, 40.6, 76.9]
    # NTH: audits (7/9 + 1/3)/2 = 5/9, survey 5/6: (10/9 + 5/6)/3 = 35/54 → 64.8 (8);
    # STH: audits 2/3, survey 11/20: (4/3 + 11/20)/3 = 113/180 → 62.8 (6).
    assert sf1.areas == {"NTH": Cell(approx(35 / 54), 8), "STH": Cell(approx(113 / 180), 6)}


def test_what_may_be_published(partnership):
    scrutiny = build_worked_example(partnership)
    published = scores_for_publication(scrutiny_scores(scrutiny=scrutiny), scrutiny=scrutiny)
    # EDU (2) is below 5, so hidden; POL (5), the next smallest, is hidden with it.
    assert published == WORKED_JSON
    assert json.dumps(published) == json.dumps(WORKED_JSON)  # the order of keys too


def test_the_document_shows_these_numbers():
    text = DOC.read_text(encoding="utf-8")
    for phrase in (
        "16/27",
        "59.3",
        "66.7",
        "50/81",
        "61.7",
        "63.0",
        "65.2",
        "76.9",
        "40.6",
        "77.8",
        "64.8",
        "62.8",
    ):
        assert phrase in text, phrase
    start = text.index("```json") + len("```json")
    assert json.loads(text[start : text.index("```", start)]) == WORKED_JSON
