from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from scrutiny.models import Scrutiny


class AuditsConfig(AppConfig):
    name = "audits"

    def demo_load(self, *, scrutiny: Scrutiny) -> str | None:
        """The audits part of `manage.py demo` (the core finds it through the app registry)."""
        from audits.demo import demo_audits_load

        return demo_audits_load(scrutiny=scrutiny)
