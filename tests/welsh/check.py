"""The check of a page in Welsh (issue 18): the words a person sees or hears, none English.

A page is read with a real HTML parser (lxml.html). What is checked: every text node outside
`<script>` and `<style>`, and the attributes a screen reader speaks or a person sees (`title`,
`aria-label`, `alt`, `placeholder`, and a button's `value`). What is left out: text inside an
element whose `lang` says it is English (the "English" of the language switch, an instrument
that offers no Welsh, marked as such), and user data the test names (partnership, people's and
agencies' names, survey titles) together with the proper names below.

A text is English when it is, whole, an English msgid of the catalogue whose Welsh differs, or
when it holds one of the commonest English function words as a whole word.

Leaving out what is marked English must not hide a `lang` marked too widely (the review found a
questionnaire's whole form marked English, the platform's Welsh in it read in an English
voice: WCAG 3.1.2). So `welsh_marked_english` reads the other way: inside an element marked
English, a text that is the catalogue's Welsh ("Gwall:", "Mae problem", "(dewisol)") is an
offender; `english_in` reports those too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import polib
from django.conf import settings
from lxml import html as lxml_html

# Proper names, acronyms and codes that are the same in both languages.
PROPER_NAMES = (
    "NSPCC",
    "Childline",
    "GOV.UK",
    "Microsoft Authenticator",
    "Google Authenticator",
    "Authy",
    "CSV",
    "PDF",
    "XLSX",
)
ENGLISH_WORDS = frozenset(
    ("the", "and", "your", "you", "of", "to", "is", "are", "this", "with", "not", "for", "please")
)
# A date in Welsh names its month in Welsh (Django's `date` filter in the active language).
MONTHS_CY = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)
SPOKEN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
_WORD = re.compile(r"[A-Za-z']+")
_SPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^()]+\)")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _catalogue() -> Iterator[polib.POEntry]:
    """Every entry of the Welsh catalogues the platform ships."""
    for folder in settings.LOCALE_PATHS:
        path = Path(folder) / "cy" / "LC_MESSAGES" / "django.po"
        if path.exists():
            yield from polib.pofile(str(path))


@cache
def english_msgids() -> frozenset[str]:
    """The catalogue's English whose Welsh is different (so its appearing means untranslated)."""
    found: set[str] = set()
    for entry in _catalogue():
        welsh = entry.msgstr or next(iter(entry.msgstr_plural.values()), "")
        if entry.msgid != welsh and _WORD.search(entry.msgid):
            found.add(_normal(entry.msgid))
            if entry.msgid_plural:
                found.add(_normal(entry.msgid_plural))
    return frozenset(found)


@cache
def welsh_msgstrs() -> frozenset[str]:
    """The catalogue's Welsh that differs from its English: the platform's own Welsh words."""
    found: set[str] = set()
    for entry in _catalogue():
        for welsh in (entry.msgstr, *entry.msgstr_plural.values()):
            if welsh and welsh != entry.msgid and _WORD.search(welsh) and "%" not in welsh:
                found.add(_normal(welsh))
    return frozenset(found)


def _is_english(element) -> bool:  # type: ignore[no-untyped-def]
    """Whether the element's nearest `lang` (its own or an ancestor's) is English."""
    for node in (element, *element.iterancestors()):
        lang = node.get("lang", "")
        if lang:
            return lang.lower().startswith("en")
    return False


def spoken_texts(page: str) -> list[str]:
    """The texts of a page a person reads or hears, in document order."""
    tree = lxml_html.document_fromstring(page)
    for dropped in tree.xpath("//script|//style|//template"):
        dropped.drop_tree()
    texts: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        if element.tail and not (parent is not None and _is_english(parent)):
            texts.append(element.tail)
        if _is_english(element):
            continue
        texts.append(element.text or "")
        texts.extend(element.get(name, "") for name in SPOKEN_ATTRIBUTES)
        if element.tag == "input" and element.get("type") in ("submit", "button", "reset"):
            texts.append(element.get("value", ""))
    return [_normal(text) for text in texts if _normal(text)]


def _english_marked_texts(tree) -> list[str]:  # type: ignore[no-untyped-def]
    """The texts inside elements whose `lang` says English."""
    texts: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or not _is_english(element):
            continue
        texts.append(element.text or "")
        texts.extend(element.get(name, "") for name in SPOKEN_ATTRIBUTES)
        texts.extend(child.tail or "" for child in element if isinstance(child.tag, str))
    return [_normal(text) for text in texts if _normal(text)]


def welsh_marked_english(page: str) -> list[str]:
    """The platform's Welsh that the page marks as English: the whole text, or a part in
    brackets ("(dewisol)" after a question), is a Welsh text of the catalogue."""
    tree = lxml_html.document_fromstring(page)
    for dropped in tree.xpath("//script|//style|//template"):
        dropped.drop_tree()
    welsh = welsh_msgstrs()
    return [
        f"marked English: {text}"
        for text in _english_marked_texts(tree)
        if text in welsh or any(part in welsh for part in _BRACKETED.findall(text))
    ]


def _without(text: str, data: Iterable[str]) -> str:
    for name in sorted((*PROPER_NAMES, *data), key=len, reverse=True):
        if name:
            text = text.replace(name, " ")
    return _normal(text)


def english_in(page: str, data: Iterable[str] = ()) -> list[str]:
    """The texts of the page that are English, once user data and proper names are left out."""
    data = tuple(data)
    msgids = english_msgids()
    offenders = []
    for text in spoken_texts(page):
        whole = _normal(text)
        rest = _without(whole, data)
        if not rest:
            continue
        words = {word.lower() for word in _WORD.findall(rest)}
        if whole in msgids or rest in msgids or words & ENGLISH_WORDS:
            offenders.append(whole)
    return offenders + welsh_marked_english(page)
