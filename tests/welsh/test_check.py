"""The check itself (tests/welsh/check.py): it finds English where a person reads or hears it,
and leaves out what is marked English, user data and proper names."""

from __future__ import annotations

from tests.welsh.check import english_in, spoken_texts

PAGE = """<!DOCTYPE html><html lang="cy"><head><title>{title}</title>
<script>var the = "and";</script></head><body>
<main><h1>{heading}</h1><button aria-label="{label}">Anfon</button>
<input type="submit" value="{value}"><img src="x.png" alt="Logo">
<p lang="en-GB">Was there a plan? <span>Yes, with dates.</span></p>
<button lang="en-GB">English</button> <p>Fernhill Council, NSPCC</p></main></body></html>"""
WELSH = {"title": "Gwirio", "heading": "Eich atebion", "label": "Cau", "value": "Parhau"}


def test_a_welsh_page_passes() -> None:
    assert english_in(PAGE.format(**WELSH), ["Fernhill Council"]) == []
    assert "Was there a plan?" not in spoken_texts(PAGE.format(**WELSH))


def test_english_is_found_in_text_and_in_what_is_heard() -> None:
    for field, english in (
        ("title", "Check your answers"),
        ("heading", "Your answers"),
        ("label", "Close this"),
        ("value", "Save and continue"),
    ):
        page = PAGE.format(**{**WELSH, field: english})
        assert english_in(page, ["Fernhill Council"]) == [english], field


def test_user_data_is_english_only_where_the_test_says_so() -> None:
    assert english_in(PAGE.format(**WELSH)) == []  # "Fernhill Council": no function word
    page = PAGE.format(**{**WELSH, "heading": "Friends of the Park"})
    assert english_in(page) == ["Friends of the Park"]
    assert english_in(page, ["Friends of the Park"]) == []


def test_the_platforms_welsh_marked_english_is_found() -> None:
    """A `lang` put too wide (a questionnaire's whole form) would hide the page's own Welsh from
    the check and have it read in an English voice: the check reports it."""
    wide = """<!DOCTYPE html><html lang="cy"><body><main><form><div lang="en-GB">
<h2>Mae problem</h2><label>Was there a plan? (dewisol)</label>
<p><span>Gwall:</span> Dewiswch ateb.</p></div></form></main></body></html>"""
    assert english_in(wide) == [
        "marked English: Mae problem",
        "marked English: Was there a plan? (dewisol)",
        "marked English: Dewiswch ateb.",
        "marked English: Gwall:",
    ]
    narrow = """<!DOCTYPE html><html lang="cy"><body><main><form><h2>Mae problem</h2>
<label><span lang="en-GB">Was there a plan?</span> (dewisol)</label>
<p><span>Gwall:</span> Dewiswch ateb.</p></form></main></body></html>"""
    assert english_in(narrow) == []
