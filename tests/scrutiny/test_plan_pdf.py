"""The delivery plan as a PDF: every action with its priority, RAG word and latest update, the key
in the partnership's words, a long plan over many pages with the header on each, text printed
literally, the metadata set, and an empty plan that says so. No database: rows built by hand."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from typing import Any

from pypdf import PdfReader

from scrutiny.packs.plan_pdf import render_plan_pdf
from scrutiny.plan.selectors import PlanRow

KEY = {"blue": "Complete", "green": "On track", "amber": "At risk", "red": "Off track"}
RAG = {"blue": "Blue", "green": "Green", "amber": "Amber", "red": "Red"}


def _row(priority: str, action: str, status: str = "green", **fields: Any) -> PlanRow:
    row = PlanRow(
        priority=priority,
        outcome=f"Outcome for {action}",
        action=action,
        timescale=dt.date(2027, 3, 31),
        responsible="Head of service",
        update=f"Latest on {action}",
        rag=RAG[status],
        status=status,
    )
    return replace(row, **fields)


def _render(rows: list[PlanRow], title: str = "Neglect 2026") -> PdfReader:
    out = io.BytesIO()
    render_plan_pdf(rows, title=title, key=KEY, out=out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _text(reader: PdfReader) -> str:
    """All the pages' text with runs of whitespace as one space (cells wrap their lines)."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_every_action_with_its_priority_rag_word_and_latest_update():
    rows = [
        _row("Early help", "Audit the front door", "blue"),
        _row("Early help", "Train the family hubs", "amber", timescale=None),
        _row("Neglect", "Roll out the graded care profile", "red"),
        _row("Neglect", "Supervision audit", "green"),
    ]
    text = _text(_render(rows, title="Child protection 2026"))
    assert "Delivery plan: Child protection 2026" in text
    for row in rows:
        assert row.action in text
        assert row.outcome in text
        # The latest update, then the RAG cell with its word (not only its colour).
        assert f"{row.update} {row.rag}" in text
    assert "31 March 2027" in text
    # The priorities in the order given, each in its own row before its actions.
    assert text.index("Early help") < text.index("Audit the front door")
    assert text.index("Train the family hubs") < text.index("Neglect")
    assert text.index("Neglect") < text.index("Roll out the graded care profile")


def test_the_key_says_each_colour_in_the_partnerships_words():
    text = _text(_render([_row("Neglect", "Supervision audit")]))
    assert "RAG key: Blue complete; Green on track; Amber at risk; Red off track" in text


def test_a_long_plan_runs_over_several_pages_with_the_header_on_each():
    rows = [
        _row(f"Theme {n // 20}", f"Action number {n}", ("blue", "green", "amber", "red")[n % 4])
        for n in range(200)
    ]
    reader = _render(rows)
    assert len(reader.pages) > 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        for heading in ("Priority", "Outcome", "Timescale", "Responsible", "Update", "RAG"):
            assert heading in text, (number, heading)
        assert f"Page {number}" in text
    text = _text(reader)
    assert all(f"Action number {n} " in text + " " for n in range(200))


def test_a_row_taller_than_a_page_still_lays_out():
    long_update = " ".join(f"Week {n}: the audit found drift in supervision." for n in range(200))
    text = _text(_render([_row("Neglect", "Supervision audit", update=long_update)]))
    assert "Week 0:" in text
    assert "Week 199:" in text


def test_text_is_printed_literally_never_as_markup():
    tricky = "<b>x</b> & =SUM(A1)"
    rows = [
        _row(tricky, tricky, outcome=tricky, responsible=tricky, update=tricky),
    ]
    out = io.BytesIO()
    render_plan_pdf(rows, title=tricky, key={**KEY, "red": "<i>late</i>"}, out=out)
    text = _text(PdfReader(io.BytesIO(out.getvalue())))
    assert text.count(tricky) >= 6  # title, priority row, and five cells
    assert "Red <i>late</i>" in text


def test_the_metadata_is_set():
    reader = _render([_row("Neglect", "Supervision audit")])
    assert reader.metadata is not None
    assert reader.metadata.title == "Delivery plan: Neglect 2026"
    assert reader.metadata.author
    assert reader.metadata.subject
    assert reader.trailer["/Root"].get("/Lang") == "en-GB"


def test_an_empty_plan_says_so():
    reader = _render([])
    text = _text(reader)
    assert "No actions in this plan yet." in text
    assert "Page 1" in text
    assert len(reader.pages) == 1
