"""A person's data: subject access (`subject_access`) and erasure (`erase`) for an email
address within one partnership, and its downloads (`as_json`, `as_xlsx`).

Apps add theirs through their configs' `personal_data` and `personal_data_erase` hooks.
"""

from scrutiny.people_data.downloads import as_json, as_xlsx
from scrutiny.people_data.erasure import KEEP_REASON, Erasure, ErasureLine, erase
from scrutiny.people_data.held import HeldSection, PersonalData, subject_access
from scrutiny.people_data.scrub import text_scrub, trail_scrub

__all__ = [
    "KEEP_REASON",
    "Erasure",
    "ErasureLine",
    "HeldSection",
    "PersonalData",
    "as_json",
    "as_xlsx",
    "erase",
    "subject_access",
    "text_scrub",
    "trail_scrub",
]
