"""A scrutiny's settings checks (scrutiny.scrutinies.settings_errors): the settings page, the
scrutiny workbook and the service refuse the same settings with the same words."""

from __future__ import annotations

import datetime as dt

import pytest

from scrutiny.errors import ApplicationError
from scrutiny.forms_scrutinies import ScrutinyForm
from scrutiny.models import Agency, Scrutiny
from scrutiny.scrutinies import (
    AgencyData,
    ScrutinyData,
    ScrutinySettings,
    scrutiny_save,
    settings_errors,
)
from scrutiny.workbooks import scrutiny_from_workbook
from tests.scrutiny.test_workbooks_scrutinies import WORKBOOK
from tests.scrutiny.test_workbooks_support import xlsx

pytestmark = pytest.mark.django_db

ENDS_FIRST = "The end date must be on or after the start date."


def _data(**settings) -> ScrutinyData:
    return ScrutinyData(
        settings=ScrutinySettings(
            **{"slug": "lfp-2026", "title": "Learning from Practice", **settings}
        ),
        factors=(("SF1", "Plans are good."),),
        agencies=(AgencyData("ASH", "Ashcombe Council"),),
    )


def _form_errors(**fields) -> dict:
    data = {
        "slug": "lfp-2026",
        "title": "Learning from Practice",
        "strong_threshold": "75",
        "some_threshold": "50",
        "min_responses": "5",
        "suppression_threshold": "5",
        "status": Scrutiny.Status.PLANNING,
        **fields,
    }
    form = ScrutinyForm(data)
    assert not form.is_valid()
    return form.errors


def test_the_service_refuses_an_end_before_the_start_as_the_form_does(partnership):
    form = _form_errors(starts="2026-06-30", ends="2026-04-01")
    assert form == {"ends": [ENDS_FIRST]}
    with pytest.raises(ApplicationError) as refused:
        scrutiny_save(
            partnership=partnership,
            data=_data(starts=dt.date(2026, 6, 30), ends=dt.date(2026, 4, 1)),
        )
    assert refused.value.message == ENDS_FIRST
    # Bad input changes nothing: no scrutiny, and none of the partnership's lists either.
    assert not Scrutiny.objects.exists()
    assert not Agency.objects.filter(code="ASH").exists()


def test_a_bad_change_to_a_saved_scrutiny_leaves_it_as_it_was(partnership):
    saved = scrutiny_save(
        partnership=partnership, data=_data(starts=dt.date(2026, 4, 1), ends=dt.date(2026, 6, 30))
    ).scrutiny
    with pytest.raises(ApplicationError, match="end date must be on or after"):
        scrutiny_save(
            partnership=partnership,
            data=_data(title="Changed", starts=dt.date(2026, 7, 1), ends=dt.date(2026, 6, 30)),
        )
    saved.refresh_from_db()
    assert (saved.title, saved.starts) == ("Learning from Practice", dt.date(2026, 4, 1))


def test_the_same_day_is_a_good_end_everywhere(partnership):
    one_day = {"starts": dt.date(2026, 4, 1), "ends": dt.date(2026, 4, 1)}
    assert scrutiny_save(partnership=partnership, data=_data(**one_day)).created


def test_the_thresholds_out_of_order_are_refused_in_the_same_words(partnership):
    words = (
        "some_threshold (60) is above strong_threshold (50): the some-evidence line must be the "
        "lower one."
    )
    assert _form_errors(strong_threshold="50", some_threshold="60") == {"some_threshold": [words]}
    with pytest.raises(ApplicationError) as refused:
        scrutiny_save(partnership=partnership, data=_data(strong_threshold=50, some_threshold=60))
    assert refused.value.message == words


def test_the_workbook_says_an_end_before_the_start_in_the_same_words():
    sheets = dict(WORKBOOK)
    rows = [row for row in WORKBOOK["scrutiny"] if row[0] != "ends"] + [["ends", "2024-03-31"]]
    sheets["scrutiny"] = rows
    with pytest.raises(ApplicationError) as refused:
        scrutiny_from_workbook(xlsx(sheets))
    assert refused.value.extra["errors"] == [
        f"sheet scrutiny, row {len(rows)}: the end date must be on or after the start date"
    ]


def test_a_setting_not_known_is_not_checked():
    # Missing, or itself wrong (the form and the workbook say so beside it): nothing to compare.
    unknown = settings_errors(
        strong_threshold=None, some_threshold=60, starts=None, ends=dt.date(2026, 1, 1)
    )
    assert unknown == {}
