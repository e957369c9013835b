"""The Welsh catalogue (docs/welsh.md) is up to date, complete where respondents read it, and
compiled:

1. `makemessages` run afresh (into a copy of the sources) finds no marked string that the
   committed locale/cy/LC_MESSAGES/django.po lacks;
2. every string of the respondent-facing pages and emails has Welsh, not fuzzy;
3. django.mo holds exactly the .po's translations.

(1) needs GNU gettext's xgettext: skipped without it on a developer's machine, a failure in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# As the catalogue is made (docs/welsh.md): the tests, benchmarks and installed packages aside.
IGNORED = (".venv", "node_modules", "var", "tests", "bench")
# Where respondents (practitioners, families, children, anyone with a link) read the words.
RESPONDENT_FACING = (
    "templates/surveys/respond/",
    "templates/surveys/young/",
    "templates/components/",
    "templates/registration/",
    "templates/base.html",
    "templates/403.html",
    "templates/404.html",
    "templates/500.html",
    "templates/503.html",
    "surveys/services/invitation_emails.py",
)

Key = tuple[str | None, str]


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def _live(catalogue: polib.POFile) -> dict[Key, polib.POEntry]:
    return {_key(entry): entry for entry in catalogue if not entry.obsolete and entry.msgid}


@pytest.fixture(scope="module")
def committed() -> polib.POFile:
    assert PO.exists(), "No Welsh catalogue: run makemessages as docs/welsh.md says."
    return polib.pofile(str(PO))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[polib.POFile | None]:
    """The catalogue `makemessages -l cy` makes of the sources now, or None without xgettext
    (outside CI only)."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI needs GNU gettext (xgettext) to check the catalogue: apt install it.")
        yield None
        return
    copy = tmp_path_factory.mktemp("sources")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", ".*")
    for item in ROOT.iterdir():
        if item.name in IGNORED or item.name.startswith(".") or item.name == "locale":
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=skip)
        elif item.suffix in (".py", ".html", ".txt"):
            shutil.copy2(item, copy / item.name)
    (copy / "locale").mkdir()
    here = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["cy"], ignore_patterns=list(IGNORED), verbosity=0)
    finally:
        os.chdir(here)
    yield polib.pofile(str(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"))


def test_the_catalogue_has_every_marked_string(committed, extracted) -> None:
    if extracted is None:
        pytest.skip("xgettext is not installed (apt install gettext)")
    missing = sorted(set(_live(extracted)) - set(_live(committed)), key=lambda k: k[1])
    assert not missing, (
        f"{len(missing)} marked strings are not in {PO.relative_to(ROOT)}: run makemessages "
        f"and translate them (docs/welsh.md). The first: {[m[1][:60] for m in missing[:10]]}"
    )


def _respondent_facing(entry: polib.POEntry) -> bool:
    return any(path.startswith(RESPONDENT_FACING) for path, _ in entry.occurrences)


def test_respondents_read_nothing_without_welsh(committed, extracted) -> None:
    source = extracted if extracted is not None else committed
    used = {_key(entry) for entry in _live(source).values() if _respondent_facing(entry)}
    assert used, "no respondent-facing string is marked for translation"
    found = _live(committed)
    lacking = sorted(
        key[1][:70]
        for key in used
        if key not in found or not found[key].translated() or "fuzzy" in found[key].flags
    )
    assert not lacking, f"{len(lacking)} respondent-facing strings lack Welsh: {lacking[:15]}"


def _compiled(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def test_the_mo_is_compiled_from_the_po(committed) -> None:
    assert MO.exists(), "locale/cy/LC_MESSAGES/django.mo is missing: run scripts/setup.sh"
    compiled = {_key(entry): _compiled(entry) for entry in polib.mofile(str(MO)) if entry.msgid}
    wanted = {
        key: _compiled(entry)
        for key, entry in _live(committed).items()
        if entry.translated() and "fuzzy" not in entry.flags
    }
    stale = sorted(key[1][:60] for key in set(wanted) ^ set(compiled))
    stale += sorted(
        key[1][:60] for key in wanted if key in compiled and wanted[key] != compiled[key]
    )
    assert not stale, f"django.mo differs from django.po (run scripts/setup.sh): {stale[:10]}"
    headers = polib.mofile(str(MO)).metadata
    assert headers.get("Language") == "cy" and "nplurals=4" in headers.get("Plural-Forms", "")
