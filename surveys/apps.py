from typing import Any

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def pack_method(self, *, scrutiny: Any) -> list[tuple[str, str]]:
        """The event pack's method: each survey questionnaire's returns and response rate
        (scrutiny.packs.data finds this through the app registry)."""
        from surveys.rates import survey_method_lines

        return survey_method_lines(scrutiny=scrutiny)
