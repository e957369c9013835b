"""The words the code makes, in Welsh (issue 18): the models' choice labels, the findings and
actions drafted from the data, and the kappa's words, all in the active language; English
exactly as it was; and the data (the sources' names the scores carry, a frozen finding) kept in
English whatever the language, so that JSON can hold it and documents translate it as shown.

The Welsh comes from the catalogue the platform ships (locale/cy, with locale-parts/P.po merged).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import models
from django.utils import translation

from audits.agreement import kappa_words
from audits.models import Assignment, AuditEvent
from scrutiny import findings
from scrutiny.disclosure import SOURCE_LABELS
from scrutiny.models import (
    ActionUpdate,
    Agency,
    Brag,
    Job,
    Question,
    Response,
    Scrutiny,
    Source,
    User,
)
from scrutiny.plan.drafting import SourceScore, action_drafted
from tests.scrutiny.test_pack_welsh import _pack
from tests.scrutiny.test_workspace import halves
from tests.scrutiny.test_workspace import scrutiny as scrutiny

CHOICES: list[type[models.Choices]] = [
    Brag,
    ActionUpdate.Evidence,
    Response.Status,
    Response.Channel,
    Question.Type,
    Job.Status,
    Agency.Type,
    User.Role,
    Source,
    Scrutiny.Status,
    Assignment.Role,
    AuditEvent.Action,
]
SAME_IN_WELSH = {"API"}

SOURCES = [
    SourceScore("Practitioner survey", 76.9, 13),
    SourceScore("Multi-agency case-file audit", 16.7, 2),
]


def _in(language: str, value: Any) -> str:
    with translation.override(language):
        return str(value)


@pytest.mark.parametrize(
    ("label", "english", "welsh"),
    [
        (Brag.BLUE.label, "Blue: complete", "Glas: wedi'i gwblhau"),
        (Brag.RED.label, "Red: off track", "Coch: oddi ar y trywydd"),
        (Source.PRACTITIONER_SURVEY.label, "Practitioner survey", "Arolwg ymarferwyr"),
        (User.Role.BOARD_MEMBER.label, "Board member", "Aelod o'r bwrdd"),
        (Agency.Type.POLICE.label, "Police", "Heddlu"),
        (Scrutiny.Status.ANALYSIS.label, "Analysis", "Dadansoddi"),
        (Job.Status.RUNNING.label, "In progress", "Ar y gweill"),
        (Question.Type.TEXT.label, "Text", "Testun"),
        (Response.Status.SUBMITTED.label, "Submitted", "Wedi'i gyflwyno"),
        (Assignment.Role.SECOND.label, "Independent second auditor", "Ail archwilydd annibynnol"),
        (AuditEvent.Action.MODERATED.label, "Moderated", "Cymedrolwyd"),
        (ActionUpdate.Evidence.AUDIT.label, "An audit", "Archwiliad"),
    ],
)
def test_a_choice_label_is_in_the_active_language(label, english, welsh):
    assert _in("en", label) == english
    assert _in("cy", label) == welsh


@pytest.mark.parametrize("choices", CHOICES, ids=lambda c: c.__qualname__)
def test_every_choice_label_has_its_welsh(choices):
    english = [_in("en", label) for label in choices.labels]
    welsh = [_in("cy", label) for label in choices.labels]
    left = [e for e, w in zip(english, welsh, strict=True) if e == w and e not in SAME_IN_WELSH]
    assert not left, f"{choices.__qualname__} has no Welsh for {left}"


def _drafted(language: str, improvements: tuple[str, ...] = ()) -> Any:
    with translation.override(language):
        return action_drafted(
            code="SF1",
            statement="Plans are good.",
            rating="limited",
            score=46.8,
            n=15,
            sources=SOURCES,
            improvements=improvements,
        )


def test_a_drafted_action_is_in_the_active_language_and_english_as_it_was():
    english, welsh = _drafted("en"), _drafted("cy")
    assert english.evidence == (
        "Limited evidence, 46.8 from 15 responses (practitioner survey 76.9 from 13; "
        "multi-agency case-file audit 16.7 from 2)."
    )
    assert english.text == (
        "Agree at the scrutiny event what would make “Plans are good.” true for every child, "
        "who will lead it and by when."
    )
    assert welsh.evidence == (
        "Tystiolaeth gyfyngedig, 46.8 o 15 ymateb (arolwg ymarferwyr 76.9 o 13; "
        "archwiliad amlasiantaethol o ffeiliau achos 16.7 o 2)."
    )
    assert welsh.text.startswith("Cytunwch yn y digwyddiad craffu beth fyddai'n gwneud")
    # The rating the action carries is the data's English: documents translate it as shown.
    assert english.rating == welsh.rating == "Limited evidence"
    with translation.override("cy"):
        assert welsh.with_evidence.startswith(welsh.text + " Yr hyn a ddangosodd y dystiolaeth:")
    one = _drafted("cy", ("Plans drift.",))
    assert one.text.startswith("Cytunwch yn y digwyddiad craffu pwy fydd yn arwain y gwelliant")
    assert _drafted("en", ("Plans drift.",)).text.startswith("Agree at the scrutiny event who")


@pytest.mark.django_db
def test_a_question_named_in_a_finding_is_named_in_welsh(partnership, council):
    """Sixteen returns, none of a grade chosen by fewer than five (5, 6 and 5), so the
    question's counts are shown and its score may be named: in Welsh, its text as written."""
    scrutiny = halves(partnership, council)
    with translation.override("cy"):
        (finding,) = findings.findings_drafted(scrutiny=scrutiny)
    assert "Y cwestiwn cryfaf: “How good was the plan?”" in finding.drafted
    assert "; cod PS Q6)." in finding.drafted and "Strongest" not in finding.drafted


