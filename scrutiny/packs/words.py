"""The documents' words in the language they are built in (issue 18): which languages a pack or a
plan is built in (`document_languages`), and the words the pack shows for what the data holds in
English (a rating, a source, a kind of note), translated where the document is rendered.

Every document is built inside `django.utils.translation.override(language)`: the active
language of the calling thread (a request in Welsh, say) never decides a document's language,
and is never changed beyond the build. English stays the default: every word here in English is
exactly what the pack said before it was translated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy

# What `--language` takes: one language, or both (Welsh first, as Welsh public bodies do).
LANGUAGE_CHOICES = ("en", "cy", "both")
BOTH = ("cy", "en")

RATING_WORDS: dict[str, Any] = {
    "strong": gettext_lazy("Strong evidence"),
    "some": gettext_lazy("Some evidence"),
    "limited": gettext_lazy("Limited evidence"),
    "insufficient": gettext_lazy("Insufficient evidence"),
}
_RATING_BY_LABEL: dict[str, Any] = {
    "Strong evidence": RATING_WORDS["strong"],
    "Some evidence": RATING_WORDS["some"],
    "Limited evidence": RATING_WORDS["limited"],
    "Insufficient evidence": RATING_WORDS["insufficient"],
}
# `scrutiny.models.Source`'s labels as the pack shows them, by their English words.
SOURCE_WORDS: dict[str, Any] = {
    "Multi-agency case-file audit": gettext_lazy("Multi-agency case-file audit"),
    "Practitioner survey": gettext_lazy("Practitioner survey"),
    "Board questionnaire": gettext_lazy("Board questionnaire"),
    "Family feedback": gettext_lazy("Family feedback"),
    "Children and young people": gettext_lazy("Children and young people"),
}
NOTE_KIND_WORDS: dict[str, Any] = {
    "Practitioner forum": gettext_lazy("Practitioner forum"),
    "Scrutiny event": gettext_lazy("Scrutiny event"),
    "Young scrutineers' observation": gettext_lazy("Young scrutineers' observation"),
    "Other": pgettext_lazy("kind of evidence note", "Other"),
}
# A partnership's BRAG key as it comes (`Partnership.brag_blue` and the others' defaults):
# translated only while the partnership has not put it in its own words.
BRAG_KEY_DEFAULTS: dict[str, Any] = {
    "Complete": pgettext_lazy("BRAG key", "Complete"),
    "On track": pgettext_lazy("BRAG key", "On track"),
    "At risk": pgettext_lazy("BRAG key", "At risk"),
    "Off track": pgettext_lazy("BRAG key", "Off track"),
}


def partnership_language(partnership: Any) -> str:
    """The language a partnership's documents and emails are in when nobody chose one: its
    default (`Partnership.default_language`, "en" or "cy"). "both" is asked for explicitly
    (`--language both`): a partnership offering both still has one default."""
    default = getattr(partnership, "default_language", "en") or "en"
    return default if default in ("en", "cy") else "en"


def document_languages(choice: str) -> tuple[str, ...]:
    """The languages of a document built in `choice` ("en", "cy" or "both"), in order."""
    if choice == "both":
        return BOTH
    if choice not in ("en", "cy"):
        raise ValueError(f"A document is built in en, cy or both, not {choice!r}.")
    return (choice,)


def rating_word(rating: str, label: str) -> str:
    """A rating in words ("Strong evidence"), in the active language, from its value ("strong")
    or else from its English words."""
    word = RATING_WORDS.get(rating) or _RATING_BY_LABEL.get(label)
    return str(word if word is not None else label)


def source_word(label: str) -> str:
    """A source's label ("Practitioner survey"), in the active language."""
    word = SOURCE_WORDS.get(label)
    return str(word if word is not None else label)


def note_kind_word(label: str) -> str:
    word = NOTE_KIND_WORDS.get(label)
    return str(word if word is not None else label)


def brag_key_word(words: str) -> str:
    """A BRAG key's words: the default ones translated, the partnership's own left as written."""
    word = BRAG_KEY_DEFAULTS.get(words)
    return str(word if word is not None else words)


def yes_no(value: bool) -> str:
    return pgettext("workbook cell", "yes") if value else pgettext("workbook cell", "no")


def fewer_than(threshold: int) -> str:
    """What a suppressed count says in its place."""
    return gettext("fewer than %(threshold)s") % {"threshold": threshold}


def long_date(value: dt.date) -> str:
    """ "5 December 2026" (in Welsh, "5 Rhagfyr 2026"): the month's name in the active language."""
    return formats.date_format(value, "j F Y")
