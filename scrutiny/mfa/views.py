"""The two-factor pages, at /accounts/two-factor/: an overview, setting up an authenticator app
(its QR code served as an SVG of its own, since the Content-Security-Policy allows no inline
image), verifying after signing in, recovery codes and removing it.

These pages are open to a session that has not proved its second factor (the middleware lets
them through), so each checks itself that a person who has one has proved it before anything
is shown or changed beyond signing in.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from scrutiny.errors import ApplicationError
from scrutiny.mfa import selectors, services
from scrutiny.mfa.forms import AppCodeForm, VerifyForm
from scrutiny.models import User
from scrutiny.permissions import needs_second_factor

# The recovery codes just made, kept in the session only until the page shows them once.
NEW_CODES_SESSION_KEY = "second_factor_new_recovery_codes"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _next(request: HttpRequest, default: str = "home") -> str:
    """Where the person was going: `next` when it is an address of this site, else `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)


def _to(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _unproved(request: HttpRequest) -> HttpResponse | None:
    """To verification, coming back here, when the person has a second factor that this
    session has not proved: nothing of it may be seen or changed with only the password."""
    if selectors.has_second_factor(user=request.user) and not selectors.session_is_verified(
        request
    ):
        return _to("two-factor-verify", request.get_full_path())
    return None


@login_required
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    if refusal := _unproved(request):
        return refusal
    status = selectors.second_factor_status(request)
    return render(request, "registration/two_factor.html", {"status": status})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then enter a code from the app: only then is it
    confirmed. Someone who already has one sets up a new phone here once verified."""
    if refusal := _unproved(request):
        return refusal
    user = _user(request)
    next_url = _next(request, "two-factor")
    form = AppCodeForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = services.app_confirm(user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            django_otp.login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            if codes:
                request.session[NEW_CODES_SESSION_KEY] = codes
                return _to("two-factor-recovery-codes", next_url)
            return HttpResponseRedirect(next_url)
    device = services.app_for_set_up(user=user)
    context = {
        "form": form,
        "secret": selectors.secret_for_reading(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "next": next_url,
        "replacing": selectors.confirmed_app(user=user) is not None,
    }
    return render(request, "registration/two_factor_set_up.html", context)


@login_required
@never_cache
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the app being set up (it holds the secret: never cached)."""
    if refusal := _unproved(request):
        return refusal
    device = services.app_for_set_up(user=_user(request))
    qr = segno.make(device.config_url, error="m")
    svg = io.BytesIO()
    qr.save(
        svg,
        kind="svg",
        scale=5,
        border=4,
        xmldecl=False,
        dark="#0b0c0c",
        light="#ffffff",
        title=_("QR code to set up your authenticator app"),
    )
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After signing in with the password: a code from the app, or a recovery code."""
    user = _user(request)
    next_url = _next(request)
    if selectors.session_is_verified(request):
        return HttpResponseRedirect(next_url)
    if not selectors.has_second_factor(user=user):
        return _to("two-factor-set-up", next_url)
    form = VerifyForm(request.POST or None)
    if form.is_valid():
        code, field = form.typed()
        try:
            device = services.second_factor_verify(user=user, code=code)
        except ApplicationError as error:
            form.add_error(field, error.message)
        else:
            django_otp.login(request, device)
            if field == "recovery_code":
                left = selectors.recovery_codes_left(user=user)
                messages.warning(
                    request,
                    _(
                        "You used a recovery code: %(left)s left. Get new ones from the "
                        "two-factor authentication page if you are running out."
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(next_url)
    context = {"form": form, "next": next_url}
    return render(request, "registration/two_factor_verify.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes are shown once, on the page after they are made; asking for new ones replaces
    the old."""
    if refusal := _unproved(request):
        return refusal
    user = _user(request)
    if not selectors.has_second_factor(user=user):
        return _to("two-factor-set-up", _next(request, "two-factor"))
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_replace(user=user)
        return _to("two-factor-recovery-codes", _next(request, "two-factor"))
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None) or []
    context = {
        "codes": [services.recovery_code_for_reading(code) for code in codes],
        "left": selectors.recovery_codes_left(user=user),
        "next": _next(request, "two-factor"),
    }
    return render(request, "registration/two_factor_recovery_codes.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """For those for whom it is optional: remove the app and the recovery codes."""
    if refusal := _unproved(request):
        return refusal
    user = _user(request)
    if needs_second_factor(user):
        messages.error(
            request,
            _(
                "Your role needs two-factor authentication, so it cannot be removed. To move it "
                "to a new phone, set up the app again."
            ),
        )
        return redirect("two-factor")
    if request.method == "POST":
        services.second_factor_remove(user=user)
        request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-factor authentication is removed from your account."))
        return redirect("two-factor")
    return render(request, "registration/two_factor_remove.html")