def test_the_kappas_words_are_in_the_active_language():
    cases = [
        (None, "Not defined", "Heb ei ddiffinio"),
        (-0.1, "Less than chance", "Llai na siawns"),
    ]
    cases += [(0.1, "Slight", "Ychydig"), (0.3, "Fair", "Teg"), (0.5, "Moderate", "Cymedrol")]
    cases += [(0.7, "Substantial", "Sylweddol"), (0.9, "Almost perfect", "Bron yn berffaith")]
    for kappa, english, welsh in cases:
        assert _in("en", kappa_words(kappa)) == english
        with translation.override("cy"):
            assert kappa_words(kappa) == welsh


@pytest.mark.django_db
def test_findings_are_drafted_in_the_active_language_and_frozen_in_english(scrutiny, scrutineer):
    with translation.override("cy"):
        drafted = {f.factor.code: f.drafted for f in findings.findings_drafted(scrutiny=scrutiny)}
        assert SOURCE_LABELS["practitioner_survey"] == "Practitioner survey"
    text = drafted["SF1"]
    assert "Tystiolaeth gyfyngedig: 46.8 o 15 ymateb." in text
    assert "Mae'r ffynonellau'n amrywio 60.3 pwynt:" in text
    assert "Yn ôl ffynhonnell: " in text and "Arolwg ymarferwyr 76.9 (n 13)" in text
    # No question is named: its counts are suppressed (SCORING.md §9), and its score and n
    # would give them back (tests/scrutiny/test_workspace.py says how; the next test names one).
    assert "Y cwestiwn cryfaf" not in text and "PS Q6" not in text
    assert "nid oes ymateb sy'n cyfrif wedi ateb ei gwestiynau eto" in drafted["SF2"]
    for english in (
        "Limited evidence",
        "By source",
        "diverge",
        "Strongest",
        "Practitioner survey:",
    ):
        assert english not in text.replace("(Practitioner survey: ", "("), english
    with translation.override("en"):
        again = {f.factor.code: f.drafted for f in findings.findings_drafted(scrutiny=scrutiny)}
    assert "Limited evidence: 46.8 from 15 responses." in again["SF1"]

    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding, strengths="Briefings (PS Q6).", improvements="", user=scrutineer
        )
    with translation.override("cy"):
        signed = findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    frozen = next(f for f in signed if f.factor.code == "SF1").frozen
    labels = {bar["label"] for bar in frozen["row"]["sources"]}
    assert labels == {"Practitioner survey", "Multi-agency case-file audit"}
    json.dumps(frozen)


@pytest.mark.django_db
def test_the_pack_built_in_welsh_drafts_its_actions_in_welsh(scrutiny):
    def actions(language: str) -> str:
        _text, _reader, workbook = _pack(scrutiny, language)
        sheet = workbook.sheetnames[6]  # the draft actions
        rows = workbook[sheet].iter_rows(values_only=True, min_row=2)
        return " ".join(str(cell) for row in rows for cell in row if cell)

    welsh, english = actions("cy"), actions("en")
    assert "Cytunwch yn y digwyddiad craffu" in welsh and "Agree at" not in welsh
    assert "Tystiolaeth gyfyngedig, 46.8 o 15 ymateb (archwiliad amlasiantaethol o" in welsh
    assert "Agree at the scrutiny event what would make" in english
    assert "Limited evidence, 46.8 from 15 responses (multi-agency case-file audit" in english
