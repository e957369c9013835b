"""The children and young people's templates (11 to 17, 8 to 11), the young scrutineers' impact
feedback tool, and instruments of kind young_people from a workbook."""

from __future__ import annotations

import pytest

from scrutiny.errors import ApplicationError
from scrutiny.instruments import instrument_current_version, option_list_is_scored, version_compile
from scrutiny.library import TEMPLATES, template_get, template_import
from scrutiny.library.learning_from_practice import FACTORS, scrutiny_workbook
from scrutiny.models import Instrument, Source
from scrutiny.scoring import Cell, scrutiny_scores
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, scrutiny_save
from scrutiny.workbooks import instrument_import, scrutiny_from_workbook
from tests.scrutiny.test_scoring_builders import Evidence
from tests.scrutiny.test_workbooks_support import saved, xlsx

pytestmark = pytest.mark.django_db

SURVEYS = ("young-people-survey", "children-survey")
YOUNG = (*SURVEYS, "young-scrutineers-feedback")
FACTOR_CODES = {code for code, _ in FACTORS}


@pytest.fixture
def lfp(partnership):
    data = ScrutinyData(settings=ScrutinySettings(slug="lfp", title="LfP"), factors=FACTORS)
    return scrutiny_save(partnership=partnership, data=data).scrutiny


def test_the_library_lists_the_three_templates_of_kind_young_people():
    young = [t for t in TEMPLATES if t.definition.kind == Source.YOUNG_PEOPLE]
    assert [t.slug for t in young] == list(YOUNG)
    assert [t.definition.title for t in young] == [
        "Children and young people's survey, 11 to 17: tell us about the help you get",
        "Children's survey, 8 to 11: tell us about the help you get",
        "Young scrutineers' impact feedback",
    ]


@pytest.mark.parametrize("slug", YOUNG)
def test_each_compiles_in_a_learning_from_practice_scrutiny(lfp, slug):
    result = template_import(scrutiny=lfp, slug=slug)
    compiled = version_compile(instrument_current_version(result.instrument))
    assert result.instrument.kind == "young_people"
    assert list(compiled.questions) == [q.code for q in template_get(slug).definition.questions]


@pytest.mark.parametrize("slug", SURVEYS)
def test_the_surveys_ask_an_age_band_use_five_faces_and_end_with_anything_else(slug):
    definition = template_get(slug).definition
    first, last = definition.questions[0], definition.questions[-1]
    # An age band, never an age: single choice, unscored, skippable, "I don't want to say".
    assert (first.type, first.required, first.factors) == ("single", False, ())
    bands = definition.option_lists[first.options]
    assert not option_list_is_scored(bands)
    assert bands[-1].label == "I don't want to say"
    assert all(" to " in o.label or " or " in o.label for o in bands[:-1])
    assert not any(q.type == "number" for q in definition.questions)
    # The scale: five faces with words and points 5 to 1, and "I don't know" unscored.
    faces = definition.option_lists["faces"]
    assert [(o.label, o.points) for o in faces] == [
        ("Really good", 5.0),
        ("Good", 4.0),
        ("OK", 3.0),
        ("Bad", 2.0),
        ("Really bad", 1.0),
        ("I don't know", None),
    ]
    scored = [q for q in definition.questions if q.factors]
    assert scored and all(q.options == "faces" for q in scored)
    assert {ref.code for q in scored for ref in q.factors} == FACTOR_CODES
    assert (last.type, last.text) == ("text", "Is there anything else you want to tell us?")
    # It promises nothing it cannot do: nobody writes back; where to get help now.
    assert "Nobody can write back" in last.help and "Childline" in last.help


def test_the_younger_survey_is_the_simpler_one():
    older = template_get("young-people-survey").definition
    younger = template_get("children-survey").definition
    assert len(younger.questions) < len(older.questions)
    longest = max(len(q.text) for q in younger.questions)
    assert longest <= max(len(q.text) for q in older.questions)
    assert [o.label for o in younger.option_lists["age_band"]] == [
        "8 to 10",
        "11 or older",
        "I don't want to say",
    ]


