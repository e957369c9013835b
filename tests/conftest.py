"""Personas shared by every test: one partnership, two agencies, and a person of each role.

- `business_unit`: the partnership administrator (Robin);
- `scrutineer`: the Independent Scrutineer (Morgan);
- `auditor_council`, `auditor_police`: auditors in two different agencies;
- `agency_lead`: the council's agency lead;
- `board_member`;
- `practitioner`: a practitioner with an account (most answer with none: use `client`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.models import Agency, Area, Partnership, User
from scrutiny.permissions import needs_second_factor
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, PartnershipFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True, scope="session")
def _static_files_looked_up_on_request() -> Iterator[None]:
    """WhiteNoise reads every file of STATIC_ROOT (over 700 once `collectstatic` has run, as
    scripts/setup.sh does) each time a middleware chain is built, and each test `Client` builds
    one: that was a third of the suite's time. The tests look static files up on request, as
    WhiteNoise does in DEBUG, which serves the same files with the same headers."""
    from django.test.utils import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A request in Welsh leaves Welsh active in the thread (LocaleMiddleware activates and
    nothing deactivates, as in a server's worker): each test starts and ends in the default."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def is_insert(sql: str) -> bool:
    """An INSERT, one or run over many rows at once (Django logs an `executemany` as
    "N times: INSERT …")."""
    return re.match(r"(\d+ times: )?INSERT\b", sql) is not None


def compiled_versions_forget() -> None:
    """Empty the process's cache of compiled versions (scrutiny.instruments.version_compile),
    so that a count of queries does not depend on what earlier tests compiled."""
    from scrutiny.instruments import compiling

    with compiling._COMPILED_LOCK:
        compiling._COMPILED.clear()


@pytest.fixture(autouse=True)
def _compiled_versions_forgotten() -> None:
    compiled_versions_forget()


@pytest.fixture(autouse=True)
def _kept_forgotten() -> None:
    """Each test starts with nothing kept (scrutiny/kept.py): a rolled-back test's ids come
    back in the next on SQLite, and a frozen clock can give two tests the same stamp. Nor with
    another test's throttle counts, which a shared cache (CACHE_URL, on CI) would keep."""
    from django.core.cache import caches

    caches["evidence"].clear()
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Persona passwords are hashed and checked in most tests: the production hasher adds over
    half a second each time and checks nothing these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def partnership(db) -> Partnership:
    return PartnershipFactory()


@pytest.fixture
def council(partnership) -> Agency:
    return AgencyFactory(
        partnership=partnership,
        code="FHC",
        name="Fernhill Council",
        type=Agency.Type.LOCAL_AUTHORITY,
    )


@pytest.fixture
def police(partnership) -> Agency:
    return AgencyFactory(
        partnership=partnership, code="POL", name="Fernhill Police", type=Agency.Type.POLICE
    )


@pytest.fixture
def area(partnership) -> Area:
    return AreaFactory(partnership=partnership, code="NTH", name="Fernhill North")


def _person(partnership: Partnership, email: str, role: str, agency: Agency | None = None) -> User:
    return UserFactory(
        partnership=partnership,
        email=email,
        role=role,
        agency=agency,
        is_staff=role == User.Role.ADMINISTRATOR,
    )


@pytest.fixture
def business_unit(partnership) -> User:
    return _person(partnership, "robin@fernhill.invalid", User.Role.ADMINISTRATOR)


@pytest.fixture
def scrutineer(partnership) -> User:
    return _person(partnership, "morgan@fernhill.invalid", User.Role.SCRUTINEER)


@pytest.fixture
def auditor_council(partnership, council) -> User:
    return _person(partnership, "sam@fernhill.invalid", User.Role.AUDITOR, council)


@pytest.fixture
def auditor_police(partnership, police) -> User:
    return _person(partnership, "jo@fernhill.invalid", User.Role.AUDITOR, police)


@pytest.fixture
def agency_lead(partnership, council) -> User:
    return _person(partnership, "kit@fernhill.invalid", User.Role.AGENCY_LEAD, council)


@pytest.fixture
def board_member(partnership) -> User:
    return _person(partnership, "alex@fernhill.invalid", User.Role.BOARD_MEMBER)


@pytest.fixture
def practitioner(partnership, council) -> User:
    return _person(partnership, "charlie@fernhill.invalid", User.Role.PRACTITIONER, council)


def second_factor_for(user: User) -> TOTPDevice:
    """The person's confirmed authenticator app (django-otp's TOTP device), made if they have
    none: what `client_for` and the browser tests' sign-in prove."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code the device takes now, computed as the person's app does (RFC 6238). A code is
    taken once, and the device also takes the next step's, so two sign-ins of one person within
    30 seconds both pass; a test that signs one person in more often than that within one step
    has the device forget what it took before (test-only: `last_t` is django-otp's record of
    the last step used)."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    step = max(now, device.last_t + 1)
    if step > now + device.tolerance:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=now - 1)
        step = now
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def client_for(user: User) -> Client:
    """A test client signed in as `user`; for whoever must prove a second factor, with the
    session django-otp gives after a code from their app (so every page opens as it would)."""
    client = Client()
    client.force_login(user)
    if needs_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = second_factor_for(user).persistent_id
        session.save()
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py demo`, loaded once for a module of tests that read it (each test still runs
    in its own transaction, rolled back: a test that changes the demo changes it for itself
    only) and removed when the module ends. Its output is what the command printed. Tasks run
    in-process while it loads, so that no worker acts on what is removed at the end."""
    import contextlib
    import io

    from celery import current_app as celery_app
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.test import override_settings

    # The files it makes (the published scrutiny's PDF) go to a folder of the module's own.
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    media.enable()
    printed = io.StringIO()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock(), contextlib.redirect_stdout(printed):
            call_command("demo", stdout=printed)
    finally:
        celery_app.conf.task_always_eager = eager
    yield printed.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
    media.disable()
