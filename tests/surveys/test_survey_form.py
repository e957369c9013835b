"""The survey set-up form (issue 15): date-time controls styled like the other inputs, labels
that say "(optional)" once, hints that give an example rather than a format the control does not
use, and the open-link checkbox with its label after the box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from surveys.models import Survey
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def new_survey_url(survey_tool) -> str:
    return reverse("survey-new", args=[survey_tool.scrutiny.slug])


def group_of(html: str, field: str) -> str:
    """The form group of one field: from its opening <div class="form-group"> to the next."""
    at = html.index(f'id="id_{field}"')
    start = html.rindex('<div class="form-group', 0, at)
    end = html.find('<div class="form-group', at)
    return html[start : end if end != -1 else len(html)]


def test_the_date_time_fields_say_optional_once_and_give_an_example_not_a_format(
    survey_tool, business_unit
):
    html = client_for(business_unit).get(new_survey_url(survey_tool)).text
    assert "(optional) (optional)" not in html
    assert '<label class="label" for="id_closes_at">Closes (optional)</label>' in html
    assert '<label class="label" for="id_opens_at">Opens</label>' in html
    for field, example in (("opens_at", "1 March 2026 at 9am"), ("closes_at", "31 March 2026")):
        group = group_of(html, field)
        hint = re.search(r'<div class="hint" id="id_\w+_helptext">(.*?)</div>', group).group(1)
        assert example in hint
        # No year-month-day or 24-hour digits the control neither shows nor takes typed.
        assert not re.search(r"\d{4}-\d{2}|\d{2}:\d{2}", hint), hint
        assert 'type="datetime-local"' in group
        assert f'aria-describedby="id_{field}_helptext"' in group
    # The control's own value format (what the browser sends and shows in its own way).
    opens = re.search(r'name="opens_at" value="([^"]+)"', html).group(1)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", opens)


def test_the_open_link_checkbox_has_its_label_after_the_box(survey_tool, business_unit):
    html = client_for(business_unit).get(new_survey_url(survey_tool)).text
    group = group_of(html, "open_link_enabled")
    assert '<legend class="label">Open link</legend>' in group
    label = re.search(r'<label for="id_open_link_enabled">(.*?)</label>', group, re.S).group(1)
    box = label.index('type="checkbox"')
    assert box < label.index("Anyone with the open link may answer")
    assert 'aria-describedby="id_open_link_enabled_helptext"' in label
    assert 'class="label"' not in label  # not a heading above the box
    assert "(optional)" not in group


def test_the_date_time_inputs_are_styled_like_the_other_inputs():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    rule = next(r for r in css.split("}") if "input[type=text]" in r and "border" in r)
    selectors = [s.strip() for s in rule.split("{")[0].split(",")]
    assert "input[type=datetime-local]" in selectors and "input[type=date]" in selectors


@pytest.mark.parametrize(("ticked", "expected"), [(True, True), (False, False)])
def test_the_checkbox_sets_the_open_link(survey_tool, business_unit, ticked, expected):
    data = {
        "instrument": survey_tool.pk,
        "title": "Practitioners 2026",
        "opens_at": "2026-03-01T09:00",
        "closes_at": "",
        "anonymous": "",
        "reminder_days": "7",
        "reminder_limit": "2",
        **({"open_link_enabled": "on"} if ticked else {}),
    }
    page = client_for(business_unit).post(new_survey_url(survey_tool), data)
    assert page.status_code == 302
    survey = Survey.objects.get()
    assert survey.open_link_enabled is expected and survey.closes_at is None


def test_a_date_time_not_understood_is_an_error_that_says_what_to_enter(survey_tool, business_unit):
    page = client_for(business_unit).post(
        new_survey_url(survey_tool),
        {"instrument": survey_tool.pk, "title": "T", "opens_at": "next week", "closes_at": "x"},
    )
    assert page.status_code == 200 and "<title>Error: " in page.text
    assert (
        '<a href="#id_opens_at">Opens: Enter the date and time the survey opens, for example '
        "1 March 2026 at 9am.</a>"
    ) in page.text
    assert "Enter the date and time the survey closes, for example 31 March 2026 at 5pm." in (
        page.text
    )
    assert not Survey.objects.exists()
