"""The demo: a made-up partnership with its scrutiny `learning-from-practice` and its evidence.

Every name, place and case here is invented. `demo_load` is idempotent: it creates what is
missing and changes nothing that is already as it should be, so running it twice changes
nothing. It goes through the core's services (`scrutiny_save`, `instrument_save`, the evidence
writer), so the demo is stored exactly as a real scrutiny would be.

- the partnership, its agencies, areas and practitioner roles, and a login for every role
  (a practitioner of the council as its children's rights officer among them);
- the scrutiny "Learning from Practice 2026" with its six success factors (DOMAIN.md);
- four instruments from the template library: the case-file audit, the practitioner survey,
  the board questionnaire and the family feedback form (`scrutiny.demo.sources`);
- evidence from all four sources (`scrutiny.demo.evidence`);
- the earlier scrutiny of the theme, "Learning from Practice 2025", its findings signed off,
  which this year's compares with (`scrutiny.demo.earlier`);
- the partnership's business plan, with actions of other work (`scrutiny.demo.plan`);
- what the other apps add (their AppConfig's `demo_load`): the audits' sample and moderation,
  the surveys with their invitations and reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count

from scrutiny.demo import earlier, evidence, sources
from scrutiny.demo.plan import plan_load
from scrutiny.errors import ApplicationError
from scrutiny.library.learning_from_practice import FACTORS, PRIORITY
from scrutiny.models import Agency, Partnership, Response, Scrutiny, User
from scrutiny.scrutinies import AgencyData, ScrutinyData, ScrutinySettings, scrutiny_save

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

ROLES: list[tuple[str, str]] = [
    ("SW", "Social worker"),
    ("TM", "Team manager"),
    ("HV", "Health visitor"),
    ("GP", "GP"),
    ("DSL", "Designated safeguarding lead"),
    ("PC", "Police officer"),
    ("PO", "Probation officer"),
    ("YW", "Youth worker"),
]

SCRUTINY_SLUG = "learning-from-practice"


# Terms removed from every comment that leaves the scrutineer's screen (SCORING.md §10): a
# made-up school and first name that some demo comments mention.
REDACTION_TERMS = "Larkspur Primary School\nDani"

# The library templates the demo scrutiny uses, loaded in this order.
INSTRUMENTS = sources.INSTRUMENTS


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
    # A children's rights officer: a practitioner, who enters family feedback on /answer/.
    DemoLogin("rights.officer@demo.invalid", "Priya Lockwood", User.Role.PRACTITIONER, "NBC"),
    # An expert by experience: reads the published results, records observations.
    DemoLogin("young.scrutineer@demo.invalid", "Rowan Tully", User.Role.YOUNG_SCRUTINEER, None),
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

How long we keep it, each period counted from the end of the scrutiny unless it says otherwise: \
raw survey answers 24 months (then their free text and the respondent's role and day are \
removed, and the options chosen are kept for the scores); answers started and never sent 90 \
days from their last change (a survey's, from its close); the email addresses invitations were \
sent to 6 months from the survey's close; each agency's own audit of a case file 24 months \
(the moderated, agreed audit is kept with the findings); the sampled case references 12 \
months; documents attached to action updates 24 months from their upload; the audit trail 72 \
months (6 years) from each entry. Signed-off findings, scores, event packs and the action plan \
are kept as the partnership's record.

You can ask for a copy of the information about you, or ask us to correct or erase it, by \
emailing the partnership's business unit."""


@dataclass(frozen=True)
class DemoResult:
    logins: list[DemoLogin]
    scrutiny: Scrutiny
    # Submitted responses by instrument code: agencies' audit contributions and agreed audits alike.
    responses: dict[str, int] = field(default_factory=dict)
    agreed_audits: int = 0
    # What the other apps (audits, surveys) added, a line each.
    extras: list[str] = field(default_factory=list)


