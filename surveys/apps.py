from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext


class SurveysConfig(AppConfig):
    name = "surveys"

    def demo_load(self, *, scrutiny: Any) -> str | None:
        """The surveys part of `manage.py demo` (the core finds it through the app registry)."""
        from surveys.demo import demo_surveys_load

        return demo_surveys_load(scrutiny=scrutiny)

    def dpia_capabilities(self, *, user: Any) -> list[tuple[str, bool]]:
        """For the DPIA's table of who sees what: what of surveys `user` (a person of one role,
        in memory) may do, by asking surveys.permissions (scrutiny.dpia.roles finds this
        through the app registry)."""
        from scrutiny.models import Source
        from surveys.permissions import (
            can_run_surveys,
            can_start_youth_sessions,
            kinds_answered_signed_in,
        )

        # Signed in, a person answers their own partnership's questionnaires only
        # (surveys_to_answer_for_user): none for someone of no partnership, such as the operator.
        kinds = kinds_answered_signed_in(user) if user.partnership_id is not None else ()
        return [
            (
                gettext("Run surveys: invite people by email, see who has started, response rates"),
                can_run_surveys(user),
            ),
            (gettext("Answer board questionnaires, by name"), Source.BOARD_QUESTIONNAIRE in kinds),
            (
                gettext("Enter feedback from a family on its behalf"),
                Source.FAMILY_FEEDBACK in kinds,
            ),
            (
                gettext(
                    "Run a children's survey session: where, and that it has consent; never who "
                    "took part"
                ),
                can_start_youth_sessions(user),
            ),
        ]

    def dpia_collection(self, *, partnership_id: int) -> dict[int, dict[str, int]]:
        """For the DPIA: how each survey instrument of the partnership takes answers, by
        instrument id: how many of its questionnaires are anonymous and named, how many take
        answers by the open link, and how many people were invited by email (scrutiny.dpia
        finds this through the app registry)."""
        from django.db.models import Count, Q

        from surveys.models import Survey

        rows = (
            Survey.objects.filter(scrutiny__partnership_id=partnership_id)
            .values("instrument_id")
            .annotate(
                n_anonymous=Count("pk", filter=Q(anonymous=True), distinct=True),
                n_named=Count("pk", filter=Q(anonymous=False), distinct=True),
                n_open_link=Count("pk", filter=Q(open_link_enabled=True), distinct=True),
                n_invited=Count("invitations", distinct=True),
            )
            .order_by()
        )
        return {row.pop("instrument_id"): {name[2:]: n for name, n in row.items()} for row in rows}

    def import_job_headings(self) -> dict[str, str]:
        """The heading of the job's page of each import the surveys run as a job
        (scrutiny.imports.app_import_headings finds this through the app registry)."""
        from surveys.imports import INVITATION_LIST

        return {INVITATION_LIST: gettext("Inviting people from a list")}

    def pack_method(self, *, scrutiny: Any) -> dict[str, str]:
        """The event pack's method: each survey instrument's returns and response rate, by
        instrument code (scrutiny.packs.data finds this through the app registry)."""
        from surveys.rates import survey_method_lines

        return survey_method_lines(scrutiny=scrutiny)

    def retention_run(self, *, partnership: Any, cutoffs: Any) -> list[Any]:
        """Survey drafts and invitation emails past their periods (scrutiny.retention finds
        this through the app registry)."""
        from surveys.retention import surveys_retention_run

        return surveys_retention_run(partnership=partnership, cutoffs=cutoffs)

    def personal_data(self, *, partnership: Any, email: str, user: Any) -> list[Any]:
        """What the surveys hold about a person (scrutiny.people_data: subject access)."""
        from surveys.people_data import surveys_personal_data

        return surveys_personal_data(partnership=partnership, email=email, user=user)

    def personal_data_erase(self, *, partnership: Any, email: str, user: Any) -> list[Any]:
        """Erasure of a person's data in the surveys (scrutiny.people_data)."""
        from surveys.people_data import surveys_personal_data_erase

        return surveys_personal_data_erase(partnership=partnership, email=email, user=user)

    def home_tasks(self, *, user: Any) -> list[Any]:
        """The surveys' cards on a person's home page (scrutiny.home finds this through the app
        registry)."""
        from surveys.home import surveys_home_tasks

        return surveys_home_tasks(user=user)

    def home_scrutiny_links(self, *, user: Any, scrutiny: Any) -> list[Any]:
        """Links to a scrutiny's surveys pages, for a home page's scrutinies (scrutiny.home)."""
        from surveys.home import surveys_home_scrutiny_links

        return surveys_home_scrutiny_links(user=user, scrutiny=scrutiny)
