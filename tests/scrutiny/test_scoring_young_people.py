"""The fifth source, children and young people (`young_people`), scored and weighted like the
other four (SCORING.md §6 and §7), with every number worked out by hand; and shown where sources
are shown: the scorecard and its triangulation, the pack's method and source lines, the plan's
drafted evidence, the API, and the scrutiny's settings form.

The scale is the library's five faces: Really good 5, Good 4, OK 3, Bad 2, Really bad 1, so
(SCORING.md §2, lo 1, hi 5) Really good scores 1, Good 3/4, OK 1/2, Bad 1/4, Really bad 0; and
"I don't know" has no points, so it is counted but not scored.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny.forms_scrutinies import ScrutinyForm
from scrutiny.library.young_people import FACES
from scrutiny.models import Scrutiny
from scrutiny.packs.build import pack_files
from scrutiny.packs.data import pack_data
from scrutiny.scorecard import scorecard
from scrutiny.scoring import Cell, Rating, scrutiny_scores
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, scrutiny_save
from tests.conftest import client_for
from tests.scrutiny.test_scoring_builders import (
    AGREE,
    GRADE,
    Evidence,
    Q,
    build_worked_example,
    make_instrument,
    make_scrutiny,
)

pytestmark = pytest.mark.django_db

YP = "young_people"
DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
LISTS = {"grade": GRADE, "agree": AGREE, "faces": FACES}

# Five young people's responses to Y1 (SF1), Y2 (SF2, link weight 2) and Y3 (SF2, weight 1).
# None: not answered. dont_know: answered, not scored.
YOUNG = (
    ("bad", "really_good", "bad"),
    ("bad", "ok", "ok"),
    ("ok", "dont_know", "really_good"),
    ("really_bad", "dont_know", "dont_know"),
    ("dont_know", "good", None),
)


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-12)


def _build(partnership, *, weights: dict[str, float] | None = None) -> Scrutiny:
    """One audit (Q1 Good → SF1, Q2 Outstanding → SF2), two survey returns to P1 (SF2: Agree,
    Disagree) and the five young people above."""
    scrutiny = make_scrutiny(partnership, source_weights=weights)
    evidence = Evidence(scrutiny)
    audit = make_instrument(
        scrutiny,
        code="FA",
        kind="file_audit",
        questions=[Q("Q1", factors="SF1"), Q("Q2", factors="SF2")],
        option_lists=LISTS,
    )
    evidence.submit(audit, {"Q1": "3", "Q2": "4"}, case_ref="C-1")
    survey = make_instrument(
        scrutiny,
        code="PS",
        kind="practitioner_survey",
        questions=[Q("P1", options="agree", factors="SF2")],
        option_lists=LISTS,
    )
    evidence.submit(survey, {"P1": "4"})
    evidence.submit(survey, {"P1": "2"})
    young = make_instrument(
        scrutiny,
        code="YP",
        kind=YP,
        questions=[
            Q("Y1", options="faces", factors="SF1"),
            Q("Y2", options="faces", factors="SF2:2"),
            Q("Y3", options="faces", factors="SF2"),
        ],
        option_lists=LISTS,
    )
    for answers in YOUNG:
        values = {
            code: value for code, value in zip(("Y1", "Y2", "Y3"), answers, strict=True) if value
        }
        evidence.submit(young, values)
    return scrutiny


def test_the_fifth_source_is_weighted_in_the_factor_score_by_hand(partnership):
    scrutiny = _build(partnership, weights={"file_audit": 1, YP: 2})
    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    # Audits: the one audit's Q1 Good is 2/3, n 1.
    assert sf1.sources["file_audit"] == Cell(approx(2 / 3), 1)
    # Young people on Y1: Bad 1/4, Bad 1/4, OK 1/2, Really bad 0; the fifth said "I don't know",
    # which does not count: (1/4 + 1/4 + 1/2 + 0)/4 = 1/4, n 4.
    assert sf1.sources[YP] == Cell(approx(1 / 4), 4)
    # Audits weigh 1, young people 2: (1·2/3 + 2·1/4)/(1 + 2) = (2/3 + 1/2)/3 = 7/18 → 38.9,
    # n = 1 + 4 = 5, at the minimum of 5, below 50: limited evidence.
    assert (sf1.score, sf1.display, sf1.n, sf1.rating) == (approx(7 / 18), 38.9, 5, Rating.LIMITED)


def test_three_sources_with_the_fifth_weighing_double_and_its_question_links_weighted(
    partnership,
):
    scrutiny = _build(partnership, weights={YP: 2})
    sf2 = scrutiny_scores(scrutiny=scrutiny).factor("SF2")
    # Audits: Q2 Outstanding is 1, n 1. Survey: Agree 3/4 and Disagree 1/4: 1/2, n 2.
    assert sf2.sources["file_audit"] == Cell(approx(1), 1)
    assert sf2.sources["practitioner_survey"] == Cell(approx(1 / 2), 2)
    # Each young person's s(r, SF2) = (2·Y2 + 1·Y3)/(2 + 1) over the answers that score (§4):
    #   1: (2·1 + 1/4)/3 = 3/4;  2: (2·1/2 + 1/2)/3 = 1/2;  3: Y3 alone, 1/1 = 1;
    #   4: nothing scored: does not count;  5: Y2 alone, (2·3/4)/2 = 3/4.
    # S(young people, SF2) = (3/4 + 1/2 + 1 + 3/4)/4 = 3/4, n 4.
    assert sf2.sources[YP] == Cell(approx(3 / 4), 4)
    # Weights audits 1 (missing means 1), survey 1, young people 2:
    # (1·1 + 1·1/2 + 2·3/4)/(1 + 1 + 2) = 3/4 → 75.0, exactly the strong threshold: strong.
    assert (sf2.score, sf2.display, sf2.n, sf2.rating) == (approx(3 / 4), 75.0, 7, Rating.STRONG)
    # In SOURCES order: the fifth source comes last.
    assert list(sf2.sources) == ["file_audit", "practitioner_survey", YP]


def test_with_every_weight_left_at_one_the_fifth_source_counts_as_much_as_any_other(partnership):
    sf1 = scrutiny_scores(scrutiny=_build(partnership)).factor("SF1")
    # (2/3 + 1/4)/2 = 11/24 → 45.8.
    assert (sf1.score, sf1.display) == (approx(11 / 24), 45.8)


def test_the_documents_example_with_children_and_young_people(partnership):
    scrutiny = build_worked_example(partnership)  # audits weigh 2 there, the survey 1
    young = make_instrument(
        scrutiny, code="YP", kind=YP, questions=[Q("Y1", options="faces")], option_lists=LISTS
    )
    for face in ("bad", "bad", "ok", "really_bad"):
        Evidence(scrutiny).submit(young, {"Y1": face})
    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    assert sf1.sources[YP] == Cell(approx(1 / 4), 4)
    # (2·16/27 + 1·2/3 + 1·1/4)/(2 + 1 + 1) = (128/108 + 72/108 + 27/108)/4 = 227/432 → 52.5.
    assert (sf1.score, sf1.display, sf1.n) == (approx(227 / 432), 52.5, 19)
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    times = "\N{MULTIPLICATION SIGN}"
    assert f"SF1 = (2 {times} 16/27 + 1 {times} 2/3 + 1 {times} 1/4) / (2 + 1 + 1)" in text
    assert "= **227/432**, which is **52.5**, from n = 19" in text


def test_the_scorecard_shows_the_source_and_its_divergence(partnership):
    scrutiny = _build(partnership, weights={YP: 2})
    rows = {row.code: row for row in scorecard(scrutiny=scrutiny)}
    sf1 = rows["SF1"]
    assert [(bar.source, bar.label, bar.score, bar.n) for bar in sf1.sources] == [
        ("file_audit", "Multi-agency case-file audit", 66.7, 1),
        (YP, "Children and young people", 25.0, 4),
    ]
    # Triangulation: 2/3 - 1/4 = 5/12 → 41.7 points apart, more than the margin of 20.
    assert (sf1.spread, sf1.divergent) == (41.7, True)


def test_the_workspace_page_shows_the_source(partnership, scrutineer):
    scrutiny = _build(partnership, weights={YP: 2})
    page = client_for(scrutineer).get(f"/scrutinies/{scrutiny.slug}/workspace/")
    assert page.status_code == 200
    assert "Children and young people: 25.0 (n 4)" in page.content.decode()


def test_the_pack_names_the_source_in_its_method_scorecard_and_sources(partnership):
    scrutiny = _build(partnership, weights={YP: 2})
    data = pack_data(scrutiny=scrutiny)
    # The method: each instrument once with its returns, the young people's 5 among them (the
    # response that scored nothing was still returned); the surveys app words the count.
    method = dict(data.method)
    assert list(method) == ["Instrument FA", "Instrument PS", "Instrument YP"]
    assert method["Instrument YP"].startswith("5 ")
    # The divergent factor's discussion names the fifth source as the low one.
    assert data.discussion[0] == (
        "SF1: why does multi-agency case-file audit (66.7) see this so differently from "
        "children and young people (25.0)?"
    )
    pdf, xlsx = io.BytesIO(), io.BytesIO()
    pack_files(scrutiny=scrutiny, pdf=pdf, xlsx=xlsx)
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages
        ).split()
    )
    assert "Children and young people 25.0" in text  # the summary's Sources column
    workbook = load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True)
    sources = list(workbook["Sources"].iter_rows(values_only=True))
    assert ("SF1", "Children and young people", 25.0, 4) in sources
    assert ("SF2", "Children and young people", 75.0, 4) in sources


def test_the_plans_drafted_evidence_gives_the_fifth_sources_score(partnership):
    scrutiny = _build(partnership, weights={YP: 2})
    actions = {action.code: action for action in pack_data(scrutiny=scrutiny).actions}
    assert actions["SF1"].evidence == (
        "Limited evidence, 38.9 from 5 responses "
        "(multi-agency case-file audit 66.7 from 1; children and young people 25.0 from 4)."
    )


def test_the_api_scorecard_gives_the_source(partnership, business_unit):
    scrutiny = _build(partnership, weights={YP: 2})
    body = client_for(business_unit).get(f"/api/scrutinies/{scrutiny.slug}/scorecard/").json()
    sf1 = next(row for row in body if row["code"] == "SF1")
    assert sf1["sources"][-1] == {
        "source": YP,
        "label": "Children and young people",
        "score": 25.0,
        "n": 4,
    }


def test_the_settings_form_sets_the_fifth_sources_weight(partnership, business_unit):
    scrutiny = _build(partnership)
    client = client_for(business_unit)
    url = f"/scrutinies/{scrutiny.slug}/settings/"
    form = client.get(url).content.decode()
    assert "Weight of children and young people" in form
    posted = {
        "title": scrutiny.title,
        "strong_threshold": "75",
        "some_threshold": "50",
        "min_responses": "5",
        "suppression_threshold": "5",
        "status": scrutiny.status,
        "factors": "SF1 | Practitioners know\nSF2 | Learning reaches",
        "weight_file_audit": "1",
        "weight_practitioner_survey": "1",
        "weight_board_questionnaire": "1",
        "weight_family_feedback": "1",
        "weight_young_people": "2",
    }
    assert client.post(url, posted).status_code == 302
    scrutiny.refresh_from_db()
    # Only the weight that changed is stored; the others stay missing, meaning 1.
    assert scrutiny.source_weights == {YP: 2.0}
    assert scrutiny_scores(scrutiny=scrutiny).factor("SF1").display == 38.9
    # A weight of 0 is refused, naming the source, and changes nothing.
    refused = client.post(url, {**posted, "weight_young_people": "0"})
    assert refused.status_code == 200
    assert "Weight of children and young people: Enter a weight above 0" in refused.content.decode()
    scrutiny.refresh_from_db()
    assert scrutiny.source_weights == {YP: 2.0}


def test_saving_the_settings_unchanged_keeps_the_weights_as_they_were(partnership):
    scrutiny = scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(
            settings=ScrutinySettings(slug="weights", title="Weights"),
            factors=(),
            source_weights={"file_audit": 1, YP: 3},
        ),
    ).scrutiny
    form = ScrutinyForm(scrutiny=scrutiny)
    assert form.initial["weight_young_people"] == 3.0
    assert form.initial["weight_board_questionnaire"] == 1
    data = {name: value for name, value in form.initial.items() if value is not None}
    bound = ScrutinyForm(data, scrutiny=scrutiny)
    assert bound.is_valid(), bound.errors
    assert bound.source_weights() == {"file_audit": 1, YP: 3}
