"""Reads about a person's second factor: whether they have one, and whether this session has
proved it."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

from django.db.models import Count
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.mfa import PROVIDER_VERIFIED_SESSION_KEY
from scrutiny.permissions import AnyUser, needs_second_factor


@dataclass(frozen=True)
class SecondFactorStatus:
    required: bool  # needs_second_factor: the person cannot remove it
    has_app: bool  # a confirmed authenticator app
    recovery_codes_left: int
    verified: bool  # this session has proved it (or the identity provider did)
    by_provider: bool  # the identity provider did


def has_second_factor(*, user: AnyUser) -> bool:
    """A confirmed authenticator app, or recovery codes (a device with none left is no way in)."""
    if not user.is_authenticated:
        return False
    return (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        or StaticDevice.objects.filter(
            user_id=user.pk, confirmed=True, token_set__isnull=False
        ).exists()
    )


def confirmed_app(*, user: AnyUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-pk").first()


def recovery_codes_left(*, user: AnyUser) -> int:
    counted = StaticDevice.objects.filter(user_id=user.pk, confirmed=True).aggregate(
        left=Count("token_set")
    )
    return int(counted["left"] or 0)


def verified_by_provider(request: HttpRequest) -> bool:
    return bool(request.session.get(PROVIDER_VERIFIED_SESSION_KEY))


def session_is_verified(request: HttpRequest) -> bool:
    """Whether this session has proved a second factor: a code (django-otp's OTPMiddleware
    loads the device that verified it), or the identity provider's own MFA at sign-in."""
    is_verified = getattr(request.user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return True
    return verified_by_provider(request)


def second_factor_status(request: HttpRequest) -> SecondFactorStatus:
    user = request.user
    return SecondFactorStatus(
        required=needs_second_factor(user),
        has_app=confirmed_app(user=user) is not None,
        recovery_codes_left=recovery_codes_left(user=user),
        verified=session_is_verified(request),
        by_provider=verified_by_provider(request),
    )


def secret_for_reading(device: TOTPDevice) -> str:
    """The app's secret as people type it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
