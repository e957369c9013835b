"""Sign-in with the partnership's identity provider over OpenID Connect (scrutiny/oidc.py).

Against a real, tiny provider on 127.0.0.1 (a threaded http.server): its authorisation endpoint
gives a one-time code for the person it is told has signed in, its token endpoint checks the
client's secret, the redirect URI and the PKCE verifier before giving an RS256 ID token signed
with a key made here, and it serves the user information and its JWKS. The platform exchanges
the code over real HTTP and checks the token itself: nothing of ours is mocked, and nothing
leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from axes.models import AccessAttempt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from scrutiny.models import User
from scrutiny.oidc import SECOND_FACTOR_BY_PROVIDER

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "fernhill-scrutiny"
CLIENT_SECRET = "not-a-real-secret"
KID = "fernhill-key-1"
CALLBACK = "http://testserver/oidc/callback/"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


PROVIDER_KEY = _new_key()
OTHER_KEY = _new_key()


class Provider:
    """What the provider knows: who has signed in, the codes and tokens it gave."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.person: dict[str, Any] = {}
        self.extra_id_claims: dict[str, Any] = {}  # to forge: another audience, issuer, nonce
        self.signing_key = PROVIDER_KEY
        self.codes: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.token_requests = 0

    def sign_in(self, **person: Any) -> None:
        self.person = {"sub": secrets.token_hex(8), **person}

    def authorize(self, query: dict[str, str]) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        asked = self.codes.pop(form.get("code", ""), None)  # a code works once
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        ).rstrip(b"=")
        if (
            asked is None
            or (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET)
            or form.get("redirect_uri") != asked["redirect_uri"]
            or challenge.decode() != asked.get("code_challenge")
        ):
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            **self.person,
            "iss": self.base_url,
            "aud": CLIENT_ID,
            "nonce": asked["nonce"],
            "iat": now,
            "exp": now + 300,
            **self.extra_id_claims,
        }
        id_token = jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": KID})
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = self.person
        return 200, {"access_token": access_token, "id_token": id_token, "token_type": "Bearer"}

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        person = self.tokens.get(authorization.removeprefix("Bearer "))
        if person is None:
            return 401, {"error": "invalid_token"}
        # Like Entra ID's: the subject and the email address, when there is one; no more.
        return 200, {key: person[key] for key in ("sub", "email") if key in person}

    def jwks(self) -> dict[str, Any]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        provider = self.server.provider
        url = urlsplit(self.path)
        if url.path == "/authorize":
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            self.send_response(302)
            self.send_header("Location", provider.authorize(query))
            self.end_headers()
        elif url.path == "/userinfo":
            self._json(*provider.userinfo(self.headers.get("Authorization", "")))
        elif url.path == "/jwks":
            self._json(200, provider.jwks())
        else:
            self._json(404, {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = {
            key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
        }
        if urlsplit(self.path).path != "/token":
            self._json(404, {})
            return
        self._json(*self.server.provider.token(form))

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    provider: Provider


@pytest.fixture
def provider(settings, monkeypatch) -> Iterator[Provider]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = _Server(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.provider = Provider(base)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/jwks"
    settings.OIDC_OP_ISSUER = base
    settings.OIDC_PROVIDER_NAME = "Fernhill Council"
    settings.OIDC_PROVIDER_MFA_TRUSTED = False
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "scrutiny.oidc.ProviderBackend",
    ]
    yield server.provider
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def sign_in(client: Client, provider: Provider, start: str | None = None) -> Any:
    """The browser's round trip: to the provider and back to the callback."""
    start_url = start or reverse("oidc_authentication_init")
    to_provider = client.get(start_url)
    assert to_provider.status_code == 302
    back = requests.get(to_provider["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == CALLBACK
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_the_provider_is_asked_with_state_nonce_and_pkce(client, provider):
    response = client.get(reverse("oidc_authentication_init"), {"next": "/scrutinies/"})

    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.base_url}/authorize"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == CALLBACK
    assert query["scope"] == "openid email profile"
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert query["state"] in client.session["oidc_states"]


@pytest.mark.django_db
def test_the_account_is_matched_by_email_and_the_providers_mfa_counts(client, provider, scrutineer):
    provider.sign_in(email="Morgan@Fernhill.invalid", amr=["pwd", "mfa"])

    response = sign_in(client, provider, reverse("oidc_authentication_init") + "?next=/scrutinies/")

    assert response.status_code == 302
    assert response["Location"] == "/scrutinies/"
    assert signed_in_id(client) == str(scrutineer.pk)
    assert client.session["_auth_user_backend"] == "scrutiny.oidc.ProviderBackend"
    assert client.session[SECOND_FACTOR_BY_PROVIDER] is True
    # The scrutineer must prove a second factor: the provider's counts, so the page opens.
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_signing_in_over_someone_else_keeps_the_providers_mfa(
    client, provider, business_unit, scrutineer
):
    client.force_login(business_unit)  # someone else's session on this browser: emptied
    provider.sign_in(email="morgan@fernhill.invalid", amr=["mfa"])

    sign_in(client, provider)

    assert signed_in_id(client) == str(scrutineer.pk)
    assert client.session[SECOND_FACTOR_BY_PROVIDER] is True


@pytest.mark.django_db
def test_without_mfa_from_the_provider_the_platform_asks_for_its_own(client, provider, scrutineer):
    provider.sign_in(email="morgan@fernhill.invalid", amr=["pwd"])

    sign_in(client, provider)

    assert signed_in_id(client) == str(scrutineer.pk)
    assert SECOND_FACTOR_BY_PROVIDER not in client.session
    home = client.get(reverse("home"))
    assert home.status_code == 302 and "/accounts/two-factor/" in home["Location"]


@pytest.mark.django_db
def test_a_provider_trusted_to_enforce_mfa_counts_without_amr(
    client, provider, settings, scrutineer
):
    settings.OIDC_PROVIDER_MFA_TRUSTED = True
    provider.sign_in(email="morgan@fernhill.invalid")

    sign_in(client, provider)

    assert signed_in_id(client) == str(scrutineer.pk)
    assert client.session[SECOND_FACTOR_BY_PROVIDER] is True


@pytest.mark.django_db
@pytest.mark.parametrize("claim", ["preferred_username", "upn"])
def test_without_an_email_claim_the_sign_in_name_is_used(client, provider, auditor_council, claim):
    provider.sign_in(**{claim: "SAM@fernhill.invalid"})

    sign_in(client, provider)

    assert signed_in_id(client) == str(auditor_council.pk)


@pytest.mark.django_db
def test_an_unknown_address_is_told_plainly_and_no_account_is_made(
    client, provider, scrutineer, business_unit
):
    provider.sign_in(email="nobody@elsewhere.invalid", amr=["mfa"])
    accounts = User.objects.count()

    response = sign_in(client, provider)

    assert response.status_code == 302
    assert response["Location"] == reverse("oidc_sign_in_failed")
    assert signed_in_id(client) is None
    assert SECOND_FACTOR_BY_PROVIDER not in client.session
    assert User.objects.count() == accounts
    page = client.get(response["Location"]).content.decode()
    assert (
        "There is no account for nobody@elsewhere.invalid: ask your partnership's "
        "business unit to add you." in page
    )
    assert "morgan@" not in page and "robin@" not in page


@pytest.mark.django_db
def test_an_inactive_account_is_refused(client, provider, scrutineer):
    scrutineer.is_active = False
    scrutineer.save()
    provider.sign_in(email="morgan@fernhill.invalid", amr=["mfa"])

    response = sign_in(client, provider)

    assert signed_in_id(client) is None
    assert "The account for morgan@fernhill.invalid is switched off" in (
        client.get(response["Location"]).content.decode()
    )


@pytest.mark.django_db
def test_an_address_the_provider_has_not_verified_is_refused(client, provider, scrutineer):
    provider.sign_in(email="morgan@fernhill.invalid", email_verified=False, amr=["mfa"])

    response = sign_in(client, provider)

    assert signed_in_id(client) is None
    assert "has not confirmed that morgan@fernhill.invalid" in (
        client.get(response["Location"]).content.decode()
    )


@pytest.mark.django_db
def test_a_token_signed_by_another_key_is_refused(client, provider, scrutineer):
    provider.sign_in(email="morgan@fernhill.invalid", amr=["mfa"])
    provider.signing_key = OTHER_KEY  # same key id, wrong key

    response = sign_in(client, provider)

    assert response["Location"] == reverse("oidc_sign_in_failed")
    assert signed_in_id(client) is None
    assert SECOND_FACTOR_BY_PROVIDER not in client.session
    assert "Signing in with Fernhill Council did not work" in (
        client.get(response["Location"]).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forged",
    [
        {"aud": "another-application"},
        {"iss": "https://login.example.org/another-tenant/v2.0"},
        {"nonce": "from-another-sign-in"},
        {"exp": 1_000_000_000},
    ],
    ids=["audience", "issuer", "nonce", "expired"],
)
def test_a_token_not_meant_for_this_sign_in_is_refused(client, provider, scrutineer, forged):
    provider.sign_in(email="morgan@fernhill.invalid", amr=["mfa"])
    provider.extra_id_claims = forged

    response = sign_in(client, provider)

    assert response["Location"] == reverse("oidc_sign_in_failed")
    assert signed_in_id(client) is None


@pytest.mark.django_db
def test_a_callback_this_browser_never_started_is_refused_plainly(client, provider, scrutineer):
    provider.sign_in(email="morgan@fernhill.invalid", amr=["mfa"])
    client.get(reverse("oidc_authentication_init"))  # a sign-in started, but not this one

    response = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})

    assert response.status_code == 302
    assert response["Location"] == reverse("oidc_sign_in_failed")
    assert signed_in_id(client) is None
    assert provider.token_requests == 0


@pytest.mark.django_db
def test_an_account_switched_off_after_signing_in_is_signed_out(client, provider, scrutineer):
    provider.sign_in(email="morgan@fernhill.invalid", amr=["mfa"])
    sign_in(client, provider)
    assert client.get(reverse("home")).wsgi_request.user == scrutineer

    User.objects.filter(pk=scrutineer.pk).update(is_active=False)

    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_failed_sign_ins_through_the_provider_lock_nobody_out(
    client, provider, settings, scrutineer, auditor_council, password
):
    """They carry no user name, so django-axes would count them all, from everyone at one
    address, under one empty name, and then refuse that whole office."""
    provider.sign_in(email="nobody@elsewhere.invalid")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(client, provider)
        assert signed_in_id(client) is None
    assert not AccessAttempt.objects.exists()

    provider.sign_in(email="morgan@fernhill.invalid", amr=["mfa"])
    sign_in(client, provider)
    assert signed_in_id(client) == str(scrutineer.pk)

    colleague = Client()
    signed_in = colleague.post(
        reverse("login"), {"username": "sam@fernhill.invalid", "password": password}
    )
    assert signed_in.status_code == 302
    assert colleague.session.get("_auth_user_id") == str(auditor_council.pk)


@pytest.mark.django_db
def test_password_failures_are_still_counted_with_the_provider_on(client, provider, scrutineer):
    client.post(reverse("login"), {"username": "morgan@fernhill.invalid", "password": "wrong"})

    assert AccessAttempt.objects.filter(username="morgan@fernhill.invalid").exists()


@pytest.mark.django_db
def test_a_password_sign_in_never_reaches_the_provider(client, provider, scrutineer, password):
    provider.sign_in(email="nobody@elsewhere.invalid")
    url = reverse("login") + "?code=stolen&state=guessed"

    response = client.post(url, {"username": "morgan@fernhill.invalid", "password": password})

    assert response.status_code == 302
    assert signed_in_id(client) == str(scrutineer.pk)
    assert client.session["_auth_user_backend"] == "scrutiny.backends.PasswordBackend"
    assert provider.token_requests == 0


@pytest.mark.django_db
def test_the_sign_in_page_links_to_the_provider_without_a_form(client, provider):
    response = client.get(reverse("login"), {"next": "/scrutinies/"})
    page = response.content.decode()

    link = (
        f'<a class="button" href="{reverse("oidc_authentication_init")}?next=%2Fscrutinies%2F">'
        "Sign in with Fernhill Council</a>"
    )
    assert link in page
    # A link, not a form, and above the password form: the site's Content-Security-Policy
    # limits where forms may go (form-action 'self'), not where a link may lead.
    assert page.index(link) < page.index("<form", page.index('id="main-content"'))
    policy = response.headers["Content-Security-Policy"]
    assert "form-action 'self'" in policy
    assert "navigate-to" not in policy


@pytest.mark.django_db
def test_with_no_provider_configured_there_is_no_link_and_no_route(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""

    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    callback = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})
    assert callback.status_code == 404
    assert client.get(reverse("oidc_sign_in_failed")).status_code == 404


def _settings_in_a_fresh_process(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from config import settings; print(settings.AUTHENTICATION_BACKENDS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_turn_the_provider_on_only_with_a_client_id_and_all_endpoints():
    tenant = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000"
    entra = {
        "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{tenant}/oauth2/v2.0/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{tenant}/oauth2/v2.0/token",
        "OIDC_OP_USER_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{tenant}/discovery/v2.0/keys",
        "OIDC_OP_ISSUER": f"{tenant}/v2.0",
    }

    off = _settings_in_a_fresh_process(**entra)
    on = _settings_in_a_fresh_process(OIDC_RP_CLIENT_ID=CLIENT_ID, **entra)
    entra.pop("OIDC_OP_ISSUER")
    incomplete = _settings_in_a_fresh_process(OIDC_RP_CLIENT_ID=CLIENT_ID, **entra)

    assert off.returncode == 0 and "scrutiny.oidc.ProviderBackend" not in off.stdout
    assert on.returncode == 0
    backends = on.stdout
    assert backends.index("AxesStandaloneBackend") < backends.index("scrutiny.oidc.ProviderBackend")
    assert incomplete.returncode != 0
    assert "set OIDC_OP_ISSUER too" in incomplete.stderr
