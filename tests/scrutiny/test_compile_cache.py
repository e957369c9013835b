"""A compiled version is kept by the process (scrutiny.instruments.version_compile): compiling
it again reads nothing but, given only its id, its fingerprint; what may change (the
instrument's title) is read afresh, and a new version is never answered with the old one."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutiny.instruments import (
    InstrumentDefinition,
    QuestionDef,
    instrument_current_version,
    instrument_save,
    version_compile,
)
from scrutiny.models import InstrumentVersion, Scrutiny
from tests.scrutiny.test_questionnaires import sample_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def scrutiny(partnership) -> Scrutiny:
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug="cache-2025", title="Cache")
    scrutiny.factors.create(code="SF1", statement="Plans are good.")
    scrutiny.factors.create(code="SF2", statement="Learning reaches all.")
    return scrutiny


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


def test_compiled_again_reads_nothing_but_the_fingerprint(scrutiny):
    instrument = instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument
    first, n = queries(lambda: version_compile(instrument_current_version(instrument)))
    assert n == 1 + 3  # the current version (with its instrument), options, questions, sections
    again, n = queries(lambda: version_compile(instrument_current_version(instrument)))
    assert (again, n) == (first, 1)  # the current version only
    by_id, n = queries(lambda: version_compile(InstrumentVersion(pk=first.version_id)))
    assert (by_id, n) == (first, 1)
    assert list(first.questions) == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"]


def test_the_instruments_title_is_read_afresh(scrutiny):
    instrument = instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument
    version = instrument_current_version(instrument)
    before = version_compile(version)
    instrument.title = "Case-file audit (renamed)"
    instrument.save(update_fields=["title"])
    after = version_compile(InstrumentVersion(pk=version.pk))
    assert (before.title, after.title) == ("Case-file audit", "Case-file audit (renamed)")
    assert after.questions is before.questions


def test_a_new_version_has_its_own_questions(scrutiny):
    definition = sample_definition()
    instrument = instrument_save(scrutiny=scrutiny, definition=definition).instrument
    old = version_compile(instrument_current_version(instrument))
    extra = QuestionDef("Practice", "Q8", "text", "What would help?")
    changed = dataclasses.replace(definition, questions=(*definition.questions, extra))
    assert isinstance(changed, InstrumentDefinition)
    # No responses yet: the version is replaced by a new row, with questions of its own.
    instrument_save(scrutiny=scrutiny, definition=changed)
    new = version_compile(instrument_current_version(instrument))
    assert new.version_id != old.version_id
    assert "Q8" in new.questions and "Q8" not in old.questions
    assert new.questions["Q1"].id != old.questions["Q1"].id
