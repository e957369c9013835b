"""BRAG in words: an action's status (Blue complete, Green on track, Amber at risk, Red off
track) as its colour and what the partnership means by it (`Partnership.brag_key`), and the RAG
key line that heads the delivery plan in its workbook and its PDF alike.

`BRAG_WORDS` are the English words (what the import reads back, and the plan's rows hold);
`brag_word`, `brag_label`, `key_entries` and `key_line` say them in the active language (issue
18), the partnership's own words for a status left as written unless they are the defaults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, pgettext_lazy

from scrutiny.models import Brag
from scrutiny.packs.words import brag_key_word

BRAG_WORDS = {Brag.BLUE: "Blue", Brag.GREEN: "Green", Brag.AMBER: "Amber", Brag.RED: "Red"}
_WORDS: dict[str, Any] = {
    "blue": pgettext_lazy("BRAG colour", "Blue"),
    "green": pgettext_lazy("BRAG colour", "Green"),
    "amber": pgettext_lazy("BRAG colour", "Amber"),
    "red": pgettext_lazy("BRAG colour", "Red"),
}
STATUSES = ("blue", "green", "amber", "red")  # the key's order


def brag_word(status: str) -> str:
    """A status's colour in the active language ("Green"; in Welsh "Gwyrdd")."""
    return str(_WORDS[str(Brag(status).value)])


def brag_label(status: str, key: dict[str, str]) -> str:
    """A status in words: its colour and what the partnership means by it."""
    return f"{brag_word(status)}: {brag_key_word(key.get(status, ''))}".rstrip(": ")


def key_entries(key: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """The key as a page lists it: each status, its colour and its words, in the active
    language ("green", "Gwyrdd", "Ar y trywydd iawn"), so no page prints the stored English."""
    return [(status, brag_word(status), brag_key_word(key.get(status, ""))) for status in STATUSES]


def key_line(key: Mapping[str, str]) -> str:
    """'RAG key: Blue complete; Green on track; …' in the partnership's own words."""
    parts = []
    for status in STATUSES:
        words = brag_key_word(key.get(status, "").strip())
        # Lower the first letter to read as a sentence, but leave an acronym ("CSPR due") alone.
        if words and not words[:2].isupper():
            words = words[0].lower() + words[1:]
        parts.append(f"{brag_word(status)} {words}".strip())
    return gettext("RAG key: %(key)s") % {"key": "; ".join(parts)}
