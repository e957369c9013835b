"""Sends whoever must prove a second factor, and has not in this session, to do so first."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.mfa.selectors import has_second_factor, session_is_verified
from scrutiny.permissions import needs_second_factor
from scrutiny.prepared import Prepared

# What a person signed in with only a password may still open: signing in and out, resetting a
# forgotten password by its emailed link (changing it needs the second factor), these pages
# themselves, another way of signing in (OpenID Connect), the health check, the language switch,
# static files, the public statements (also a partnership's own, under /p/<slug>/), the surveys
# answered by link without an account (pages and API), and the API's token endpoint (which asks
# for the code).
EXEMPT = re.compile(
    r"^/(?:"
    r"accounts/(?:login|logout|password-reset|reset|two-factor|oidc)/"
    r"|oidc/"
    r"|health/$"
    r"|i18n/setlang/$"
    r"|(?:accessibility|privacy)/$"
    r"|p/[^/]+/(?:accessibility|privacy)"
    r"|(?:i|invited|s)/"
    r"|api/token/"
    r"|api/surveys/(?:open/|invitations/response/)"
    r")"
)
# The API's own documentation pages are pages; everything else under /api/ answers in JSON.
API = re.compile(r"^/api/(?!docs/|redoc/)")

API_REFUSAL = (
    "This account must prove a second factor before it can use the API with a signed-in "
    "session: enter a code from your authenticator app at {verify}, or ask {token} for a "
    "token, sending the code as `otp`."
)


# An authenticator app's device as the session names it ("otp_totp.totpdevice/<id>").
_APP_DEVICE = re.compile(rf"^{re.escape(TOTPDevice.model_label())}/([0-9]{{1,19}})$")
_APP_DEVICE_BY_ID = Prepared(lambda pk: TOTPDevice.objects.filter(pk=pk), pk=TOTPDevice._meta.pk)


class DeviceMiddleware(OTPMiddleware):
    """django-otp's middleware (it gives `request.user.otp_device` and `is_verified`), with the
    authenticator app's device, read on every signed-in request, read by SQL made once a
    process (scrutiny.prepared) rather than compiled each time. Any other device, and every
    check of the device against the person and of its confirmation, is django-otp's own."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        app = _APP_DEVICE.match(self._normalize_persistent_id(persistent_id))
        if app is None:
            return super()._device_from_persistent_id(persistent_id)
        return _APP_DEVICE_BY_ID.one(pk=int(app.group(1)))


def is_exempt(path: str) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith(static) or EXEMPT.match(path) is not None


class SecondFactorMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware: a signed-in person who
    needs a second factor (or has set one up) and has not proved it in this session goes to
    set-up (no device yet) or to verification, keeping where they were going as `next`. The
    API answers 403 with the reason instead of a redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_exempt(request.path_info):
            return None
        if session_is_verified(request):
            return None
        has_device = has_second_factor(user=user)
        if not has_device and not needs_second_factor(user):
            return None
        if API.match(request.path_info):
            message = API_REFUSAL.format(
                verify=reverse("two-factor-verify"), token=reverse("api-token")
            )
            return JsonResponse({"detail": message}, status=403)
        return to_second_factor(request, has_device=has_device)


def to_second_factor(request: HttpRequest, *, has_device: bool | None = None) -> HttpResponse:
    """To setting up a second factor (no device yet) or to entering its code, keeping where the
    person was going as `next`: also for a page that must never open to an unproved session
    whatever the middleware let through."""
    if has_device is None:
        has_device = has_second_factor(user=request.user)
    target = reverse("two-factor-verify" if has_device else "two-factor-set-up")
    return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
