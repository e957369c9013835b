"""Sign-in with the partnership's own identity provider over OpenID Connect (mozilla-django-oidc).

docs/oidc.md shows the set-up for Microsoft Entra ID. The rules:

- The provider says who the person is; this platform says what they may do. The account is matched
  by email, without regard to case, to one the business unit has made here with its role. No
  account is ever created from a sign-in, and an inactive one is refused.
- The ID token is checked beyond what the library checks (signature, algorithm, nonce, expiry): its
  audience must be this client and its issuer the configured one, so a token the provider gave
  another application or another tenant is refused.
- Where the provider did the second factor (`amr` holds "mfa", or OIDC_PROVIDER_MFA_TRUSTED for a
  provider that enforces MFA by policy without saying so, as Entra ID's v2.0 tokens do), the
  session says so and the platform's own MFA check counts it.
- A failed attempt is not a password guess: django-axes does not count it
  (`not_a_password_attempt`), so one person's failure cannot lock out everyone signing in from a
  council's shared address.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.views.generic import TemplateView, View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from scrutiny.mfa import PROVIDER_VERIFIED_SESSION_KEY
from scrutiny.sign_in import sign_in_name

logger = logging.getLogger(__name__)

# True in the session when the provider did the second factor of this sign-in; the MFA
# middleware (scrutiny/mfa/) owns the key and counts it.
SECOND_FACTOR_BY_PROVIDER = PROVIDER_VERIFIED_SESSION_KEY
# Why the last sign-in through the provider failed, for the page that says so (then forgotten).
FAILURE = "oidc_sign_in_failure"
# The keyword arguments the library's callback view gives `authenticate`, and only those.
_CALLBACK_CREDENTIALS = frozenset({"nonce", "code_verifier"})
# What a provider that refuses, fails or answers nonsense raises inside the library.
_PROVIDER_FAULTS = (
    SuspiciousOperation,
    requests.RequestException,
    jwt.PyJWTError,
    ValueError,
    KeyError,
)


def provider_enabled() -> bool:
    """Sign-in through the provider is on when a client id is configured (config/settings.py)."""
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def sign_in_provider(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the provider's name for the sign-in page's link, empty when it is off."""
    return {"oidc_provider_name": settings.OIDC_PROVIDER_NAME if provider_enabled() else ""}


