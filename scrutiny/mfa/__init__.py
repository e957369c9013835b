"""A second factor of authentication: TOTP from an authenticator app, and recovery codes.

Who must prove one is `scrutiny.permissions.needs_second_factor` (the business unit, the
scrutineer, auditors, agency leads, the partnership's named safeguarding lead, staff and
superusers); anyone else may set one up, and once they have, they are asked for it too.
`middleware.SecondFactorMiddleware` sends a person who must and has not proved it in this
session to set it up or to verify it; `services` sets up, verifies, replaces and resets; the
pages are `views`, at /accounts/two-factor/; `tokens` says whose API tokens a change revokes
(a token got without a code must not outlive the person's needing one).

The devices and the proof in the session are django-otp's (`django_otp.plugins.otp_totp` for the
app, `otp_static` for recovery codes, `OTPMiddleware` for `request.user.is_verified()`, in
`middleware.DeviceMiddleware`).
"""

# Set true in the session by the OpenID Connect sign-in when the identity provider did the
# multi-factor authentication itself: that counts as this session's second factor.
PROVIDER_VERIFIED_SESSION_KEY = "second_factor_by_provider"
