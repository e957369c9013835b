"""Every setting of the platform, read from the environment.

Development needs nothing set: SQLite in the project folder, tasks run in-process, e-mail printed
to the console. Production (DEBUG=false) refuses to start with the development secret key, and
`manage.py check --deploy` is clean with the production defaults below. The README lists every
variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import cache_of, env_bool, env_int, env_list, env_str, sqlite_options

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - refused when DEBUG is off

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key. Set SECRET_KEY to a long random value "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "formtools",
    "axes",
    "csp",
    # A second factor (TOTP, recovery codes) for whoever needs one: scrutiny/mfa/.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "scrutiny",
    "audits",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response of a view, error pages included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the language cookie, else the browser's Accept-Language (docs/welsh.md).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session proved a second factor (django-otp).
    "scrutiny.mfa.middleware.DeviceMiddleware",  # django-otp's OTPMiddleware
    # Whoever needs a second factor and has not proved it is sent to set it up or verify it.
    "scrutiny.mfa.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The audit trail of pages and the API (scrutiny.trail.routes); after the messages, so
    # that it sees a view's error message before it is stored.
    "scrutiny.trail.middleware.TrailMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # SQLite's "database is locked" (a writer past its timeout) as a 503 to try again.
    "scrutiny.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scrutiny.context_processors.navigation",
                "audits.context_processors.navigation",
                "surveys.context_processors.navigation",
                # The sign-in page's "Sign in with <provider>" link (scrutiny/oidc.py).
                "scrutiny.oidc.sign_in_provider",
            ],
        },
    },
]
FORM_RENDERER = "scrutiny.forms.AccessibleFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(sqlite_options())
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "scrutiny.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "scrutiny.backends.PasswordBackend",  # Django's ModelBackend, its read made once
    "django.contrib.auth.backends.ModelBackend",  # sessions signed in before it: backends.py
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Second factor (scrutiny/mfa/): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Safeguarding scrutiny")

# Login throttling: five failures for one e-mail address from one place lock it for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "scrutiny.sign_in.lockout_username"  # the name as sign-in folds it
AXES_CLIENT_IP_CALLABLE = "scrutiny.sign_in.client_address"  # as the API's, past NUM_PROXIES
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

# Sign-in with the partnership's own identity provider over OpenID Connect (mozilla-django-oidc,
# scrutiny/oidc.py; docs/oidc.md shows Microsoft Entra ID). Off unless OIDC_RP_CLIENT_ID is set;
# then every endpoint and the issuer must be. Accounts are matched by email, never created here.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation's account")
# For a provider that enforces MFA by policy without saying so in `amr` (Entra ID's v2.0 tokens).
OIDC_PROVIDER_MFA_TRUSTED = env_bool("OIDC_PROVIDER_MFA_TRUSTED", False)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATE_CLASS = "scrutiny.oidc.SignInView"
OIDC_CALLBACK_CLASS = "scrutiny.oidc.CallbackView"
# A sign-in through the provider is not a password guess: not counted towards the lock-out.
AXES_WHITELIST_CALLABLE = "scrutiny.oidc.not_a_password_attempt"
if OIDC_RP_CLIENT_ID:
    _oidc_missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_OP_ISSUER",
        )
        if not globals()[name]
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so set {', '.join(_oidc_missing)} too (docs/oidc.md)."
        )
    AUTHENTICATION_BACKENDS.append("scrutiny.oidc.ProviderBackend")

LANGUAGE_CODE = "en-gb"
# English (the default) and Welsh, under the Welsh Language Standards (docs/welsh.md).
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # a choice that is remembered
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Evidence of an action's impact uploaded as a document: never served from MEDIA_URL, only
# through a page that checks who may see the action.
ACTION_EVIDENCE_MAX_MB = env_int("ACTION_EVIDENCE_MAX_MB", 10)

# E-mail. Development prints messages to the console; production sets EMAIL_HOST.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "scrutiny@localhost")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # file backend
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Caches. `evidence` keeps aggregates over a scrutiny's answers (scores, option counts) while its
# evidence is unchanged (scrutiny/kept.py); `default` holds the API's throttle counts. Each web
# process keeps its own in memory; CACHE_URL (redis://…, a database of its own, not the broker's)
# shares them between processes and machines (docs/production.md, "Beyond one machine").
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {name: cache_of(CACHE_URL, name, 2000) for name in ("default", "evidence")}

# Celery. With no broker configured, tasks run eagerly in-process; scripts/serve.sh runs a worker
# on kombu's filesystem transport (no Redis); production runs workers on Redis (docs/production.md).
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# With CELERY_BROKER_URL=filesystem:// (scripts/serve.sh) messages wait here as files.
BROKER_FOLDER = Path(env_str("BROKER_FOLDER", str(BASE_DIR / "var" / "celery")))
# A worker that dies mid-task: the message goes back to the queue (not acknowledged), and a job
# whose heartbeat stops is sent again by `jobs_recover` (docs/jobs.md). Redis gives an
# unacknowledged message again only after this many seconds; a job's claim makes that harmless.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# On: packs, imports and email each go to a queue of their own (config/celery.py), for workers
# started with `-Q` (docs/production.md, "Beyond one machine"); off, every task to one queue.
TASK_QUEUES_BY_KIND = env_bool("TASK_QUEUES_BY_KIND", False)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# How often a worker looks for messages past that timeout (unset: kombu's, about 100 s).
if env_str("CELERY_UNACKED_RESTORE_SECONDS", ""):
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"] = env_int(
        "CELERY_UNACKED_RESTORE_SECONDS", 10
    )
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = 1
# A running job with no heartbeat for this long is stalled: sent again, up to JOB_MAX_ATTEMPTS
# starts, then failed as stalled with a "Start again" button. Checked every JOB_RECOVER_SECONDS.
JOB_STALL_SECONDS = env_int("JOB_STALL_SECONDS", 90)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
JOB_RECOVER_SECONDS = env_int("JOB_RECOVER_SECONDS", 60)
if JOB_STALL_SECONDS < 1 or JOB_MAX_ATTEMPTS < 1 or JOB_RECOVER_SECONDS < 1:
    raise ImproperlyConfigured(
        "JOB_STALL_SECONDS, JOB_MAX_ATTEMPTS and JOB_RECOVER_SECONDS must be 1 or more"
    )
# Workbooks uploaded through the pages wait here for their import job (never served; web and
# workers must share it, as they share MEDIA_ROOT in docker-compose.yml); deleted when it ends.
JOB_UPLOADS_DIR = Path(env_str("JOB_UPLOADS_DIR", str(MEDIA_ROOT / "job-uploads")))
# celery beat: survey reminders are looked for every hour (each survey sets its own days), the
# daily work once a day; both can be shortened from the environment (a test, a demo).
REMINDERS_EVERY = float(max(1, env_int("REMINDERS_EVERY_SECONDS", 3600)))
DAILY_EVERY = float(max(1, env_int("DAILY_TASKS_EVERY_SECONDS", 86400)))
CELERY_BEAT_SCHEDULE = {
    "survey-reminders": {"task": "surveys.tasks.reminders_schedule", "schedule": REMINDERS_EVERY},
    # Overdue and drifting actions of the delivery plan, flagged once a day.
    "actions-overdue": {"task": "scrutiny.tasks.actions_flag_overdue", "schedule": DAILY_EVERY},
    # Personal data past each partnership's retention periods, removed once a day.
    "retention": {"task": "scrutiny.tasks.retention_daily", "schedule": DAILY_EVERY},
    # Published PDFs redacted with other terms than today's, not served, rendered again
    # (scrutiny.publishing.publications_redact_again).
    "published-pdfs-redacted": {
        "task": "scrutiny.tasks.publications_redact_again",
        "schedule": 300.0,
    },
    # Jobs whose worker died, sent again (or marked stalled): scrutiny.jobs.jobs_recover.
    "jobs-recover": {"task": "scrutiny.tasks.jobs_recover", "schedule": float(JOB_RECOVER_SECONDS)},
    # Uploads that ended or dead jobs left in JOB_UPLOADS_DIR, deleted a day old, once a day.
    "job-uploads-clean": {"task": "scrutiny.tasks.job_uploads_clean", "schedule": DAILY_EVERY},
    "responses-exports-clean": {
        "task": "scrutiny.tasks.responses_exports_clean",
        "schedule": DAILY_EVERY,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # API tokens (knox): stored as a hash, good for API_TOKEN_HOURS, revoked by signing
        # out and when the account's password changes or it is deactivated (User.save).
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [  # DRF's three; JSON nested too deeply is a 400, not a 500
        "scrutiny.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "scrutiny.apis.exception_handler",
    # Responses through a survey's open link, by address: a practitioner sends one; a front
    # end that relays many for a whole team can be given more.
    "DEFAULT_THROTTLE_RATES": {
        "survey-open-submit": env_str("SURVEY_OPEN_SUBMIT_RATE", "120/minute"),
    },
    # Proxies appending to X-Forwarded-For (0: ignored, a client forges it; docs/production.md).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, least=0),
}
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 10, least=1)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    # A token lasts its lifetime from when it was given, however often it is used.
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding scrutiny API",
    "DESCRIPTION": "Scrutinies, instruments, evidence and scores of a safeguarding partnership.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the errors it can give (scrutiny/apis/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "scrutiny.apis.schema.document_errors",
    ],
}

# Security. Production defaults are strict; behind a TLS proxy, SECURE_PROXY_SSL_HEADER_ENABLED.
SESSION_ENGINE = "scrutiny.sessions"  # Django's database sessions, read by SQL made once
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from this site only, no inline script or
# style (templates use files in static/; a bar's width is an SVG attribute, not a style), no
# plugins, no framing, forms post only here. The API documentation pages add what their
# third-party viewers need (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", "")

# The health endpoint stops waiting for the broker after this many seconds.
HEALTH_BROKER_TIMEOUT = env_int("HEALTH_BROKER_TIMEOUT", 2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# `manage.py demo` creates logins with a shared, published password: development only.
DEMO_LOGINS_ALLOWED = env_bool("DEMO_LOGINS_ALLOWED", DEBUG)
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-scrutiny-2026")

# Largest workbook accepted for import. Workbooks are zip files that can expand a great deal;
# reading them stream-wise keeps memory flat, but a limit stops accidents early.
WORKBOOK_MAX_BYTES = env_int("WORKBOOK_MAX_BYTES", 50 * 1024 * 1024)
# The longest text answer taken, in characters: a comment, not a document (said on the page).
ANSWER_TEXT_MAX_CHARS = env_int("ANSWER_TEXT_MAX_CHARS", 10_000)
