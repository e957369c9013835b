"""The red-team tests build on the survey tests' fixtures (tests/surveys/conftest.py)."""

from tests.surveys.conftest import (  # noqa: F401
    board_survey,
    board_tool,
    social_worker,
    survey,
    survey_scrutiny,
    survey_tool,
    teacher,
)
