"""Forms of the core pages, and the renderer every form of the platform uses.

The renderer's templates (templates/components/) give each field a visible label, its hint and
error linked by aria-describedby, and each form an error summary that links to the fields.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.forms.renderers import TemplatesSetting

from scrutiny.models import Partnership


class AccessibleFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "contact_email",
            "safeguarding_lead_name",
            "safeguarding_lead_email",
            "accessibility_statement",
            "privacy_notice",
            "redaction_terms",
            "brag_blue",
            "brag_green",
            "brag_amber",
            "brag_red",
        ]
        help_texts = {
            "brag_blue": "The delivery plan's colour key, in the partnership's words: printed "
            "beside every colour. Blue is only given with evidence of impact.",
        }
        widgets = {
            "accessibility_statement": forms.Textarea(attrs={"rows": 14}),
            "privacy_notice": forms.Textarea(attrs={"rows": 14}),
            "redaction_terms": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        }


class LoginForm(AuthenticationForm):
    """Django's login form, asking for an e-mail address in the words people expect."""

    username = UsernameField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Enter a correct email address and password. The password is case-sensitive."
        ),
    }
