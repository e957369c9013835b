"""Where the data is stored, the controls that protect it and a starting list of risks, read
from the installation's settings and the partnership's configuration (never its secrets: the
database's engine, not its address or password)."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from scrutiny.dpia.document import TO_COMPLETE
from scrutiny.dpia.periods import Period
from scrutiny.models import User
from scrutiny.permissions import SECOND_FACTOR_ROLES

ENGINES = {
    "django.db.backends.postgresql": "PostgreSQL",
    "django.db.backends.sqlite3": "SQLite (a single file on the server)",
    "django.db.backends.mysql": "MySQL",
}


def _setting(name: str, default: object = None) -> object:
    return getattr(settings, name, default)


def storage_rows() -> list[tuple[str, str, str]]:
    """What is stored where: (what, where on this installation, left for the partnership)."""
    engine = str(settings.DATABASES["default"].get("ENGINE", ""))
    broker = (
        "Redis (REDIS_URL): tasks carry ids only, never answers."
        if _setting("CELERY_BROKER_URL")
        else "None: background work runs inside the web process."
    )
    mail = (
        "The mail server set by EMAIL_HOST."
        if _setting("EMAIL_HOST")
        else "No mail server set yet (EMAIL_HOST)."
    )
    return [
        (
            "Accounts, instruments, responses and answers, findings, the plan, the audit trail",
            f"The database: {ENGINES.get(engine, engine)}.",
            TO_COMPLETE,
        ),
        (
            "Event packs (PDF and workbook) and documents attached to action updates",
            "Files in the folder set by MEDIA_ROOT (packs/, action-evidence/), served only "
            "through pages that check who may see them.",
            TO_COMPLETE,
        ),
        ("Background work (packs, imports, emails)", broker, TO_COMPLETE),
        (
            "Invitation and reminder emails, notices of immediate concerns (a link only)",
            mail,
            TO_COMPLETE,
        ),
        (
            "The web server's access log",
            "The time, the request and the status only: no client address, referrer or browser "
            "(gunicorn.conf.py).",
            TO_COMPLETE,
        ),
        ("Hosting: provider, country, data centre", "To be completed by the partnership.", ""),
        ("Backups: where, how often, kept how long", "To be completed by the partnership.", ""),
    ]


def _role_names(roles: tuple[str, ...]) -> str:
    labels = [User.Role(role).label.lower() for role in roles]
    return ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else "".join(labels)


def _identity_provider() -> str:
    """Whether sign-in through the identity provider is on (never its client id or secret)."""
    if not _setting("OIDC_RP_CLIENT_ID"):
        return "Off: OIDC_RP_CLIENT_ID is not set."
    trusted = (
        "always counts as a second factor (OIDC_PROVIDER_MFA_TRUSTED)"
        if _setting("OIDC_PROVIDER_MFA_TRUSTED")
        else "counts as a second factor when the provider says it was used"
    )
    return f"On, as {_setting('OIDC_PROVIDER_NAME', 'the provider')}; its MFA {trusted}."


def _account_controls() -> list[tuple[str, str, str]]:
    csp = "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    return [
        (
            "Multi-factor authentication",
            f"A TOTP code with recovery codes, required for the {_role_names(SECOND_FACTOR_ROLES)}"
            " and the platform's operators; optional for everyone else. Where a person signs in "
            "through the partnership's identity provider, its MFA counts.",
            "scrutiny.permissions.needs_second_factor",
        ),
        (
            "Sign-in with the partnership's identity provider",
            "OpenID Connect (e.g. Microsoft Entra ID): accounts matched by email address; roles "
            "are still set on the platform.",
            _identity_provider(),
        ),
        (
            "Sign-in throttling",
            "Repeated failed sign-ins for one address lock it for a while.",
            f"{_setting('AXES_FAILURE_LIMIT', '?')} failures lock for "
            f"{_setting('AXES_COOLOFF_TIME', '?')} hour(s).",
        ),
        (
            "API tokens",
            "Stored as a hash, expire, and are revoked when the password changes or the account "
            "is deactivated (django-rest-knox).",
            f"Expire after {_setting('API_TOKEN_HOURS', '?')} hours (API_TOKEN_HOURS).",
        ),
        (
            "Content-Security-Policy and secure cookies",
            "No inline script or style on any page; cookies only over HTTPS in production.",
            f"CSP {'on' if csp else 'off'}; DEBUG {'on' if settings.DEBUG else 'off'}; "
            f"sessions end after {settings.SESSION_COOKIE_AGE // 3600} hours.",
        ),
    ]


def control_rows(periods: Mapping[str, Period]) -> list[tuple[str, str, str]]:
    """Each control: (control, how the platform does it, its setting on this installation)."""
    trail = periods.get("retain_trail_months")
    return [
        *_account_controls(),
        (
            "Append-only audit trail",
            "Sign-ins and failed sign-ins, views of case files and the workspace, every download, "
            "imports, changes to instruments, settings, people and roles, sign-offs and retention "
            "runs. Nobody can change or delete an entry.",
            f"Kept {trail.text}." if trail else TO_COMPLETE,
        ),
        (
            "Retention runs",
            "A daily task (and manage.py retention) removes or anonymises what has passed its "
            "period, keeps what must be kept, and records what it removed in the trail.",
            "Periods: see Retention.",
        ),
        (
            "Subject access and erasure",
            "Everything held about an email address as a download, and its erasure where the law "
            "allows, with what could not be erased and why.",
            "The business unit.",
        ),
        (
            "Small-number suppression",
            "No page, download, export or API answer outside the scrutineer's screen shows a "
            "breakdown of fewer responses than the scrutiny's threshold (SCORING.md §9).",
            "Per scrutiny: see Suppression and redaction.",
        ),
        (
            "Redaction",
            "Case references, the partnership's and each scrutiny's terms, email addresses, "
            "phone numbers, postcodes, NHS numbers and pupil numbers are removed from every text "
            "that leaves the screen (SCORING.md §10).",
            "Per scrutiny: see Suppression and redaction.",
        ),
        (
            "Anonymous surveys",
            "A response is created only when submitted, with a random identifier, keeping agency, "
            "role and day only: no person, link, address or time of day (docs/surveys.md).",
            "Per questionnaire: see What is collected.",
        ),
        (
            "Administration scoped to the partnership",
            "The business unit manages its own partnership only; the platform's operator reads no "
            "case data; another partnership's objects are 'not found'.",
            "Always on.",
        ),
    ]


RISKS = (
    (
        "A respondent to an anonymous survey is re-identified from a small group.",
        "Suppression threshold; random identifiers; no time finer than the day; drafts kept "
        "apart from responses.",
    ),
    (
        "A child, family member or practitioner is identified from free text in a pack or export.",
        "Redaction of held terms and identifiers; quotes chosen by the scrutineer; respondents "
        "asked not to name anyone.",
    ),
    (
        "Case references or case details reach people who should not see them.",
        "Permission rules (Who sees what); case references pseudonymised; immediate concerns "
        "sent as a link only.",
    ),
    (
        "An account is taken over.",
        "Second factor for the roles that see case data; sign-in throttling; the partnership's "
        "identity provider.",
    ),
    (
        "An API token is stolen or outlives its holder.",
        "Tokens stored hashed, expiring, revoked on password change and deactivation.",
    ),
    (
        "One partnership's data is seen by another on a shared installation.",
        "Administration scoped to the partnership; another partnership's objects are 'not found'.",
    ),
    (
        "Personal data is kept longer than needed.",
        "Retention periods set by the partnership; daily retention runs recorded in the trail.",
    ),
    (
        "A change, download or deletion goes unnoticed.",
        "Append-only audit trail, read and exported by the business unit.",
    ),
    (
        "A child discloses harm in an anonymous answer that cannot be followed up.",
        "Surveys say honestly that answers are anonymous and point to help (Childline, the "
        "local front door).",
    ),
    (
        "A raw database dump and the web server's logs are put together to order responses.",
        "Keep the two apart; access logs kept briefly and without addresses (docs/surveys.md).",
    ),
    (
        "Exported packs and plans are mishandled outside the platform.",
        "Exports are suppressed and redacted; downloads are in the trail.",
    ),
)


def risk_rows() -> list[tuple[str, ...]]:
    """The starting list: risk and the platform's mitigation, the rest for the DPO."""
    return [(risk, mitigation, "", "", "", "") for risk, mitigation in RISKS]
