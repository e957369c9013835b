"""Reads of the partnership, its people, scrutinies and instruments. Each decides its own joins.

Scores are read through `scrutiny.scoring` (and published through `scrutiny.disclosure`).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from scrutiny.models import (
    Agency,
    Area,
    FactorLink,
    Instrument,
    InstrumentVersion,
    Partnership,
    Question,
    Response,
    Scrutiny,
    Section,
    SuccessFactor,
    User,
)
from scrutiny.permissions import AnyUser, scrutinies_visible_to


def partnership_current() -> Partnership | None:
    """The installation's only partnership, for pages that belong to no partnership of their
    own (the public home page, the statements' old addresses); None when there is none or
    there are several, so that no page shows one partnership to another's people."""
    partnerships = list(Partnership.objects.order_by("pk")[:2])
    return partnerships[0] if len(partnerships) == 1 else None


def partnership_by_slug(*, slug: str) -> Partnership | None:
    """The partnership a public page's address names."""
    return Partnership.objects.filter(slug=slug).first()


def agency_people(*, agency: Agency) -> QuerySet[User]:
    return User.objects.filter(agency=agency, is_active=True).order_by("full_name", "email")


def area_list(*, partnership_id: int | None) -> QuerySet[Area]:
    """The partnership's areas by code; none for no partnership (every area has one)."""
    if partnership_id is None:
        return Area.objects.none()
    return Area.objects.filter(partnership_id=partnership_id).order_by("code")


# Scrutinies and instruments -------------------------------------------------------------------


def scrutiny_list(*, user: AnyUser) -> QuerySet[Scrutiny]:
    """The scrutinies the user may read, newest first (one query)."""
    return scrutinies_visible_to(user).order_by("-starts", "slug")


def scrutiny_factor_list(*, scrutiny: Scrutiny) -> QuerySet[SuccessFactor]:
    return SuccessFactor.objects.filter(scrutiny=scrutiny).order_by("code")


def scrutiny_with_factors(*, scrutiny: Scrutiny) -> Scrutiny:
    """The scrutiny with `factor_list`, its factors in code order (one query more)."""
    prefetch_related_objects(
        [scrutiny],
        Prefetch("factors", queryset=SuccessFactor.objects.order_by("code"), to_attr="factor_list"),
    )
    return scrutiny


def instrument_list(*, scrutiny: Scrutiny) -> QuerySet[Instrument]:
    """The scrutiny's instruments in code order, each with `version_list`: its versions in
    number order, each annotated with `submitted_count`, its submitted responses (two queries)."""
    versions = InstrumentVersion.objects.annotate(
        submitted_count=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED))
    ).order_by("number")
    return (
        Instrument.objects.filter(scrutiny=scrutiny)
        .order_by("code")
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="version_list"))
    )


def instrument_version_detail(
    *, scrutiny: Scrutiny, code: str, number: int | None = None
) -> InstrumentVersion | None:
    """Version `number` of the scrutiny's instrument `code` (its current one by default), with
    `section_list`, each section's `question_list`, their option lists with their options and
    their factor links with factors, all in order: five queries. None if there is no such one."""
    questions = (
        Question.objects.select_related("option_list")
        .order_by("position")
        .prefetch_related(
            "option_list__options",
            Prefetch(
                "factor_links",
                queryset=FactorLink.objects.select_related("factor").order_by("factor__code"),
                to_attr="link_list",
            ),
        )
    )
    sections = Section.objects.order_by("position").prefetch_related(
        Prefetch("questions", queryset=questions, to_attr="question_list")
    )
    versions = (
        InstrumentVersion.objects.filter(instrument__scrutiny=scrutiny, instrument__code=code)
        .select_related("instrument")
        .prefetch_related(Prefetch("sections", queryset=sections, to_attr="section_list"))
    )
    if number is not None:
        versions = versions.filter(number=number)
    return versions.order_by("-number").first()
