"""Forms of the core pages, and the renderer every form of the platform uses.

The renderer's templates (templates/components/) give each field a visible label, its hint and
error linked by aria-describedby, and each form an error summary that links to the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scrutiny.disclosure import DEFAULT_PHRASES
from scrutiny.models import Partnership
from scrutiny.services import RETENTION_LIMITS


class AccessibleFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


# Which languages the partnership offers, and which it uses when nobody has chosen one.
LANGUAGE_FIELDS = ("languages", "default_language")


def _languages_kept(data: Mapping[str, Any], partnership: Partnership) -> Mapping[str, Any]:
    left_out = {name: getattr(partnership, name) for name in LANGUAGE_FIELDS if name not in data}
    if not left_out:
        return data
    if isinstance(data, QueryDict):
        merged = data.copy()
        for name, value in left_out.items():
            merged[name] = value
        return merged
    return {**data, **left_out}


def _retention_message(unit: str) -> str:
    if unit == "days":
        return gettext("Enter a whole number of days from %(low)s to %(high)s")
    return gettext("Enter a whole number of months from %(low)s to %(high)s")


# Each statement the partnership writes, and its Welsh text: edited side by side, the Welsh
# text shown on the public page in Welsh (templates/scrutiny/statement.html).
STATEMENTS_CY = {
    "accessibility_statement": "accessibility_statement_cy",
    "privacy_notice": "privacy_notice_cy",
}


class PartnershipForm(forms.ModelForm):
    """The partnership's details, and how long each kind of personal data is kept (whole
    numbers within RETENTION_LIMITS; the privacy notice should say the same). Each statement
    is edited beside its Welsh text (`rows`, the side-by-side template); a Welsh text left out
    (an older client) is kept as it is."""

    template_name = "scrutiny/scrutinies/_form_side_by_side.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # an older client, a form of fewer fields: languages kept as they are
            self.data = _languages_kept(self.data, self.instance)
        if not self.instance.disclosure_phrases:
            # The suggested list, in use until the partnership saves its own.
            self.initial["disclosure_phrases"] = "\n".join(DEFAULT_PHRASES)
        for name in ("front_door_phone", "disclosure_phrases"):
            # Left out (an older client, a form of fewer fields): kept as they are.
            self.fields[name].required = False
        for name, (low, high, unit) in RETENTION_LIMITS.items():
            field = self.fields[name]
            assert isinstance(field, forms.IntegerField)
            message = _retention_message(unit) % {"low": low, "high": high}
            field.min_value, field.max_value = low, high
            field.validators = [MinValueValidator(low), MaxValueValidator(high)]
            field.error_messages.update(
                {
                    "required": message,
                    "invalid": message,
                    "min_value": message,
                    "max_value": message,
                }
            )
            field.widget.attrs.update({"min": low, "max": high, "inputmode": "numeric"})
            # Left out (an older client, a form of fewer fields): the period stays as it is.
            field.required = False

    def rows(self) -> list[tuple[BoundField, BoundField | None]]:
        """Each visible field, each statement with its Welsh text beside it."""
        welsh = set(STATEMENTS_CY.values())
        return [
            (field, self[STATEMENTS_CY[field.name]] if field.name in STATEMENTS_CY else None)
            for field in self.visible_fields()
            if field.name not in welsh
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        offered = (cleaned.get("languages") or "").split(",")
        if cleaned.get("default_language") and cleaned["default_language"] not in offered:
            self.add_error(
                "default_language", _("Choose a default language that the partnership offers")
            )
        for name in ("front_door_phone", "disclosure_phrases", *STATEMENTS_CY.values()):
            if name not in self.data:
                cleaned[name] = getattr(self.instance, name)  # left out: kept as it is
        for name in RETENTION_LIMITS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    class Meta:
        model = Partnership
        fields = [
            "name",
            "contact_email",
            "safeguarding_lead_name",
            "safeguarding_lead_email",
            "front_door_phone",
            "disclosure_phrases",
            "accessibility_statement",
            "accessibility_statement_cy",
            "privacy_notice",
            "privacy_notice_cy",
            *LANGUAGE_FIELDS,
            "redaction_terms",
            "brag_blue",
            "brag_green",
            "brag_amber",
            "brag_red",
            *RETENTION_LIMITS,
        ]
        labels = {
            "accessibility_statement": _("Accessibility statement"),
            "accessibility_statement_cy": _("Accessibility statement (Welsh)"),
            "privacy_notice": _("Privacy notice"),
            "privacy_notice_cy": _("Privacy notice (Welsh)"),
        }
        help_texts = {
            "accessibility_statement": _(
                "Shown on the public accessibility statement page. Blank lines make paragraphs."
            ),
            "accessibility_statement_cy": _(
                "Shown on the public page in Welsh. Empty, the English statement is shown "
                "there under a note in Welsh saying it is only in English."
            ),
            "privacy_notice": _(
                "Shown on the public privacy notice page. Blank lines make paragraphs."
            ),
            "privacy_notice_cy": _(
                "Shown on the public page in Welsh. Empty, the English notice is shown "
                "there under a note in Welsh saying it is only in English."
            ),
            "front_door_phone": _(
                "Shown on every page of a children's survey, beside Childline "
                "(0800 1111), as where to talk to someone if something is wrong. Leave it empty "
                "and children are shown Childline alone. For example 0300 123 4567."
            ),
            "disclosure_phrases": _(
                "One word or phrase a line. An answer a child writes in a "
                "children's survey that contains one is flagged to the business unit, the "
                "safeguarding lead is emailed a link, and its words never leave the scrutineer's "
                "screen. Whole words only, capitals ignored: “hit me” finds “he HIT me” but not "
                "“they hit metal”. Empty, the suggested list shown here is used. When you change "
                "the list, answers already given are checked again; an answer once flagged stays "
                "flagged."
            ),
            "brag_blue": _(
                "The delivery plan's colour key, in the partnership's words: printed "
                "beside every colour. Blue is only given with evidence of impact."
            ),
        }
        widgets = {
            "accessibility_statement": forms.Textarea(attrs={"rows": 14}),
            "privacy_notice": forms.Textarea(attrs={"rows": 14}),
            "accessibility_statement_cy": forms.Textarea(attrs={"rows": 14, "lang": "cy"}),
            "privacy_notice_cy": forms.Textarea(attrs={"rows": 14, "lang": "cy"}),
            "redaction_terms": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
            "disclosure_phrases": forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
            "front_door_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "languages": forms.RadioSelect,
            "default_language": forms.RadioSelect,
        }


class LoginForm(AuthenticationForm):
    """Django's login form, asking for an e-mail address in the words people expect."""

    username = UsernameField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Enter a correct email address and password. The password is case-sensitive."
        ),
    }