@transaction.atomic
def demo_load() -> DemoResult:
    """Load the demo partnership, its people, its scrutiny and the scrutiny's evidence."""
    if not settings.DEMO_LOGINS_ALLOWED:
        raise ApplicationError(
            "The demo creates logins with a published password, so it is switched off here. "
            "Set DEMO_LOGINS_ALLOWED=true only on a machine that is not in production."
        )
    partnership, _ = Partnership.objects.get_or_create(
        name=PARTNERSHIP_NAME,
        defaults={
            "contact_email": "business.unit@demo.invalid",
            "safeguarding_lead_name": "Jo Adebayo",
            "safeguarding_lead_email": "safeguarding.lead@demo.invalid",
            "accessibility_statement": ACCESSIBILITY_STATEMENT,
            "privacy_notice": PRIVACY_NOTICE,
        },
    )
    scrutiny = _scrutiny_load(partnership)
    _logins_load(partnership)
    sources.evidence_load(scrutiny=scrutiny, seed=evidence.SEED, wave=evidence.THIS_YEAR)
    _earlier_load(partnership, scrutiny)
    plan_load(partnership)
    extras = _app_demos_load(scrutiny)
    counts = dict(
        Response.objects.filter(scrutiny=scrutiny, status=Response.Status.SUBMITTED)
        .values_list("instrument__code")
        .annotate(n=Count("id"))
        .values_list("instrument__code", "n")
    )
    agreed = Response.objects.filter(
        scrutiny=scrutiny, source="file_audit", supersedes__isnull=False
    ).distinct()
    return DemoResult(LOGINS, scrutiny, counts, agreed.count(), extras)


def _app_demos_load(scrutiny: Scrutiny) -> list[str]:
    """The other apps' parts of the demo. An app's config may offer `demo_load(scrutiny=...)`,
    returning a line saying what it added; found through the app registry, so that the core
    imports none of the apps built on it."""
    lines = []
    for config in apps.get_app_configs():
        loader = getattr(config, "demo_load", None)
        if callable(loader):
            line = loader(scrutiny=scrutiny)
            if line:
                lines.append(line)
    return lines


def _scrutiny_load(partnership: Partnership) -> Scrutiny:
    return _scrutiny_save(
        partnership,
        ScrutinySettings(
            slug=SCRUTINY_SLUG,
            title="Learning from Practice 2026",
            priority=PRIORITY,
            starts=dt.date(2026, 1, 12),
            ends=dt.date(2026, 4, 30),
            status=Scrutiny.Status.EVIDENCE,
            redaction_terms=REDACTION_TERMS,
        ),
    )


def _earlier_load(partnership: Partnership, scrutiny: Scrutiny) -> None:
    """The earlier scrutiny of the theme, concluded, and this year's compared with it."""
    found = Scrutiny.objects.filter(partnership=partnership, slug=earlier.SLUG).first()
    if found is None or not earlier.signed_off(found):
        found = _scrutiny_save(
            partnership, replace(earlier.SETTINGS, redaction_terms=REDACTION_TERMS)
        )
        sources.evidence_load(scrutiny=found, seed=earlier.SEED, wave=earlier.WAVE)
        _statistics_refresh()
        scrutineer = User.objects.get(email="scrutineer@demo.invalid")
        earlier.conclude(scrutiny=found, scrutineer=scrutineer)
    if scrutiny.previous_id != found.pk:
        # As the workspace's "Compare with an earlier scrutiny" sets it.
        scrutiny.previous = found
        scrutiny.save(update_fields=["previous", "updated_at"])


def _statistics_refresh() -> None:
    """On PostgreSQL, the planner's statistics of the evidence tables just filled: signing the
    earlier scrutiny off reads them at once, and in one transaction (a fresh database, a test)
    autovacuum has not seen the rows, so its plans could take minutes instead of milliseconds."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE scrutiny_answer, scrutiny_response, scrutiny_question, scrutiny_factorlink"
        )


def _scrutiny_save(partnership: Partnership, settings: ScrutinySettings) -> Scrutiny:
    data = ScrutinyData(
        settings=settings,
        factors=FACTORS,
        agencies=tuple(
            AgencyData(code, name, type_, workforce) for code, name, type_, workforce in AGENCIES
        ),
        areas=tuple(AREAS),
        roles=tuple(ROLES),
    )
    return scrutiny_save(partnership=partnership, data=data).scrutiny


def _logins_load(partnership: Partnership) -> None:
    agencies = {agency.code: agency for agency in Agency.objects.filter(partnership=partnership)}
    existing = set(
        User.objects.filter(email__in=[login.email for login in LOGINS]).values_list(
            "email", flat=True
        )
    )
    missing = [login for login in LOGINS if login.email not in existing]
    if not missing:
        return
    # The password is published, so one hash serves every demo login: hashing is slow on
    # purpose, and seven of them would be most of the demo's time.
    password = make_password(settings.DEMO_PASSWORD)
    for login in missing:
        user = User(
            email=login.email,
            full_name=login.full_name,
            partnership=partnership,
            role=login.role,
            agency=agencies[login.agency_code] if login.agency_code else None,
            # The business unit keeps its people, agencies and areas in the admin site as
            # staff; a superuser is the platform's operator, who reads no case data.
            is_staff=login.role == User.Role.ADMINISTRATOR,
        )
        user.password = password
        user.save()
