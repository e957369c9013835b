"""Where the data is stored, the controls that protect it and a starting list of risks, read
from the installation's settings and the partnership's configuration (never its secrets: the
database's engine, not its address or password)."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy, pgettext

from scrutiny.dpia.document import TO_COMPLETE
from scrutiny.dpia.periods import Period
from scrutiny.models import User
from scrutiny.permissions import SECOND_FACTOR_ROLES

ENGINES = {
    "django.db.backends.postgresql": "PostgreSQL",
    "django.db.backends.sqlite3": gettext_lazy("SQLite (a single file on the server)"),
    "django.db.backends.mysql": "MySQL",
}

# (what, where): rows whose words do not depend on the settings; the partnership's notes last.
STORED = (
    (
        gettext_lazy("Event packs (PDF and workbook) and documents attached to action updates"),
        gettext_lazy(
            "Files in the folder set by MEDIA_ROOT (packs/, action-evidence/), served only "
            "through pages that check who may see them."
        ),
    ),
)
LOGS = (
    gettext_lazy("The web server's access log"),
    gettext_lazy(
        "The time, the request and the status only: no client address, referrer or browser "
        "(gunicorn.conf.py)."
    ),
)
LEFT = (
    gettext_lazy("Hosting: provider, country, data centre"),
    gettext_lazy("Backups: where, how often, kept how long"),
)


def _setting(name: str, default: object = None) -> object:
    return getattr(settings, name, default)


def storage_rows() -> list[tuple[str, str, str]]:
    """What is stored where: (what, where on this installation, left for the partnership)."""
    engine = str(settings.DATABASES["default"].get("ENGINE", ""))
    broker = (
        gettext("Redis (REDIS_URL): tasks carry ids only, never answers.")
        if _setting("CELERY_BROKER_URL")
        else gettext("None: background work runs inside the web process.")
    )
    mail = (
        gettext("The mail server set by EMAIL_HOST.")
        if _setting("EMAIL_HOST")
        else gettext("No mail server set yet (EMAIL_HOST).")
    )
    later = gettext("To be completed by the partnership.")
    return [
        (
            gettext(
                "Accounts, instruments, responses and answers, findings, the plan, the audit trail"
            ),
            gettext("The database: %(engine)s.") % {"engine": ENGINES.get(engine, engine)},
            TO_COMPLETE,
        ),
        *((str(what), str(where), TO_COMPLETE) for what, where in STORED),
        (gettext("Background work (packs, imports, emails)"), broker, TO_COMPLETE),
        (
            gettext("Invitation and reminder emails, notices of immediate concerns (a link only)"),
            mail,
            TO_COMPLETE,
        ),
        (str(LOGS[0]), str(LOGS[1]), TO_COMPLETE),
        *((str(what), later, "") for what in LEFT),
    ]


def _role_names(roles: tuple[str, ...]) -> str:
    labels = [str(User.Role(role).label).lower() for role in roles]
    if len(labels) < 2:
        return "".join(labels)
    return pgettext("a list of roles", "%(names)s and %(last)s") % {
        "names": ", ".join(labels[:-1]),
        "last": labels[-1],
    }


def _identity_provider() -> str:
    """Whether sign-in through the identity provider is on (never its client id or secret)."""
    if not _setting("OIDC_RP_CLIENT_ID"):
        return gettext("Off: OIDC_RP_CLIENT_ID is not set.")
    provider = {"provider": _setting("OIDC_PROVIDER_NAME", gettext("the provider"))}
    if _setting("OIDC_PROVIDER_MFA_TRUSTED"):
        return (
            gettext(
                "On, as %(provider)s; its MFA always counts as a second factor "
                "(OIDC_PROVIDER_MFA_TRUSTED)."
            )
            % provider
        )
    return (
        gettext(
            "On, as %(provider)s; its MFA counts as a second factor when the provider says it "
            "was used."
        )
        % provider
    )


def _on(value: object) -> str:
    return pgettext("a setting", "on") if value else pgettext("a setting", "off")


def _session_controls() -> list[tuple[str, str, str]]:
    return [
        (
            gettext("Sign-in throttling"),
            gettext("Repeated failed sign-ins for one address lock it for a while."),
            gettext("%(failures)s failures lock for %(hours)s hour(s).")
            % {
                "failures": _setting("AXES_FAILURE_LIMIT", "?"),
                "hours": _setting("AXES_COOLOFF_TIME", "?"),
            },
        ),
        (
            gettext("API tokens"),
            gettext(
                "Stored as a hash, expire, and are revoked when the password changes, the "
                "account is deactivated or the person comes to need a second factor "
                "(django-rest-knox)."
            ),
            gettext("Expire after %(hours)s hours (API_TOKEN_HOURS).")
            % {"hours": _setting("API_TOKEN_HOURS", "?")},
        ),
        (
            gettext("Content-Security-Policy and secure cookies"),
            gettext(
                "No inline script or style on any page; cookies only over HTTPS in production."
            ),
            gettext("CSP %(csp)s; DEBUG %(debug)s; sessions end after %(hours)s hours.")
            % {
                "csp": _on("csp.middleware.CSPMiddleware" in settings.MIDDLEWARE),
                "debug": _on(settings.DEBUG),
                "hours": settings.SESSION_COOKIE_AGE // 3600,
            },
        ),
    ]


def _account_controls() -> list[tuple[str, str, str]]:
    return [
        (
            gettext("Multi-factor authentication"),
            gettext(
                "A TOTP code with recovery codes, required for the %(roles)s, the partnership's "
                "named safeguarding lead and the platform's operators; optional for everyone "
                "else. Where a person signs in through the partnership's identity provider, its "
                "MFA counts."
            )
            % {"roles": _role_names(SECOND_FACTOR_ROLES)},
            "scrutiny.permissions.needs_second_factor",
        ),
        (
            gettext("Sign-in with the partnership's identity provider"),
            gettext(
                "OpenID Connect (e.g. Microsoft Entra ID): accounts matched by email address; "
                "roles are still set on the platform."
            ),
            _identity_provider(),
        ),
        *_session_controls(),
    ]


# (control, how the platform does it, its setting): the controls whose setting is always the same.
FIXED_CONTROLS = (
    (
        gettext_lazy("Retention runs"),
        gettext_lazy(
            "A daily task (and manage.py retention) removes or anonymises what has passed its "
            "period, keeps what must be kept, and records what it removed in the trail."
        ),
        gettext_lazy("Periods: see Retention."),
    ),
    (
        gettext_lazy("Subject access and erasure"),
        gettext_lazy(
            "Everything held about an email address as a download, and its erasure where the "
            "law allows, with what could not be erased and why."
        ),
        gettext_lazy("The business unit."),
    ),
    (
        gettext_lazy("Small-number suppression"),
        gettext_lazy(
            "No page, download, export or API answer outside the scrutineer's screen shows a "
            "breakdown of fewer responses than the scrutiny's threshold (SCORING.md §9)."
        ),
        gettext_lazy("Per scrutiny: see Suppression and redaction."),
    ),
    (
        gettext_lazy("Redaction"),
        gettext_lazy(
            "Case references, the partnership's and each scrutiny's terms, email addresses, "
            "phone numbers, postcodes, NHS numbers and pupil numbers are removed from every "
            "text that leaves the screen (SCORING.md §10)."
        ),
        gettext_lazy("Per scrutiny: see Suppression and redaction."),
    ),
    (
        gettext_lazy("Anonymous surveys"),
        gettext_lazy(
            "A response is created only when submitted, with a random identifier, keeping "
            "agency, role and day only: no person, link, address or time of day "
            "(docs/surveys.md)."
        ),
        gettext_lazy("Per questionnaire: see What is collected."),
    ),
    (
        gettext_lazy("Administration scoped to the partnership"),
        gettext_lazy(
            "The business unit manages its own partnership only; the platform's operator reads "
            "no case data; another partnership's objects are 'not found'."
        ),
        gettext_lazy("Always on."),
    ),
)


def control_rows(periods: Mapping[str, Period]) -> list[tuple[str, str, str]]:
    """Each control: (control, how the platform does it, its setting on this installation)."""
    trail = periods.get("retain_trail_months")
    return [
        *_account_controls(),
        (
            gettext("Append-only audit trail"),
            gettext(
                "Sign-ins and failed sign-ins, views of case files and the workspace, every "
                "download, imports, changes to instruments, settings, people and roles, "
                "sign-offs and retention runs. Nobody can change or delete an entry."
            ),
            gettext("Kept %(period)s.") % {"period": trail.text} if trail else TO_COMPLETE,
        ),
        *((str(control), str(how), str(setting)) for control, how, setting in FIXED_CONTROLS),
    ]


RISKS = (
    (
        gettext_lazy("A respondent to an anonymous survey is re-identified from a small group."),
        gettext_lazy(
            "Suppression threshold; random identifiers; no time finer than the day; drafts "
            "kept apart from responses."
        ),
    ),
    (
        gettext_lazy(
            "A child, family member or practitioner is identified from free text in a pack "
            "or export."
        ),
        gettext_lazy(
            "Redaction of held terms and identifiers; quotes chosen by the scrutineer; "
            "respondents asked not to name anyone."
        ),
    ),
    (
        gettext_lazy("Case references or case details reach people who should not see them."),
        gettext_lazy(
            "Permission rules (Who sees what); case references pseudonymised; immediate "
            "concerns sent as a link only."
        ),
    ),
    (
        gettext_lazy("An account is taken over."),
        gettext_lazy(
            "Second factor for the roles that see case data; sign-in throttling; the "
            "partnership's identity provider."
        ),
    ),
    (
        gettext_lazy("An API token is stolen or outlives its holder."),
        gettext_lazy(
            "Tokens stored hashed, expiring, revoked on password change and deactivation."
        ),
    ),
    (
        gettext_lazy("One partnership's data is seen by another on a shared installation."),
        gettext_lazy(
            "Administration scoped to the partnership; another partnership's objects are "
            "'not found'."
        ),
    ),
    (
        gettext_lazy("Personal data is kept longer than needed."),
        gettext_lazy(
            "Retention periods set by the partnership; daily retention runs recorded in the trail."
        ),
    ),
    (
        gettext_lazy("A change, download or deletion goes unnoticed."),
        gettext_lazy("Append-only audit trail, read and exported by the business unit."),
    ),
    (
        gettext_lazy("A child discloses harm in an anonymous answer that cannot be followed up."),
        gettext_lazy(
            "Surveys say honestly that answers are anonymous and point to help (Childline, "
            "the local front door)."
        ),
    ),
    (
        gettext_lazy(
            "A raw database dump and the web server's logs are put together to order responses."
        ),
        gettext_lazy(
            "Keep the two apart; access logs kept briefly and without addresses (docs/surveys.md)."
        ),
    ),
    (
        gettext_lazy("Exported packs and plans are mishandled outside the platform."),
        gettext_lazy("Exports are suppressed and redacted; downloads are in the trail."),
    ),
)


def risk_rows() -> list[tuple[str, ...]]:
    """The starting list: risk and the platform's mitigation, the rest for the DPO."""
    return [(str(risk), str(mitigation), "", "", "", "") for risk, mitigation in RISKS]
