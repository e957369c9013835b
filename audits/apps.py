from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from scrutiny.models import Scrutiny


class AuditsConfig(AppConfig):
    name = "audits"

    def demo_load(self, *, scrutiny: Scrutiny) -> str | None:
        """The audits part of `manage.py demo` (the core finds it through the app registry)."""
        from audits.demo import demo_audits_load

        return demo_audits_load(scrutiny=scrutiny)

    def case_references(self, *, partnership_id: int) -> QuerySet[Any]:
        """The reference of every case file sampled in the partnership's scrutinies, audited
        or not, as a query of one column: the core's redaction removes each from every text
        that leaves the screen (scrutiny.disclosure.HeldTerms finds it through the registry)."""
        from audits.models import CaseFile

        return CaseFile.objects.filter(sample__scrutiny__partnership_id=partnership_id).values_list(
            "case_ref"
        )
