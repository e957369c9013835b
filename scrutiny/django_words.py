"""Django's own words that its Welsh catalogue leaves untranslated (issue 18).

Nothing here is shown: each text is marked with `gettext_noop` (`ngettext` pairs with a lazy
`ngettext_lazy`, never evaluated), exactly as Django writes it (its curly apostrophe included),
so that `makemessages` puts it in our catalogue (locale/cy), which wins over Django's
(LOCALE_PATHS). The password validators' help and errors (password_validation.py) and the
password forms' texts (forms.py, both in django/contrib/auth) are shown on the password pages;
a new Django version that changes one shows it in English until it is added here (tests/welsh
finds it).
"""

# ruff: noqa: RUF001 (Django's msgids, letter for letter)
from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_HELP = (
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Enter the same password as before, for verification."),
)

PASSWORD_ERRORS = (
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
)

PASSWORD_LENGTH = (
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)
