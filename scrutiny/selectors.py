"""Reads of the partnership and its people. Each decides its own joins."""

from __future__ import annotations

from django.db.models import QuerySet

from scrutiny.models import Agency, Area, Partnership, User


def partnership_current() -> Partnership | None:
    """The installation's partnership: the one whose statements the public pages show.

    An installation serves one partnership; with none set up yet, public pages say so.
    """
    return Partnership.objects.order_by("pk").first()


def agency_people(*, agency: Agency) -> QuerySet[User]:
    return User.objects.filter(agency=agency, is_active=True).order_by("full_name", "email")


def area_list(*, partnership_id: int | None) -> QuerySet[Area]:
    return Area.objects.filter(partnership_id=partnership_id).order_by("code")
