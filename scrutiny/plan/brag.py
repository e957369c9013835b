"""BRAG in words: an action's status (Blue complete, Green on track, Amber at risk, Red off
track) as its colour and what the partnership means by it (`Partnership.brag_key`), and the RAG
key line that heads the delivery plan in its workbook and its PDF alike."""

from __future__ import annotations

from collections.abc import Mapping

from scrutiny.models import Brag

BRAG_WORDS = {Brag.BLUE: "Blue", Brag.GREEN: "Green", Brag.AMBER: "Amber", Brag.RED: "Red"}
STATUSES = ("blue", "green", "amber", "red")  # the key's order


def brag_label(status: str, key: dict[str, str]) -> str:
    """A status in words: its colour and what the partnership means by it."""
    return f"{BRAG_WORDS[Brag(status)]}: {key.get(status, '')}".rstrip(": ")


def key_line(key: Mapping[str, str]) -> str:
    """'RAG key: Blue complete; Green on track; …' in the partnership's own words."""
    parts = []
    for status in STATUSES:
        words = key.get(status, "").strip()
        # Lower the first letter to read as a sentence, but leave an acronym ("CSPR due") alone.
        if words and not words[:2].isupper():
            words = words[0].lower() + words[1:]
        parts.append(f"{status.capitalize()} {words}".strip())
    return "RAG key: " + "; ".join(parts)
