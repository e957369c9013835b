"""The code fields: what a phone's keyboard and password manager need to offer the right keys
and fill in the code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scrutiny.mfa import services


def _code_input(**attrs: str | bool) -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "none",
            **attrs,
        }
    )


class AppCodeForm(forms.Form):
    """Setting up: the code the app shows, to prove it was set up right."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows for this account, for example 123456."),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
        widget=_code_input(inputmode="numeric", autofocus=True),
    )


class VerifyForm(forms.Form):
    """Signing in: the app's code or, without the phone, one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows for this account, for example 123456."),
        max_length=20,
        required=False,
        widget=_code_input(inputmode="numeric", autofocus=True),
    )
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        help_text=_(
            "One of the codes you saved when you set up two-factor authentication, "
            "for example abcd-2345. Each works once."
        ),
        max_length=20,
        required=False,
        widget=_code_input(),
    )

    def clean(self) -> dict[str, str]:
        cleaned: dict[str, str] = super().clean() or {}
        if not cleaned.get("code") and not cleaned.get("recovery_code"):
            self.add_error("code", str(services.ENTER_A_CODE))
        return cleaned

    def typed(self) -> tuple[str, str]:
        """The code entered and the field it was entered in (the app's first)."""
        if self.cleaned_data.get("code"):
            return self.cleaned_data["code"], "code"
        return self.cleaned_data["recovery_code"], "recovery_code"
