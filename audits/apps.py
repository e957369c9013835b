from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from scrutiny.models import Partnership, Scrutiny, User
    from scrutiny.people_data import ErasureLine, HeldSection
    from scrutiny.retention import Cutoffs, RetentionLine


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Audits")

    def demo_load(self, *, scrutiny: Scrutiny) -> str | None:
        """The audits part of `manage.py demo` (the core finds it through the app registry)."""
        from audits.demo import demo_audits_load

        return demo_audits_load(scrutiny=scrutiny)

    def import_job_headings(self) -> dict[str, str]:
        """The heading of the job's page of each import the audits run as a job
        (scrutiny.imports.app_import_headings finds this through the app registry)."""
        from audits.imports import SAMPLE_DRAW

        return {SAMPLE_DRAW: gettext("Drawing the sample of case files")}

    def dpia_capabilities(self, *, user: Any) -> list[tuple[str, bool]]:
        """For the DPIA's table of who sees what: what of case-file audits `user` (a person of
        one role, in memory) may do, by asking audits.permissions (scrutiny.dpia.roles finds
        this through the app registry)."""
        from audits.permissions import can_run_audits, is_auditor

        return [
            (
                gettext(
                    "Draw case-file samples, assign auditors and moderate: sees every case "
                    "reference"
                ),
                can_run_audits(user),
            ),
            (
                gettext(
                    "Complete the case-file audits assigned to them: sees those case references"
                ),
                is_auditor(user),
            ),
        ]

    def case_references(self, *, partnership_id: int) -> QuerySet[Any]:
        """The reference of every case file sampled in the partnership's scrutinies, audited
        or not, as a query of one column: the core's redaction removes each from every text
        that leaves the screen (scrutiny.disclosure.HeldTerms finds it through the registry)."""
        from audits.models import CaseFile

        return CaseFile.objects.filter(sample__scrutiny__partnership_id=partnership_id).values_list(
            "case_ref"
        )

    def retention_run(self, *, partnership: Partnership, cutoffs: Cutoffs) -> list[RetentionLine]:
        """Audit contributions, case lists and the audits' trail past their periods
        (scrutiny.retention finds this through the app registry)."""
        from audits.retention import audits_retention_run

        return audits_retention_run(partnership=partnership, cutoffs=cutoffs)

    def personal_data(
        self, *, partnership: Partnership, email: str, user: User | None
    ) -> list[HeldSection]:
        """What the audits hold about a person (scrutiny.people_data: subject access)."""
        from audits.people_data import audits_personal_data

        return audits_personal_data(partnership=partnership, email=email, user=user)

    def personal_data_erase(
        self, *, partnership: Partnership, email: str, user: User | None
    ) -> list[ErasureLine]:
        """Erasure of a person's data in the audits (scrutiny.people_data)."""
        from audits.people_data import audits_personal_data_erase

        return audits_personal_data_erase(partnership=partnership, email=email, user=user)

    def home_tasks(self, *, user: Any) -> list[Any]:
        """The audits' cards on a person's home page (scrutiny.home finds this through the app
        registry)."""
        from audits.home import audits_home_tasks

        return audits_home_tasks(user=user)

    def home_scrutiny_links(self, *, user: Any, scrutiny: Any) -> list[Any]:
        """Links to a scrutiny's audits pages, for a home page's scrutinies (scrutiny.home)."""
        from audits.home import audits_home_scrutiny_links

        return audits_home_scrutiny_links(user=user, scrutiny=scrutiny)
