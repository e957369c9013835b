"""The demo partnership: made-up agencies, areas and people, for trying the platform.

Every name, place and case here is invented. `demo_load` is idempotent: it creates what is
missing and changes nothing that is already as it should be.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from scrutiny.errors import ApplicationError
from scrutiny.models import Agency, Area, Partnership, User

PARTNERSHIP_NAME = "Northbrook and Westmere Safeguarding Children Partnership"

AGENCIES: list[tuple[str, str, str, int]] = [
    ("NBC", "Northbrook Council Children's Services", Agency.Type.LOCAL_AUTHORITY, 180),
    ("WMC", "Westmere Council Children's Services", Agency.Type.LOCAL_AUTHORITY, 150),
    ("POL", "Northbrook and Westmere Police", Agency.Type.POLICE, 90),
    ("NHB", "North Hills Health Board", Agency.Type.HEALTH, 120),
    ("AVH", "Ashdown Valley Health Board", Agency.Type.HEALTH, 110),
    ("EDU", "Schools and Colleges", Agency.Type.EDUCATION, 200),
    ("PRB", "Probation Service", Agency.Type.PROBATION, 40),
    ("VOL", "Voluntary Sector Forum", Agency.Type.VOLUNTARY, 60),
]

AREAS: list[tuple[str, str]] = [
    ("NBK", "Northbrook"),
    ("WMR", "Westmere"),
    ("ASH", "Ashdown"),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: str
    agency_code: str | None


LOGINS: list[DemoLogin] = [
    DemoLogin("admin@demo.invalid", "Robin Ashby", User.Role.ADMINISTRATOR, None),
    DemoLogin("scrutineer@demo.invalid", "Morgan Ellery", User.Role.SCRUTINEER, None),
    DemoLogin("auditor.nbc@demo.invalid", "Sam Okafor", User.Role.AUDITOR, "NBC"),
    DemoLogin("auditor.pol@demo.invalid", "Jo Lindqvist", User.Role.AUDITOR, "POL"),
    DemoLogin("lead.nhb@demo.invalid", "Kit Farrant", User.Role.AGENCY_LEAD, "NHB"),
    DemoLogin("board@demo.invalid", "Alex Penhallow", User.Role.BOARD_MEMBER, None),
    DemoLogin("practitioner@demo.invalid", "Charlie Ruddock", User.Role.PRACTITIONER, "EDU"),
]

ACCESSIBILITY_STATEMENT = """\
This statement applies to the safeguarding scrutiny platform of the Northbrook and Westmere \
Safeguarding Children Partnership.

We want as many people as possible to be able to use it. You should be able to change colours, \
contrast levels and fonts, zoom in up to 400% without the text spilling off the screen, navigate \
with just a keyboard or speech recognition software, and listen to it with a screen reader.

This platform is designed to meet the Web Content Accessibility Guidelines version 2.2 AA \
standard. If you find a problem, or need information in a different format, email the \
partnership's business unit. We will reply within 5 working days.

Enforcement procedure: the Equality and Human Rights Commission (EHRC) is responsible for \
enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility \
Regulations 2018. If you are not happy with how we respond to your complaint, contact the \
Equality Advisory and Support Service (EASS)."""

PRIVACY_NOTICE = """\
The Northbrook and Westmere Safeguarding Children Partnership uses this platform to check that \
children are kept safe by the agencies that work with them.

We use pseudonymised case references, never children's names. Survey answers are collected \
without your name; comments are checked for details that could identify a child before they are \
shared. Our lawful basis is public task (UK GDPR Article 6(1)(e)); safeguarding information is \
special category data processed under the Data Protection Act 2018, Schedule 1, Part 2.

Raw survey data is kept for 24 months and reports for 6 years. You can ask for a copy of \
information about you, or ask us to correct it, by emailing the partnership's business unit."""


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    """Load the demo partnership and its people. Returns the logins created or confirmed."""
    if not settings.DEMO_LOGINS_ALLOWED:
        raise ApplicationError(
            "The demo creates logins with a published password, so it is switched off here. "
            "Set DEMO_LOGINS_ALLOWED=true only on a machine that is not in production."
        )
    partnership, _ = Partnership.objects.get_or_create(
        name=PARTNERSHIP_NAME,
        defaults={
            "contact_email": "business.unit@demo.invalid",
            "accessibility_statement": ACCESSIBILITY_STATEMENT,
            "privacy_notice": PRIVACY_NOTICE,
        },
    )
    agencies = {}
    for code, name, type_, workforce in AGENCIES:
        agencies[code], _ = Agency.objects.get_or_create(
            partnership=partnership,
            code=code,
            defaults={"name": name, "type": type_, "workforce": workforce},
        )
    for code, name in AREAS:
        Area.objects.get_or_create(partnership=partnership, code=code, defaults={"name": name})

    for login in LOGINS:
        user = User.objects.filter(email=login.email).first()
        if user is None:
            user = User.objects.create_user(
                login.email,
                settings.DEMO_PASSWORD,
                full_name=login.full_name,
                partnership=partnership,
                role=login.role,
                agency=agencies[login.agency_code] if login.agency_code else None,
                is_staff=login.role == User.Role.ADMINISTRATOR,
                is_superuser=login.role == User.Role.ADMINISTRATOR,
            )
    return LOGINS
