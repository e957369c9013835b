"""The template library: definitions, the shipped workbooks, and adding templates to scrutinies."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command

from scrutiny.errors import ApplicationError
from scrutiny.evidence import response_submit
from scrutiny.instruments import (
    definition_errors,
    instrument_current_version,
    option_list_is_scored,
    version_compile,
)
from scrutiny.library import (
    SCRUTINY_WORKBOOK,
    TEMPLATES,
    WORKBOOKS_DIR,
    template_get,
    template_import,
    template_workbook_bytes,
    workbook_contents,
)
from scrutiny.library.learning_from_practice import FACTORS
from scrutiny.models import Instrument, Question, Response, Scrutiny
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, scrutiny_save
from scrutiny.workbooks import instrument_from_workbook, instrument_import, scrutiny_import

FACTOR_CODES = {code for code, _ in FACTORS}
SLUGS = [template.slug for template in TEMPLATES]


@pytest.fixture
def lfp(partnership) -> Scrutiny:
    """A scrutiny with the six Learning from Practice success factors."""
    data = ScrutinyData(settings=ScrutinySettings(slug="lfp", title="LfP"), factors=FACTORS)
    return scrutiny_save(partnership=partnership, data=data).scrutiny


@pytest.fixture
def other_scrutiny(partnership) -> Scrutiny:
    data = ScrutinyData(
        settings=ScrutinySettings(slug="neglect", title="Neglect"),
        factors=(("N1", "Neglect is recognised early."),),
    )
    return scrutiny_save(partnership=partnership, data=data).scrutiny


# ---------------------------------------------------------------------------------------------
# The definitions.


@pytest.mark.parametrize("slug", SLUGS)
def test_each_template_is_a_valid_instrument_for_the_learning_from_practice_factors(slug):
    definition = template_get(slug).definition
    assert definition_errors(definition, factor_codes=FACTOR_CODES) == []
    for question in definition.questions:
        if question.factors:
            assert question.type == "single"
            assert option_list_is_scored(definition.option_lists[question.options])
    # Every option list is used, and unscored options carry no points at all.
    used = {q.options for q in definition.questions if q.options}
    assert used == set(definition.option_lists)


def test_the_templates_between_them_cover_every_kind_and_every_factor():
    kinds = {template.definition.kind for template in TEMPLATES}
    assert kinds == {
        "file_audit",
        "practitioner_survey",
        "board_questionnaire",
        "family_feedback",
        "young_people",
    }
    for template in TEMPLATES:
        if template.slug in ("early-help-audit", "section-11", "young-scrutineers-feedback"):
            continue
        linked = {ref.code for q in template.definition.questions for ref in q.factors}
        assert linked == FACTOR_CODES, template.slug


def test_the_case_file_audit_grades_each_section_and_ends_it_with_the_three_questions():
    definition = template_get("case-file-audit").definition
    grade = {(o.value, o.label, o.points) for o in definition.option_lists["grade"]}
    assert grade == {
        ("outstanding", "Outstanding", 4.0),
        ("good", "Good", 3.0),
        ("requires_improvement", "Requires improvement", 2.0),
        ("inadequate", "Inadequate", 1.0),
        ("not_applicable", "Not applicable", None),
    }
    sections: dict[str, list[str]] = {}
    for question in definition.questions:
        sections.setdefault(question.section, []).append(question.code)
    graded = [title for title in sections if title[0].isdigit()]
    assert [title.split(". ", 1)[1] for title in graded] == [
        "Recognition of need",
        "Voice and lived experience of the child",
        "Assessment and professional curiosity",
        "Information sharing and joint working",
        "Planning and timeliness",
        "Management oversight and supervision",
        "Learning and outcomes",
    ]
    by_code = {q.code: q for q in definition.questions}
    for title in graded:
        codes = sections[title]
        assert [by_code[c].text for c in codes[-3:]] == [
            "What's working well?",
            "What are we worried about?",
            "What needs to happen?",
        ]
        assert any(by_code[c].options == "grade" for c in codes)
    assert by_code["ESCALATE_DETAIL"].show_if == "ESCALATE = yes"
    assert "Did this audit raise a concern" in by_code["ESCALATE"].text
    assert by_code["LEARN_RATIONALE"].required


def test_the_practitioner_survey_asks_agency_and_role_as_details_not_questions():
    definition = template_get("practitioner-survey").definition
    texts = " ".join(q.text.lower() for q in definition.questions)
    assert "which agency" not in texts and "your role" not in texts
    agree = definition.option_lists["agree"]
    assert [o.points for o in agree] == [5.0, 4.0, 3.0, 2.0, 1.0, None]
    assert agree[-1].label == "Don't know"
    assert any(q.type == "multiple" for q in definition.questions)


def test_the_family_feedback_form_uses_short_questions():
    definition = template_get("family-feedback").definition
    for question in definition.questions:
        if question.code == "FF_HELPER_ROLE":
            continue  # asked of the adult helping
        assert len(question.text.split()) <= 15, question.text
        words = re.findall(r"[A-Za-z']+", question.text)
        assert max(len(word) for word in words) <= 10, question.text


def test_a_case_file_audit_asks_for_the_escalation_only_when_there_is_one(lfp):
    template_import(scrutiny=lfp, slug="case-file-audit")
    compiled = version_compile(instrument_current_version(Instrument.objects.get(code="CFA")))
    definition = template_get("case-file-audit").definition
    values = {}
    for question in definition.questions:
        if question.type == "single":
            values[question.code] = definition.option_lists[question.options][0].value
        elif question.required:
            values[question.code] = "Seen in the record, 12 March."
    values["ESCALATE"] = "no"
    response = response_submit(compiled=compiled, values=values, channel="demo")
    assert not response.answers.filter(question__code="ESCALATE_DETAIL").exists()
    values["ESCALATE"] = "yes"
    values.pop("ESCALATE_DETAIL", None)
    with pytest.raises(ApplicationError, match="ESCALATE_DETAIL is required"):
        response_submit(compiled=compiled, values=values, channel="demo")


# ---------------------------------------------------------------------------------------------
# The shipped workbooks.


@pytest.mark.parametrize("slug", SLUGS)
def test_each_shipped_workbook_reads_back_as_its_definition(slug):
    template = template_get(slug)
    read = instrument_from_workbook(template.path)
    assert read == template.definition
    assert read.content_sha256() == template.definition.content_sha256()


@pytest.mark.parametrize("slug", SLUGS)
def test_each_shipped_workbook_imports_into_a_learning_from_practice_scrutiny(lfp, slug):
    template = template_get(slug)
    first = instrument_import(scrutiny=lfp, file=template.path)
    assert first.outcome == "created"
    assert instrument_import(scrutiny=lfp, file=template.path).outcome == "unchanged"
    # The Python definition and the workbook are the same instrument.
    assert template_import(scrutiny=lfp, slug=slug).outcome == "unchanged"
    linked = Question.objects.filter(version=first.version, factor_links__isnull=False)
    assert all(question.is_scored for question in linked)


def test_build_library_writes_what_is_shipped(tmp_path, capsys):
    call_command("build_library", "--out", str(tmp_path))
    built = sorted(path.name for path in tmp_path.iterdir())
    assert built == sorted([*(t.filename for t in TEMPLATES), SCRUTINY_WORKBOOK])
    for name in built:
        shipped = WORKBOOKS_DIR / name
        assert workbook_contents((tmp_path / name).read_bytes()) == workbook_contents(
            shipped.read_bytes()
        ), f"{name} is out of date: run manage.py build_library"
    call_command("build_library", "--check")
    assert "up to date" in capsys.readouterr().out


def test_build_library_is_deterministic_and_check_finds_a_stale_file(tmp_path):
    template = TEMPLATES[0]
    assert template_workbook_bytes(template) == template_workbook_bytes(template)
    call_command("build_library", "--out", str(tmp_path))
    (tmp_path / template.filename).write_bytes(template_workbook_bytes(TEMPLATES[1]))
    with pytest.raises(CommandError, match=template.filename):
        call_command("build_library", "--out", str(tmp_path), "--check")
    call_command("build_library", "--out", str(tmp_path))
    call_command("build_library", "--out", str(tmp_path), "--check")


def test_the_starter_scrutiny_imports_and_takes_every_template(partnership):
    result = scrutiny_import(partnership=partnership, file=WORKBOOKS_DIR / SCRUTINY_WORKBOOK)
    scrutiny = result.scrutiny
    assert set(scrutiny.factors.values_list("code", flat=True)) == FACTOR_CODES
    for template in TEMPLATES:
        assert template_import(scrutiny=scrutiny, slug=template.slug).outcome == "created"


# ---------------------------------------------------------------------------------------------
# `manage.py library`.


def test_library_list_shows_every_template(capsys):
    call_command("library", "list")
    out = capsys.readouterr().out
    for template in TEMPLATES:
        assert template.slug in out
        assert template.filename in out


def test_library_import_adds_a_template_once(lfp, capsys):
    call_command("library", "import", "lfp", "board-questionnaire")
    assert "BQ (version 1) in lfp: created" in capsys.readouterr().out
    call_command("library", "import", "lfp", "board-questionnaire")
    assert "unchanged" in capsys.readouterr().out
    call_command("library", "import", "lfp", "board-questionnaire", "--code", "BQ2")
    assert set(lfp.instruments.values_list("code", flat=True)) == {"BQ", "BQ2"}


def test_library_import_refuses_factors_a_scrutiny_does_not_have(other_scrutiny):
    with pytest.raises(CommandError, match=r"SF1, SF2, SF3, SF4, SF5, SF6, which scrutiny"):
        call_command("library", "import", "neglect", "practitioner-survey")
    assert not Instrument.objects.exists()
    call_command("library", "import", "neglect", "practitioner-survey", "--no-factors")
    instrument = Instrument.objects.get(scrutiny=other_scrutiny, code="PS")
    assert instrument.versions.get().questions.filter(factor_links__isnull=False).count() == 0


def test_library_import_names_the_templates_there_are(lfp):
    with pytest.raises(CommandError, match="Templates: case-file-audit, early-help-audit"):
        call_command("library", "import", "lfp", "section-12")
    with pytest.raises(CommandError, match="There is no scrutiny 'nope'"):
        call_command("library", "import", "nope", "section-11")
    assert not Response.objects.exists()
