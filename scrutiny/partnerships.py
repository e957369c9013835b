"""Adding a partnership to an installation, with its first business-unit administrator.

The platform's operator does this (`manage.py add_partnership`, or the admin site); from then
on the partnership's business unit keeps its own people, agencies and areas. The administrator
is given no password: the operator passes on a one-time link to set one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from scrutiny.errors import ApplicationError
from scrutiny.models import Partnership, User
from scrutiny.notifications import site_link


@dataclass(frozen=True)
class PartnershipAdded:
    partnership: Partnership
    administrator: User
    set_password_link: str


def _problems(*, name: str, slug: str, admin_email: str) -> list[str]:
    problems = []
    if not name:
        problems.append("Give the partnership's name.")
    elif Partnership.objects.filter(name__iexact=name).exists():
        problems.append(f"There is already a partnership named {name!r}: choose another name.")
    try:
        validate_slug(slug)
    except ValidationError:
        problems.append(
            f"The slug {slug!r} may use lower-case letters, numbers and hyphens only, "
            "e.g. northbrook-westmere."
        )
    else:
        if Partnership.objects.filter(slug=slug).exists():
            problems.append(f"The slug {slug!r} is taken: choose another.")
    try:
        validate_email(admin_email)
    except ValidationError:
        problems.append(f"{admin_email!r} is not an email address.")
    else:
        if User.objects.filter(email__iexact=admin_email).exists():
            problems.append(
                f"There is already an account for {admin_email}: give the new partnership's "
                "administrator an address of their own."
            )
    return problems


def set_password_link(user: User) -> str:
    """A one-time link for the person to set their password (Django's password reset: it
    stops working once used, and after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_link("password_reset_confirm", uid, default_token_generator.make_token(user))


@transaction.atomic
def partnership_add(
    *, name: str, slug: str, admin_email: str, admin_name: str = ""
) -> PartnershipAdded:
    """A new partnership and its first administrator (the business unit: staff, not a
    superuser, no usable password yet). A name, slug or email already taken changes nothing."""
    name, slug, admin_email = name.strip(), slug.strip(), admin_email.strip().lower()
    problems = _problems(name=name, slug=slug, admin_email=admin_email)
    if problems:
        raise ApplicationError(" ".join(problems))
    partnership = Partnership.objects.create(name=name, slug=slug)
    administrator = User.objects.create_user(
        admin_email,
        password=None,  # unusable until they follow the link
        full_name=admin_name.strip(),
        partnership=partnership,
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
    )
    return PartnershipAdded(partnership, administrator, set_password_link(administrator))