def not_a_password_attempt(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: True for a sign-in through the provider.

    The lock-out guards passwords against guessing; the provider guards its own sign-in (and has
    its own lock-out). Such an attempt carries no user name, so axes would count every failure
    from one address under one empty name and, after five, refuse everyone signing in through the
    provider from that address. A password attempt always carries a user name and a password.
    """
    if not credentials or "nonce" not in credentials:
        return False
    return not credentials.get(settings.AXES_USERNAME_FORM_FIELD) and not credentials.get(
        "password"
    )


def claimed_email(claims: dict[str, Any]) -> str:
    """The email address the provider gives: `email`, else (Entra ID without an email claim) the
    sign-in name `preferred_username` or `upn` when it is an address. Empty when there is none."""
    for claim in ("email", "preferred_username", "upn"):
        value = sign_in_name(str(claims.get(claim) or ""))
        if "@" in value:
            return value
    return ""


def _is_false(value: Any) -> bool:
    # Some providers send booleans as strings.
    return value is False or str(value).strip().lower() == "false"


def _second_factor_done(id_token: dict[str, Any]) -> bool:
    amr = id_token.get("amr") or []
    methods = [amr] if isinstance(amr, str) else list(amr)
    return "mfa" in methods or bool(settings.OIDC_PROVIDER_MFA_TRUSTED)


class ProviderBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the provider's sign-in; nothing else."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> Any:
        # A password sign-in reaches every backend too: answer only the callback view's call
        # (its code and state are in the query string of the provider's redirect).
        if request is None or "nonce" not in credentials:
            return None
        if set(credentials) - _CALLBACK_CREDENTIALS:
            return None
        try:
            return super().authenticate(request, **credentials)
        except _PROVIDER_FAULTS as err:
            # A refused token, a provider that did not answer or answered nonsense: not signed in.
            logger.warning("Sign-in through the identity provider failed: %s", type(err).__name__)
            return None

    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_token(payload)
        if not isinstance(answer, dict) or not isinstance(answer.get("id_token"), str):
            raise SuspiciousOperation("The token endpoint gave no ID token.")
        return answer

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was given to another application.")
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if "exp" not in payload:
            raise SuspiciousOperation("The ID token has no expiry.")
        return dict(payload)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The active account with the provider's email address; never a new one."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub", payload.get("sub")) != payload.get("sub"):
            raise SuspiciousOperation("The user information is about someone else.")
        # The signed ID token first; the user information fills in what it leaves out.
        user, refusal = self._account_for({**userinfo, **payload})
        session = self.request.session
        if user is None:
            logger.warning("Sign-in through the identity provider refused: %s", refusal["reason"])
            session[FAILURE] = refusal
            return None
        if _second_factor_done(payload):
            session[SECOND_FACTOR_BY_PROVIDER] = True
        else:
            session.pop(SECOND_FACTOR_BY_PROVIDER, None)
        return user

    def _account_for(self, claims: dict[str, Any]) -> tuple[Any, dict[str, str]]:
        email = claimed_email(claims)
        if not email:
            return None, {"reason": "no_email", "email": ""}
        if claims.get("email") and _is_false(claims.get("email_verified", True)):
            return None, {"reason": "unverified", "email": email}
        users = list(self.UserModel._default_manager.filter(email__iexact=email)[:2])
        if len(users) != 1:
            # None, or (addresses are unique and stored lower-case) an impossible two.
            return None, {"reason": "no_account", "email": email}
        if not users[0].is_active:
            return None, {"reason": "inactive", "email": email}
        return users[0], {}

    def create_user(self, claims: dict[str, Any]) -> Any:
        # Roles are set here by the business unit, so an account is never made from a sign-in.
        raise PermissionDenied("Accounts are not created from a sign-in through the provider.")

    def get_user(self, user_id: Any) -> Any:
        # The library's version returns inactive accounts too; Django's signs them out.
        return ModelBackend.get_user(self, user_id)


class _WhenEnabled(View):
    """The provider's pages answer only when sign-in through it is configured."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not provider_enabled():
            raise Http404("Sign-in through an identity provider is not set up.")
        return super().dispatch(request, *args, **kwargs)


class SignInView(_WhenEnabled, OIDCAuthenticationRequestView):
    """Sends the person to the provider with a fresh state, nonce and PKCE challenge."""


class CallbackView(_WhenEnabled, OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: signed in, or told plainly why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        request.session.pop(FAILURE, None)
        if request.GET.get("error"):
            logger.warning("The identity provider answered: %s", request.GET["error"][:100])
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation:
            # A state this browser never asked for: an old or copied link, or a forgery.
            return self.login_failure()
        return response

    def login_success(self) -> HttpResponse:
        by_provider = self.request.session.get(SECOND_FACTOR_BY_PROVIDER) is True
        response: HttpResponse = super().login_success()
        if by_provider:
            # `login` empties the session when someone else was signed in on this browser.
            self.request.session[SECOND_FACTOR_BY_PROVIDER] = True
        return response

    def login_failure(self) -> HttpResponse:
        return redirect("oidc_sign_in_failed")


class SignInFailedView(_WhenEnabled, TemplateView):
    """Why the sign-in through the provider did not work, in words a person can act on."""

    template_name = "registration/oidc_failed.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        failure = self.request.session.pop(FAILURE, None) or {}
        return {
            **super().get_context_data(**kwargs),
            "reason": failure.get("reason", ""),
            "email": failure.get("email", ""),
            "provider_name": settings.OIDC_PROVIDER_NAME,
        }
