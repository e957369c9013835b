"""Instruments in two languages (WORKBOOKS.md §2, "Other languages"): the Welsh columns of the
instrument workbook read, saved, read back from the version and written again; a language the
instrument offers must have every text; and an English-only instrument is untouched."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from typing import Any

import pytest

from scrutiny.errors import ApplicationError
from scrutiny.instruments import definition_from_version, instrument_save
from scrutiny.workbooks import instrument_from_workbook, instrument_import, instrument_to_workbook
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    AUDIT,
    saved,
    scrutiny_fixture,
    sheet_values,
    xlsx,
)

SETTINGS: list[list[Any]] = [
    ["key", "value"],
    ["code", "FF1"],
    ["title", "Family feedback"],
    ["kind", "family_feedback"],
    ["languages", "en, cy"],
    ["title_cy", "Adborth teuluoedd"],
]
QUESTIONS: list[list[Any]] = [
    ["section", "code", "type", "text", "options", "help", "section_cy", "text_cy", "help_cy"],
    [
        "Your help",
        "F1",
        "single",
        "Did people listen?",
        "agree",
        "Think of this year.",
        "Eich cymorth",
        "Wnaeth pobl wrando?",
        "Meddyliwch am eleni.",
    ],
    [
        "Your help",
        "F2",
        "text",
        "What would you change?",
        "",
        "",
        "Eich cymorth",
        "Beth fyddech chi'n ei newid?",
        "",
    ],
]
OPTIONS: list[list[Any]] = [
    ["list", "value", "label", "points", "label_cy"],
    ["agree", "yes", "Yes", 2, "Ydyn"],
    ["agree", "no", "No", 0, "Na"],
]


def _bilingual(questions=QUESTIONS, options=OPTIONS, settings=SETTINGS):
    return xlsx({"settings": settings, "questions": questions, "options": options})


def _errors(file) -> list[str]:
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(file)
    return error.value.extra["errors"]


def test_the_welsh_columns_are_read_into_the_definition():
    definition = instrument_from_workbook(_bilingual())
    assert definition.languages == ("en", "cy")
    assert definition.translations == {"cy": {"title": "Adborth teuluoedd"}}
    assert definition.questions[0].translations == {
        "cy": {
            "section": "Eich cymorth",
            "text": "Wnaeth pobl wrando?",
            "help": "Meddyliwch am eleni.",
        }
    }
    assert definition.option_lists["agree"][1].translations == {"cy": {"label": "Na"}}


def test_a_bilingual_workbook_round_trips_through_a_saved_version(scrutiny):
    result = instrument_import(scrutiny=scrutiny, file=_bilingual())
    assert result.version.languages == "en,cy"
    definition = definition_from_version(result.version)
    assert definition == instrument_from_workbook(_bilingual())
    written = saved(instrument_to_workbook(definition))
    assert sheet_values(written, "settings")[4:] == [
        ("languages", "en, cy"),
        ("title_cy", "Adborth teuluoedd"),
    ]
    assert sheet_values(written, "questions")[0][-3:] == ("section_cy", "text_cy", "help_cy")
    assert sheet_values(written, "options")[2] == ("agree", "no", "No", 0, "Na")
    assert instrument_import(scrutiny=scrutiny, file=written).outcome == "unchanged"


def test_a_changed_welsh_text_is_a_change(scrutiny):
    instrument_import(scrutiny=scrutiny, file=_bilingual())
    changed = [row[:] for row in QUESTIONS]
    changed[2][7] = "Beth hoffech chi ei newid?"
    assert instrument_import(scrutiny=scrutiny, file=_bilingual(changed)).outcome == "replaced"


def test_a_language_offered_must_have_every_text_each_missing_one_named():
    questions = [row[:] for row in QUESTIONS]
    questions[1][8] = ""  # help_cy, where there is English help
    questions[2][7] = ""  # text_cy
    options = [row[:] for row in OPTIONS]
    options[1][4] = ""
    settings = SETTINGS[:5]  # no title_cy
    assert _errors(_bilingual(questions, options, settings)) == [
        "sheet settings: the instrument offers Cymraeg (cy), but has no cy title",
        "sheet questions, row 2, column I (help_cy): the instrument offers Cymraeg (cy), but "
        "question F1 has no cy help",
        "sheet questions, row 3, column H (text_cy): the instrument offers Cymraeg (cy), but "
        "question F2 has no cy text",
        "sheet options, row 2, column E (label_cy): the instrument offers Cymraeg (cy), but "
        "option 'yes' of list 'agree' has no cy label",
    ]


def test_welsh_texts_of_an_instrument_that_does_not_offer_welsh_are_kept_unchecked():
    settings = [*SETTINGS[:4]]  # English alone
    questions = [row[:] for row in QUESTIONS]
    questions[2][7] = ""
    definition = instrument_from_workbook(_bilingual(questions, settings=settings))
    assert definition.languages == ("en",)
    assert definition.questions[0].translations["cy"]["text"] == "Wnaeth pobl wrando?"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("en, welsh", "'welsh' is not a language code; write codes such as en and cy, e.g. en, cy"),
        ("en, cy, cy", "cy is listed twice"),
    ],
)
def test_a_languages_setting_that_cannot_be_read_is_named(value, message):
    settings = [*SETTINGS[:4], ["languages", value], SETTINGS[5]]
    assert _errors(_bilingual(settings=settings)) == [
        f"sheet settings, row 5, column B (value): languages: {message}"
    ]


def test_one_section_has_one_welsh_title():
    questions = [row[:] for row in QUESTIONS]
    questions[2][6] = "Y cymorth"
    assert _errors(_bilingual(questions)) == [
        "sheet questions, row 3, column G (section_cy): section 'Your help' has the cy section "
        "title 'Eich cymorth' above but 'Y cymorth' here; give one title"
    ]


def _old_content_sha256(definition) -> str:
    """content_sha256 as it was before languages existed, to prove it has not moved."""

    def plain(data):
        data.pop("where", None)
        data.pop("translations", None)
        if data.get("points") is not None:
            data["points"] = float(data["points"])
        for factor in data.get("factors", ()):
            factor["weight"] = float(factor["weight"])
        return data

    content = {
        "title": definition.title,
        "kind": definition.kind,
        "questions": [plain(asdict(q)) for q in definition.questions],
        "option_lists": {
            name: [plain(asdict(o)) for o in options]
            for name, options in sorted(definition.option_lists.items())
        },
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def test_an_english_only_definition_keeps_its_fingerprint(scrutiny):
    assert AUDIT.content_sha256() == _old_content_sha256(AUDIT)
    version = instrument_save(scrutiny=scrutiny, definition=AUDIT).version
    assert version.definition_sha256 == _old_content_sha256(AUDIT)
    assert version.languages == "en"
    assert definition_from_version(version).content_sha256() == _old_content_sha256(AUDIT)


def test_translations_change_the_fingerprint():
    welsh = replace(AUDIT, languages=("en",), translations={"cy": {"title": "Archwiliad"}})
    assert welsh.content_sha256() != AUDIT.content_sha256()
    assert (
        replace(AUDIT, translations={"cy": {"title": ""}}).content_sha256()
        == AUDIT.content_sha256()
    )
