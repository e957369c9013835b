"""Writes of a person's second factor: setting up an authenticator app, checking a code,
replacing the recovery codes, and removing it all (the person, or the business unit for
someone who lost their phone). Each change is in the audit trail."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.errors import ApplicationError
from scrutiny.models import User
from scrutiny.permissions import needs_second_factor
from scrutiny.trail import trail_record

RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

APP_CODE = re.compile(r"^\d{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")

ENTER_A_CODE = _("Enter the 6-digit code from your authenticator app, or a recovery code")
NOT_A_CODE = _("Enter the 6 digits your authenticator app shows, like 123456, or a recovery code")
WRONG_APP_CODE = _(
    "That code is not right, or has been used already. Enter the code your app shows now; "
    "if it still fails, check that your phone sets its time automatically"
)
WRONG_RECOVERY_CODE = _(
    "That recovery code is not right, or has been used already: each code works once"
)
NO_SECOND_FACTOR = _(
    "This account has no second factor set up yet: set up an authenticator app at "
    "/accounts/two-factor/set-up/ first"
)


def code_clean(typed: str) -> str:
    """The code as typed, without the spaces and dashes people copy with it, in lower case
    (recovery codes are shown as two groups of four letters and digits)."""
    return re.sub(r"[\s-]", "", typed or "").lower()


def _throttled(device: Device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    wait = max(1, round((data["locked_until"] - timezone.now()).total_seconds()))
    return ngettext(
        "There have been too many wrong codes. Wait %(wait)d second, then try again",
        "There have been too many wrong codes. Wait %(wait)d seconds, then try again",
        wait,
    ) % {"wait": wait}


def _check(devices: list[Device], code: str) -> tuple[Device | None, str | None]:
    """The device that accepts the code, or why none did when it was throttled."""
    for device in devices:
        if waiting := _throttled(device):
            return None, waiting
        if device.verify_token(code):
            return device, None
    return None, None


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts `code` (the app's 6 digits, or a recovery code, which is then
    used up), or ApplicationError saying what to do. django-otp throttles each device: after
    n wrong codes in a row it refuses any for 2^(n-1) seconds. (The error is raised after the
    transaction, so the count of wrong codes is kept.)"""
    code = code_clean(code)
    if not code:
        raise ApplicationError(str(ENTER_A_CODE))
    if APP_CODE.match(code):
        model: type[Device] = TOTPDevice
        kind, wrong = "app code", WRONG_APP_CODE
    elif RECOVERY_CODE.match(code):
        model, kind, wrong = StaticDevice, "recovery code", WRONG_RECOVERY_CODE
    else:
        raise ApplicationError(str(NOT_A_CODE))
    if not has_any_device(user=user):
        raise ApplicationError(str(NO_SECOND_FACTOR))
    with transaction.atomic():
        # Locked while checked, so one code cannot be used twice at once.
        devices = list(model.objects.select_for_update().filter(user_id=user.pk, confirmed=True))
        device, waiting = _check(devices, code)
        if device is None and waiting is None:
            trail_record(action="second factor refused", user=user, detail=kind)
    if device is None:
        raise ApplicationError(waiting or str(wrong))
    return device


def has_any_device(*, user: User) -> bool:
    return (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        or StaticDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    )


def app_for_set_up(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: unconfirmed (it proves nothing) until a code from it
    is entered. The same one until then, so the page can be reloaded after scanning."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def app_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the app being set up with a code from it: it replaces any earlier app. Returns
    it and, when the person had no recovery codes left, ten new ones (to be shown once)."""
    code = code_clean(code)
    if not APP_CODE.match(code):
        raise ApplicationError(
            gettext("Enter the 6 digits your authenticator app shows, like 123456")
        )
    with transaction.atomic():
        pending = list(
            TOTPDevice.objects.select_for_update()
            .filter(user_id=user.pk, confirmed=False)
            .order_by("-pk")[:1]
        )
        if not pending:
            raise ApplicationError(
                gettext("Start again: open the set-up page and scan the new QR code")
            )
        device, waiting = _check(pending, code)
        if device is None and waiting is None:
            trail_record(action="second factor refused", user=user, detail="set-up code")
    if not isinstance(device, TOTPDevice):
        raise ApplicationError(waiting or str(WRONG_APP_CODE))
    return device, _app_confirmed(user=user, device=device)


@transaction.atomic
def _app_confirmed(*, user: User, device: TOTPDevice) -> list[str]:
    TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    trail_record(action="second factor set up", user=user, obj=user)
    return [] if _recovery_codes_left(user) else recovery_codes_replace(user=user)


def _recovery_codes_left(user: User) -> bool:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).exists()


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Ten new recovery codes, each good for one sign-in; any earlier ones stop working."""
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    trail_record(action="recovery codes replaced", user=user, obj=user)
    return codes


@transaction.atomic
def second_factor_remove(*, user: User, by: User | None = None, reset: bool = False) -> int:
    """Removes the person's app and recovery codes: by themselves (where it is optional), or,
    `reset`, for someone who lost their phone, on the business unit's word (`by`, when known):
    they set up a new app at their next sign-in. Returns how many devices were removed."""
    apps = TOTPDevice.objects.filter(user_id=user.pk)
    recovery = StaticDevice.objects.filter(user_id=user.pk)
    removed = apps.filter(confirmed=True).count() + recovery.count()
    apps.delete()
    recovery.delete()
    trail_record(
        action="second factor reset" if reset else "second factor removed",
        user=by if reset else user,
        partnership=user.partnership,
        obj=user,
        detail=f"{removed} device{'s' if removed != 1 else ''} removed",
    )
    return removed


def recovery_code_for_reading(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


API_CODE_NEEDED = _(
    "This account needs a second factor: send the 6-digit code from your authenticator app, "
    "or a recovery code, as `otp`."
)


def second_factor_for_token(*, user: User, code: str) -> None:
    """An API token for someone who needs a second factor (or has set one up) takes a code, as
    the pages do: ApplicationError (a 400) when it is missing or wrong."""
    if not (needs_second_factor(user) or has_any_device(user=user)):
        return
    if not code.strip():
        raise ApplicationError(str(API_CODE_NEEDED))
    second_factor_verify(user=user, code=code)
