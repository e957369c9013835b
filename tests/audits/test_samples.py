"""Recording the sample (audits.samples): cases with areas, the same draw changing nothing, a
different draw replacing the sample only until an audit starts, the audit tool, selectors."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Assignment, AuditEvent, CaseFile, ImmediateConcern, Sample
from audits.samples import sample_set_instrument, sample_started
from audits.selectors import (
    audit_tool_by_code,
    sample_case_list,
    sample_document,
    sample_for_scrutiny,
)
from scrutiny.errors import ApplicationError
from scrutiny.instruments import instrument_save
from scrutiny.models import Scrutiny
from tests.audits.conftest_samples import areas as areas
from tests.audits.conftest_samples import (
    assign,
    audit_start,
    case_list,
    csv_bytes,
    draw,
    tool_definition,
)
from tests.audits.conftest_samples import audit_tool as audit_tool
from tests.audits.conftest_samples import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

PINNED = [
    ("C-1040", "NTH"),
    ("C-1029", "NTH"),
    ("C-1012", "NTH"),
    ("C-1025", "NTH"),
    ("C-1021", "STH"),
    ("C-1034", "STH"),
    ("C-1002", "STH"),
    ("C-1017", "STH"),
    ("C-1024", "WST"),
    ("C-1022", "WST"),
    ("C-1018", "WST"),
    ("C-1011", "WST"),
]


def drawn_cases(sample: Sample) -> list[tuple[str, str]]:
    return list(sample.cases.order_by("position").values_list("case_ref", "group"))


def snapshot(scrutiny: Scrutiny) -> tuple:
    """Everything a draw could change."""
    return (
        list(Sample.objects.filter(scrutiny=scrutiny).values()),
        list(CaseFile.objects.filter(sample__scrutiny=scrutiny).values()),
        list(Assignment.objects.values_list("pk", flat=True)),
        AuditEvent.objects.count(),
    )


class TestDraw:
    def test_records_the_sample_and_its_case_files(self, scrutiny, areas, business_unit):
        result = draw(scrutiny, user=business_unit)
        assert result.drawn and not result.replaced
        sample = result.sample
        assert (sample.by, sample.per, sample.seed, sample.filters) == ("area", 4, 42, {})
        assert sample.file_name == "cases.csv"
        assert sample.file_sha256 == hashlib.sha256(case_list()).hexdigest()
        assert sample.columns == ["case_ref", "area", "team", "repeat_plan"]
        assert sample.population == 40
        assert sample.drawn_by == business_unit
        assert drawn_cases(sample) == PINNED
        first = sample.cases.get(position=1)
        assert first.case_ref == "C-1040"
        assert first.area == areas["NTH"]
        assert first.data == {"area": "NTH", "team": "Child Protection", "repeat_plan": "yes"}
        event = AuditEvent.objects.get()
        assert event.action == AuditEvent.Action.SAMPLED
        assert event.user == business_unit and event.scrutiny == scrutiny
        assert event.detail == (
            f"12 case files drawn from 40 in cases.csv (SHA-256 {sample.file_sha256}): 4 per "
            "area, seed 42, filters none."
        )

    def test_the_same_file_and_options_change_nothing(self, scrutiny, areas):
        first = draw(scrutiny).sample
        before = snapshot(scrutiny)
        again = draw(scrutiny, file_name="renamed.csv", by="AREA", filters={})
        assert not again.drawn
        assert again.sample.pk == first.pk
        assert snapshot(scrutiny) == before

    def test_a_different_seed_replaces_the_sample_until_an_audit_starts(
        self, scrutiny, areas, council
    ):
        first = draw(scrutiny).sample
        assign(first, council)
        result = draw(scrutiny, seed=43)
        assert result.drawn and result.replaced and result.assignments_removed == 1
        assert result.sample.pk == first.pk
        assert drawn_cases(result.sample) != PINNED
        assert len(drawn_cases(result.sample)) == 12
        assert not Assignment.objects.exists()
        assert AuditEvent.objects.count() == 2
        assert AuditEvent.objects.first().detail.endswith("It replaces the earlier draw.")

    def test_csv_and_xlsx_of_the_same_rows_draw_the_same_sample(self, scrutiny, areas):
        from_csv = drawn_cases(draw(scrutiny).sample)
        result = draw(scrutiny, content=case_list("xlsx"), file_name="cases.xlsx")
        assert result.drawn  # another file (checksum), so recorded again...
        assert drawn_cases(result.sample) == from_csv == PINNED  # ...with the same case files
        assert result.sample.file_name == "cases.xlsx"

    def test_redraw_is_refused_once_an_audit_has_started(
        self, scrutiny, areas, council, auditor_council, audit_tool
    ):
        sample = draw(scrutiny, instrument=audit_tool).sample
        audit_start(sample, council, auditor_council, audit_tool)
        assert sample_started(sample=sample)
        before = snapshot(scrutiny)
        with pytest.raises(ApplicationError) as error:
            draw(scrutiny, seed=7)
        assert str(error.value) == (
            "The sample cannot be drawn again: the audit of this sample has started (1 audit of "
            "it has answers). A sample is fixed once its audits start, so that the audits match "
            "the draw that was recorded."
        )
        assert snapshot(scrutiny) == before
        # The same draw is still no change, and no error.
        assert not draw(scrutiny).drawn

    def test_an_immediate_concern_also_fixes_the_sample(self, scrutiny, areas, auditor_council):
        sample = draw(scrutiny).sample
        ImmediateConcern.objects.create(
            case=sample.cases.first(), raised_by=auditor_council, concern="Made-up concern."
        )
        with pytest.raises(ApplicationError, match=r"1 immediate concern was raised"):
            draw(scrutiny, per=2)

    def test_filters_are_matched_case_insensitively_by_column_and_recorded(self, scrutiny, areas):
        sample = draw(scrutiny, per=2, filters={"Repeat_Plan": ["yes"]}).sample
        assert sample.filters == {"repeat_plan": ["yes"]}
        assert sample.population == 14
        assert all(c.data["repeat_plan"] == "yes" for c in sample.cases.all())
        assert sample.cases.count() == 6

    def test_area_from_the_by_column_by_code_or_name(self, scrutiny, areas):
        content = csv_bytes(
            "case_ref,district,team",
            "D-1,fernhill south,A",
            "D-2,nth,A",
            "D-3,Elsewhere,B",
        )
        sample = draw(scrutiny, content=content, by="district", per=1).sample
        found = {c.case_ref: c.area for c in sample.cases.all()}
        assert found == {"D-1": areas["STH"], "D-2": areas["NTH"], "D-3": None}

    def test_an_area_column_wins_over_the_by_column(self, scrutiny, areas):
        content = csv_bytes("case_ref,area,team", "D-1,WST,NTH", "D-2,,NTH")
        sample = draw(scrutiny, content=content, by="team", per=5).sample
        found = {c.case_ref: c.area for c in sample.cases.all()}
        assert found == {"D-1": areas["WST"], "D-2": areas["NTH"]}

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (
                {"by": "district"},
                "The case list has no column 'district' to stratify by. Its columns: area, "
                "team, repeat_plan.",
            ),
            (
                {"by": "case_ref"},
                "Each case file has its own case_ref, so the draw cannot stratify by it.",
            ),
            (
                {"filters": {"colour": ["red"]}},
                "The case list has no column 'colour' to filter by.",
            ),
            (
                {"filters": {"repeat_plan": ["Yes"]}},
                "Column repeat_plan of the case list has no value 'Yes': its values are 'yes', "
                "'no'. Values are compared exactly as written.",
            ),
            ({"per": 0}, "How many case files from each group must be a whole number"),
            ({"content": b"case_ref,area\r\nC-1,NTH\r\nC-1,STH\r\n"}, "Row 3, column A"),
        ],
    )
    def test_bad_options_change_nothing(self, scrutiny, areas, options, message):
        draw(scrutiny)
        before = snapshot(scrutiny)
        with pytest.raises(ApplicationError) as error:
            draw(scrutiny, **{"seed": 9, **options})
        assert message in str(error.value)
        assert snapshot(scrutiny) == before


class TestAuditTool:
    def test_chosen_with_the_draw_or_after(self, scrutiny, areas, audit_tool, business_unit):
        sample = draw(scrutiny).sample
        assert sample.instrument is None
        assert sample_set_instrument(sample=sample, instrument=audit_tool, user=business_unit)
        assert Sample.objects.get().instrument == audit_tool
        assert not sample_set_instrument(sample=sample, instrument=audit_tool, user=business_unit)
        event = AuditEvent.objects.first()
        assert event.action == AuditEvent.Action.CHANGED
        assert event.detail == "Audit tool of the sample set to MACFA Multi-agency case-file audit."

    def test_the_same_draw_with_a_tool_sets_it(self, scrutiny, areas, audit_tool):
        draw(scrutiny)
        result = draw(scrutiny, instrument=audit_tool)
        assert not result.drawn and result.instrument_changed
        assert Sample.objects.get().instrument == audit_tool

    def test_only_a_file_audit_of_the_scrutiny(self, scrutiny, areas, partnership):
        survey = instrument_save(
            scrutiny=scrutiny, definition=tool_definition("PS1", "practitioner_survey")
        ).instrument
        other = Scrutiny.objects.create(partnership=partnership, slug="neglect", title="Neglect")
        elsewhere = instrument_save(scrutiny=other, definition=tool_definition()).instrument
        sample = draw(scrutiny).sample
        with pytest.raises(ApplicationError, match="PS1 is a practitioner survey, not a case-file"):
            sample_set_instrument(sample=sample, instrument=survey, user=None)
        with pytest.raises(ApplicationError, match="MACFA is not an instrument of Learning"):
            sample_set_instrument(sample=sample, instrument=elsewhere, user=None)
        with pytest.raises(ApplicationError, match="Its case-file audit tools: none yet"):
            audit_tool_by_code(scrutiny=scrutiny, code="NOPE")
        assert Sample.objects.get().instrument is None

    def test_cannot_change_once_an_audit_has_started(
        self, scrutiny, areas, audit_tool, council, auditor_council
    ):
        sample = draw(scrutiny, instrument=audit_tool).sample
        audit_start(sample, council, auditor_council, audit_tool)
        second = instrument_save(scrutiny=scrutiny, definition=tool_definition("MACFA2")).instrument
        with pytest.raises(ApplicationError, match="The audit tool cannot be changed: the audit"):
            sample_set_instrument(sample=sample, instrument=second, user=None)
        assert Sample.objects.get().instrument == audit_tool


class TestSelectors:
    def test_case_list_in_one_query_whatever_its_size(
        self, scrutiny, areas, django_assert_num_queries, council
    ):
        small = draw(scrutiny, per=1).sample
        with django_assert_num_queries(1):
            assert len(sample_case_list(sample=small)) == 3
        large = draw(scrutiny, per=20).sample
        assign(large, council)
        with django_assert_num_queries(1):
            cases = sample_case_list(sample=large)
            assert [c.area.code for c in cases][:2] == ["NTH", "NTH"]
        assert len(cases) == 40
        assert (cases[0].assignment_count, cases[0].started_count) == (1, 0)

    def test_sample_for_scrutiny_and_document(self, scrutiny, areas, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert sample_for_scrutiny(scrutiny=scrutiny) is None
        draw(scrutiny)
        with django_assert_num_queries(1):
            sample = sample_for_scrutiny(scrutiny=scrutiny)
            assert sample.instrument is None and sample.drawn_by is None
        with django_assert_num_queries(1):
            document = sample_document(sample=sample)
        assert document == {
            "scrutiny": "learning-2025",
            "seed": 42,
            "by": "area",
            "per": 4,
            "file_sha256": sample.file_sha256,
            "cases": [{"case_ref": ref, "group": group} for ref, group in PINNED],
        }

    def test_a_draw_takes_the_same_queries_for_more_cases(self, scrutiny, areas):
        draw(scrutiny, per=1)
        with CaptureQueriesContext(connection) as few:
            draw(scrutiny, per=2)
        with CaptureQueriesContext(connection) as many:
            draw(scrutiny, per=20)
        assert len(many) == len(few)
