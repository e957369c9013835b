"""The Welsh catalogue's two chores (docs/welsh.md), with polib (a development dependency):

.venv/bin/python scripts/catalogue.py merge locale-parts/*.po
    Fill locale/cy/LC_MESSAGES/django.po (made by `manage.py makemessages -l cy ...`) with the
    Welsh of snippet files: each entry found in the catalogue takes the snippet's msgstr and
    loses its fuzzy flag. Prints the snippets' entries the catalogue lacks (stale or
    mistyped msgids) and any msgid two snippets translate differently (the first is kept).
.venv/bin/python scripts/catalogue.py compile
    Write each locale/*/LC_MESSAGES/django.mo from its .po, where `msgfmt` (and so
    `manage.py compilemessages`) is missing; untranslated and fuzzy entries are left out,
    as msgfmt leaves them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# Django's own Welsh catalogue has four plural forms; a snippet written with the six forms of
# CLDR (zero, one, two, few, many, other) is mapped onto them.
PLURAL_FORMS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"
SIX_TO_FOUR = {0: 1, 1: 2, 2: 5, 3: 5}


def _plurals(part: polib.POFile, entry: polib.POEntry) -> dict[int, str]:
    forms = re.search(r"nplurals\s*=\s*(\d+)", part.metadata.get("Plural-Forms", ""))
    if forms and forms.group(1) == "6":
        return {four: entry.msgstr_plural.get(six, "") for four, six in SIX_TO_FOUR.items()}
    return dict(entry.msgstr_plural)


def merge(parts: list[str]) -> int:
    catalogue = polib.pofile(str(CATALOGUE), wrapwidth=79)
    catalogue.metadata.update(
        {"Project-Id-Version": "safeguarding-scrutiny", "Language": "cy"}
        | {"Plural-Forms": PLURAL_FORMS}
    )
    catalogue.metadata_is_fuzzy = False
    catalogue.header = "The platform's Welsh catalogue: docs/welsh.md says how it is made."
    catalogue.metadata["Language-Team"] = "Welsh (cy)"
    found = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete}
    given: dict[tuple[str | None, str], str] = {}
    problems = 0
    for name in parts:
        part = polib.pofile(name)
        for entry in part:
            key = (entry.msgctxt, entry.msgid)
            target = found.get(key)
            if target is None:
                print(f"{name}: not in the catalogue: {entry.msgid[:70]!r}")
                problems += 1
                continue
            if key in given:
                if given[key] != f"{entry.msgstr}{_plurals(part, entry)}":
                    print(f"{name}: translated differently elsewhere: {entry.msgid[:70]!r}")
                    problems += 1
                continue
            given[key] = f"{entry.msgstr}{_plurals(part, entry)}"
            target.msgstr = entry.msgstr
            if target.msgid_plural:
                target.msgstr_plural = _plurals(part, entry)
            if "fuzzy" in target.flags:
                target.flags.remove("fuzzy")
    catalogue.save()
    untranslated = len(catalogue.untranslated_entries())
    print(f"{len(given)} translations merged; {untranslated} msgids still without Welsh.")
    return 1 if problems else 0


def compile_all() -> int:
    for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po))
        for entry in list(catalogue):
            if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
                catalogue.remove(entry)
        catalogue.save_as_mofile(str(po.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    command, *arguments = sys.argv[1:] or ["help"]
    if command == "merge" and arguments:
        sys.exit(merge(arguments))
    if command == "compile":
        sys.exit(compile_all())
    sys.exit(__doc__)
