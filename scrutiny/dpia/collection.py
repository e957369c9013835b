"""What the partnership collects, instrument by instrument, read in a fixed number of queries.

Reads only. The surveys app keeps whether a questionnaire is anonymous: the core asks it
through the app registry (an app's config may offer `dpia_collection(partnership_id=...)`,
per instrument id how many of its surveys are anonymous, named, open by link, and how many
people were invited by email), never by an import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext, gettext_lazy, ngettext

from scrutiny.models import Agency, Instrument, Partnership, Question, Response, Scrutiny, Source

# Who gives each kind of evidence, and about whom (docs/surveys.md, docs/audits.md).
WHO_ANSWERS = {
    Source.FILE_AUDIT: gettext_lazy(
        "Auditors of each agency, signed in, reading their agency's case records; "
        "moderated into one agreed audit by the business unit and the scrutineer."
    ),
    Source.PRACTITIONER_SURVEY: gettext_lazy(
        "Practitioners of the partner agencies, by the open link or a "
        "personal link sent by email, without an account."
    ),
    Source.BOARD_QUESTIONNAIRE: gettext_lazy("Members of the partnership's board, signed in."),
    Source.FAMILY_FEEDBACK: gettext_lazy(
        "Children, young people and families, through a worker who enters "
        "their words for them (a children's rights officer, say), signed in."
    ),
    Source.YOUNG_PEOPLE: gettext_lazy(
        "Children and young people themselves, without an account, in a "
        "session a school or youth worker arranges (a code on a screen) or by an open link; age "
        "bands, never names or ages."
    ),
}
DATA_SUBJECTS = {
    Source.FILE_AUDIT: gettext_lazy(
        "Children and family members in the agencies' case records (by a "
        "pseudonymised case reference); the practitioners whose work is recorded; the auditors."
    ),
    Source.PRACTITIONER_SURVEY: gettext_lazy(
        "Practitioners: their agency, role and area, and what they write."
    ),
    Source.BOARD_QUESTIONNAIRE: gettext_lazy("Board members, by name."),
    Source.FAMILY_FEEDBACK: gettext_lazy(
        "Children, young people, parents and carers; the worker entering it."
    ),
    Source.YOUNG_PEOPLE: gettext_lazy(
        "Children and young people: their age band and what they write; the "
        "worker and setting that arranged the session."
    ),
}
# The Partnership's retention fields that apply to each kind's records.
RETENTION_FIELDS = {
    Source.FILE_AUDIT: (
        "retain_contributions_months",
        "retain_case_lists_months",
        "retain_drafts_days",
    ),
    Source.PRACTITIONER_SURVEY: (
        "retain_answers_months",
        "retain_invitations_months",
        "retain_drafts_days",
    ),
    Source.BOARD_QUESTIONNAIRE: ("retain_answers_months", "retain_drafts_days"),
    Source.FAMILY_FEEDBACK: ("retain_answers_months", "retain_drafts_days"),
    Source.YOUNG_PEOPLE: ("retain_answers_months", "retain_drafts_days"),
}
QUESTION_TYPES = dict(Question.Type.choices)


@dataclass(frozen=True)
class InstrumentCollection:
    scrutiny: Scrutiny
    instrument: Instrument
    questions: Mapping[str, int]  # question type → how many, in the current version
    responses: int
    case_references: bool
    surveys: Mapping[str, int]  # from the surveys app: anonymous, named, open_link, invited

    @property
    def kind(self) -> str:
        return self.instrument.kind

    @property
    def free_text(self) -> bool:
        return self.questions.get(Question.Type.TEXT, 0) > 0

    def questions_line(self) -> str:
        total = sum(self.questions.values())
        if not total:
            return gettext("No questions yet.")
        parts = [
            f"{n} {QUESTION_TYPES[kind].lower()}"
            for kind, n in sorted(self.questions.items(), key=lambda item: item[0])
        ]
        return ngettext(
            "%(count)s question: %(parts)s.", "%(count)s questions: %(parts)s.", total
        ) % {"count": total, "parts": ", ".join(parts)}

    def anonymity(self) -> str:
        if self.kind == Source.FILE_AUDIT:
            return gettext("Named: each audit is recorded with its auditor and the case reference.")
        anonymous, named = self.surveys.get("anonymous", 0), self.surveys.get("named", 0)
        if anonymous and named:
            return gettext("Both: %(anonymous)s anonymous and %(named)s named questionnaires.") % {
                "anonymous": anonymous,
                "named": named,
            }
        if named or (not anonymous and self.kind == Source.BOARD_QUESTIONNAIRE):
            return gettext("Named: each response keeps who gave it.")
        if anonymous:
            return gettext("Anonymous (docs/surveys.md, What anonymous means).")
        return gettext(
            "No questionnaire on the platform yet: anonymous unless it says otherwise; "
            "imported responses keep what their workbook gave."
        )

    def how_collected(self) -> str:
        lines = [self.questions_line()]
        lines.append(
            gettext("Free text is asked.") if self.free_text else gettext("No free text is asked.")
        )
        if self.kind == Source.FILE_AUDIT or self.case_references:
            lines.append(gettext("Case references are involved."))
        if self.surveys.get("open_link"):
            lines.append(gettext("Answered by an open link."))
        if self.surveys.get("invited"):
            invited = self.surveys["invited"]
            lines.append(
                ngettext(
                    "%(count)s person invited by email.",
                    "%(count)s people invited by email.",
                    invited,
                )
                % {"count": invited}
            )
        return " ".join(lines)


def _question_counts(partnership: Partnership) -> dict[int, dict[str, int]]:
    """Each instrument's questions by type, in its current (highest numbered) version."""
    rows = (
        Question.objects.filter(version__instrument__scrutiny__partnership=partnership)
        .values_list("version__instrument_id", "version__number", "type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    latest: dict[int, int] = {}
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for instrument_id, number, kind, n in rows:
        latest[instrument_id] = max(number, latest.get(instrument_id, number))
        counts.setdefault((instrument_id, number), {})[kind] = n
    return {pk: counts[(pk, number)] for pk, number in latest.items()}


def _survey_facts(partnership: Partnership) -> dict[int, dict[str, int]]:
    facts: dict[int, dict[str, int]] = {}
    for config in apps.get_app_configs():
        provider = getattr(config, "dpia_collection", None)
        if callable(provider):
            for instrument_id, values in provider(partnership_id=partnership.pk).items():
                facts.setdefault(instrument_id, {}).update(values)
    return facts


def instrument_collections(*, partnership: Partnership) -> list[InstrumentCollection]:
    """Every instrument of every scrutiny of the partnership, in scrutiny and code order."""
    instruments = (
        Instrument.objects.filter(scrutiny__partnership=partnership)
        .select_related("scrutiny")
        .order_by("scrutiny__slug", "code")
    )
    questions = _question_counts(partnership)
    responses = {
        row["instrument_id"]: row
        for row in Response.objects.filter(scrutiny__partnership=partnership)
        .values("instrument_id")
        .annotate(n=Count("pk"), with_case=Count("pk", filter=~Q(case_ref="")))
        .order_by()
    }
    surveys = _survey_facts(partnership)
    return [
        InstrumentCollection(
            scrutiny=instrument.scrutiny,
            instrument=instrument,
            questions=questions.get(instrument.pk, {}),
            responses=responses.get(instrument.pk, {}).get("n", 0),
            case_references=bool(responses.get(instrument.pk, {}).get("with_case")),
            surveys=surveys.get(instrument.pk, {}),
        )
        for instrument in instruments
    ]


def agency_types(*, partnership: Partnership) -> set[str]:
    return set(
        Agency.objects.filter(partnership=partnership).values_list("type", flat=True).order_by()
    )
