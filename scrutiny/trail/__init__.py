"""The partnership's audit trail: who did what to which object, and when.

Every entry is append-only (scrutiny/models/trail.py). Entries are written in three places and
nowhere else:

- `trail_record`, called by services that know their object (the retention run, the trail's
  own export);
- the middleware (`scrutiny.trail.middleware`), for every page and API operation of the table
  in `scrutiny.trail.routes`: views of case data, downloads, imports and changes;
- the signal handlers (`scrutiny.trail.signals`): sign-ins, sign-outs and failed sign-ins,
  changes of people and roles, and the Django admin's additions, changes and deletions.

Nothing is ever recorded while a survey is being answered: see `routes.ANSWERING`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from scrutiny.models import Partnership, TrailEntry, User
from scrutiny.permissions import AnyUser

# What each action means, in the words of the trail's page (and its filter), shown in the
# reader's language: the entry stores the key, never the words.
ACTIONS: dict[str, StrOrPromise] = {
    "signed_in": _("Signed in"),
    "sign_in_failed": _("Failed to sign in"),
    "signed_out": _("Signed out"),
    "password_changed": _("Password changed"),
    "person_added": _("Person added"),
    "person_changed": _("Person's role or access changed"),
    "admin_viewed": _("Viewed in the admin site"),
    "admin_added": _("Added in the admin site"),
    "admin_changed": _("Changed in the admin site"),
    "admin_deleted": _("Deleted in the admin site"),
    "case_list_viewed": _("Viewed a list of case files"),
    "case_file_viewed": _("Viewed a case file's audit"),
    "case_file_changed": _("Changed a case file's audit"),
    "case_trail_viewed": _("Viewed a case file's audit trail"),
    "concern_viewed": _("Viewed an immediate concern"),
    "concern_raised": _("Raised an immediate concern"),
    "disclosure_reviewed": _("Recorded what was done about a possible disclosure"),
    "moderation_viewed": _("Viewed a moderation"),
    "moderation_changed": _("Moderated a case file"),
    "audits_assigned": _("Assigned audits"),
    "evidence_viewed": _("Viewed a factor's evidence and comments"),
    "responses_viewed": _("Viewed scores or response data"),
    "pack_built": _("Built an event pack"),
    "pack_downloaded": _("Downloaded an event pack"),
    "plan_downloaded": _("Downloaded a delivery plan"),
    "file_downloaded": _("Downloaded a file"),
    "imported": _("Imported a workbook or list"),
    "instrument_changed": _("Changed an instrument"),
    "settings_changed": _("Changed a scrutiny's settings"),
    "partnership_changed": _("Changed the partnership's details"),
    "survey_changed": _("Changed a survey"),
    "finding_changed": _("Changed a finding, quote or note"),
    "findings_signed_off": _("Signed off the findings"),
    "plan_changed": _("Changed the action plan"),
    "api_changed": _("Changed something through the API"),
    "job_restarted": _("Started a job again"),
    "trail_exported": _("Exported the audit trail"),
    "retention_run": _("Retention run"),
    "archive_exported": _("Exported the whole partnership as an archive"),
    "responses_exported": _("Exported an instrument's responses"),
    "archive_restored": _("Restored the partnership from an archive"),
    # Written by their own services (scrutiny.people_data, scrutiny.mfa).
    "subject_access": _("Downloaded a person's data (subject access)"),
    "erasure": _("Erased a person's data"),
    "second factor set up": _("Second factor set up"),
    "second factor refused": _("Second factor refused"),
    "second factor removed": _("Second factor removed"),
    "second factor reset": _("Second factor reset"),
    "recovery codes replaced": _("Recovery codes replaced"),
}


def trail_record(
    *,
    action: str,
    user: AnyUser | None = None,
    partnership: Partnership | None = None,
    obj: Model | None = None,
    detail: str = "",
    data: dict[str, Any] | None = None,
) -> TrailEntry:
    """Records that `user` did `action` (to `obj`), in `partnership` (the user's when not
    given)."""
    person = user if isinstance(user, User) else None
    return entry_create(
        action=action,
        user=person,
        partnership_id=partnership.pk if partnership is not None else None,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj) if obj is not None else "",
        detail=detail,
        data=data,
    )


def entry_create(
    *,
    action: str,
    user: User | None,
    partnership_id: int | None = None,
    actor: str | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    detail: str = "",
    data: dict[str, Any] | None = None,
) -> TrailEntry:
    """The one insert of an entry. The partnership is the person's when not given; the actor is
    the person's email address when not given (kept when the account is later deleted)."""
    if partnership_id is None and user is not None:
        partnership_id = user.partnership_id
    if actor is None:
        actor = user.email if user is not None else ""
    return TrailEntry.objects.create(
        partnership_id=partnership_id,
        user=user,
        actor=actor[:254],
        action=action[:50],
        object_type=object_type[:50],
        object_id=object_id[:64],
        object_label=object_label[:300],
        detail=detail,
        data=data or {},
    )


def partnership_id_of(obj: Model | None) -> int | None:
    """The partnership an object belongs to, where it says: its own, or its scrutiny's."""
    if obj is None:
        return None
    if isinstance(obj, Partnership):
        return obj.pk
    own = getattr(obj, "partnership_id", None)
    if isinstance(own, int):
        return own
    scrutiny_id = getattr(obj, "scrutiny_id", None)
    if isinstance(scrutiny_id, int):
        scrutiny = getattr(obj, "scrutiny", None)
        return getattr(scrutiny, "partnership_id", None)
    return None
