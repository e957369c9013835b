"""The language a questionnaire is shown in: the active language (Django's, from the language
cookie or the browser's Accept-Language), where the instrument version offers it.

A version that does not offer the active language is shown in English, and the page says so in
the active language ("this survey is only available in English"): the Welsh Language Standards
ask a service to say so, not to fail. Only the words change, never the option values, so the
answers and their scores are the same in either language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from scrutiny.instruments import BASE_LANGUAGE, CompiledVersion


def active_language() -> str:
    """The active language as instruments name languages: `cy`, `en` (not `en-gb`)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0].lower() or BASE_LANGUAGE


def shown_in_other_language(compiled: CompiledVersion) -> bool:
    """Is the questionnaire shown in English although another language is active (the
    version does not offer it)?"""
    return active_language() != compiled.language


def html_lang(compiled: CompiledVersion) -> str:
    """The `lang` attribute of the questionnaire's own texts."""
    return "en-GB" if compiled.language == BASE_LANGUAGE else compiled.language