def test_the_impact_feedback_is_unscored_so_it_never_moves_a_factor(lfp):
    definition = template_get("young-scrutineers-feedback").definition
    texts = [q.text for q in definition.questions]
    assert texts[:2] == ["Did the adults listen to you?", "Did anything change because of you?"]
    assert "What changed?" in texts
    assert not any(q.factors for q in definition.questions)
    assert not any(option_list_is_scored(o) for o in definition.option_lists.values())
    instrument = template_import(scrutiny=lfp, slug="young-scrutineers-feedback").instrument
    compiled = version_compile(instrument_current_version(instrument))
    Evidence(lfp).submit(
        compiled,
        {
            "YSF_LISTENED": "4",
            "YSF_CHANGED": "yes",
            "YSF_WHAT_CHANGED": "The leaflet for children was rewritten.",
        },
    )
    assert all(factor.n == 0 for factor in scrutiny_scores(scrutiny=lfp).factors)


def test_the_young_people_survey_scores_by_hand(lfp):
    instrument = template_import(scrutiny=lfp, slug="young-people-survey").instrument
    compiled = version_compile(instrument_current_version(instrument))
    evidence = Evidence(lfp)
    # YP_LISTEN counts for SF3 and SF6, YP_EXPLAIN for SF3.
    # One: Really good (1) and Bad (1/4): SF3 (1 + 1/4)/2 = 5/8. Two: OK (1/2), I don't know:
    # SF3 1/2 alone. Source score (5/8 + 1/2)/2 = 9/16 → 56.3 (56.25 rounded half-up), n 2.
    evidence.submit(compiled, {"YP_AGE": "14_15", "YP_LISTEN": "really_good", "YP_EXPLAIN": "bad"})
    evidence.submit(compiled, {"YP_LISTEN": "ok", "YP_EXPLAIN": "dont_know"})
    sf3 = scrutiny_scores(scrutiny=lfp).factor("SF3")
    assert sf3.sources == {"young_people": Cell(pytest.approx(9 / 16), 2)}
    assert sf3.display == 56.3
    # SF6 only from YP_LISTEN: (1 + 1/2)/2 = 3/4.
    assert scrutiny_scores(scrutiny=lfp).factor("SF6").display == 75.0


def test_an_instrument_workbook_of_kind_young_people_imports(lfp):
    file = xlsx(
        {
            "settings": [
                ["key", "value"],
                ["code", "YP1"],
                ["title", "Our young people's survey"],
                ["kind", "young_people"],
            ],
            "questions": [
                ["section", "code", "type", "text", "options", "factors"],
                ["You", "Q1", "single", "How good are the adults at listening?", "faces", "SF3"],
            ],
            "options": [
                ["list", "value", "label", "points"],
                ["faces", "good", "Good", 2],
                ["faces", "ok", "OK", 1],
                ["faces", "bad", "Bad", 0],
            ],
        }
    )
    result = instrument_import(scrutiny=lfp, file=file)
    assert Instrument.objects.get(pk=result.instrument.pk).kind == "young_people"
    assert result.instrument.get_kind_display() == "Children and young people"


def test_an_unknown_kind_names_the_fifth_among_those_allowed(lfp):
    file = xlsx(
        {
            "settings": [["key", "value"], ["code", "X"], ["title", "X"], ["kind", "children"]],
            "questions": [["section", "code", "type", "text"], ["S", "Q1", "text", "Anything?"]],
        }
    )
    with pytest.raises(ApplicationError) as error:
        instrument_import(scrutiny=lfp, file=file)
    assert "young_people" in " ".join(error.value.extra["errors"])


def test_the_starter_scrutiny_weighs_the_fifth_source():
    data = scrutiny_from_workbook(saved(scrutiny_workbook()))
    assert data.source_weights["young_people"] == 1.0
    assert set(data.source_weights) == set(Source.values)
