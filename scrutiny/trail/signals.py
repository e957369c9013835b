"""The trail's entries that no single page writes: signing in and out, failed sign-ins, changes
of people and roles (by any page, the admin, a command) and the Django admin's own log.

Connected in `ScrutinyConfig.ready`. Who did it is the person of the request being answered
(`middleware.current`); a change with no request (a command, the shell) is recorded with no
person.

A failed sign-in of a name that is no account's email address is recorded without what was
typed, not even a hash of it: people type their password into the email box, and a password
must never be kept, nor anything that lets one be tried against it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_save, pre_save

from scrutiny.models import Agency, Partnership, User
from scrutiny.sign_in import client_address, sign_in_name
from scrutiny.trail import entry_create, partnership_id_of, trail_record
from scrutiny.trail.context import current

# A person's columns that decide what they may see and do.
TRACKED = {
    "role": "Role",
    "agency_id": "Agency",
    "partnership_id": "Partnership",
    "is_active": "Active",
    "is_staff": "Admin site",
    "is_superuser": "Platform operator",
}
BEFORE = "_trail_before"  # the person's columns as stored, kept on the instance until saved
ADMIN_ACTIONS = {ADDITION: "admin_added", CHANGE: "admin_changed", DELETION: "admin_deleted"}
UNKNOWN_NAME = (
    "Someone tried to sign in with a name that is no account's email address. What was typed "
    "is not kept: it may have been a password typed into the wrong box."
)


def _actor() -> User | None:
    state = current.get()
    return state.actor() if state is not None else None


def _request_data(request: Any) -> dict[str, Any]:
    """Where a sign-in came from: the page or the API, and the network address."""
    if request is None:
        return {"via": "command"}
    path = str(getattr(request, "path", ""))
    return {
        "via": "api" if path.startswith("/api/") else "page",
        "address": client_address(request),
    }


# ---------------------------------------------------------------------------------------------
# Signing in and out


def signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    trail_record(action="signed_in", user=user, obj=user, data=_request_data(request))


def signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if isinstance(user, User):
        trail_record(action="signed_out", user=user, obj=user, data=_request_data(request))


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """A failed attempt on an account is recorded against the account (in its partnership);
    the person typing is not known. One on no account is recorded with nothing typed."""
    typed = credentials.get("username")
    account = (
        User.objects.filter(email__iexact=sign_in_name(str(typed))).first()
        if typed is not None
        else None
    )
    data = _request_data(request)
    data["locked_out"] = bool(getattr(request, "axes_locked_out", False))
    if account is None:
        entry_create(action="sign_in_failed", user=None, detail=UNKNOWN_NAME, data=data)
        return
    trail_record(
        action="sign_in_failed",
        user=account,
        obj=account,
        detail="A failed attempt to sign in to this account: who typed it is not known.",
        data=data,
    )


# ---------------------------------------------------------------------------------------------
# People and roles


def person_before(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    """Keeps the person's columns as stored, to compare after the save."""
    instance.__dict__[BEFORE] = None
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not any(
        name.removesuffix("_id") in update_fields or name in update_fields for name in TRACKED
    ):
        return  # e.g. the last sign-in's time
    instance.__dict__[BEFORE] = User.objects.filter(pk=instance.pk).values(*TRACKED).first()


def person_after(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # a restore loading people as they were (scrutiny.archive): nothing happened
    actor = _actor()
    now = {name: getattr(instance, name) for name in TRACKED}
    if created:
        _person_record("person_added", instance, actor, {k: [None, v] for k, v in now.items()})
        return
    if getattr(instance, "_password", None) is not None:
        # Set by a person (their page, a reset link, the admin, a command), not a rehash.
        entry_create(
            action="password_changed",
            user=actor,
            partnership_id=instance.partnership_id,
            actor=actor.email if actor is not None else "",
            object_type="user",
            object_id=str(instance.pk),
            object_label=str(instance),
        )
    before = instance.__dict__.pop(BEFORE, None)
    if not before:
        return
    changes = {k: [before[k], v] for k, v in now.items() if before[k] != v}
    if changes:
        _person_record("person_changed", instance, actor, changes)


def _person_record(
    action: str, person: User, actor: User | None, changes: dict[str, list[Any]]
) -> None:
    detail = "; ".join(
        f"{TRACKED[name]}: {_shown(name, old)} → {_shown(name, new)}"
        for name, (old, new) in changes.items()
        if old is not None or new not in (None, False, "")
    )
    partnerships = {person.partnership_id}
    if "partnership_id" in changes and changes["partnership_id"][0] is not None:
        partnerships.add(changes["partnership_id"][0])
    for partnership_id in partnerships:
        entry_create(
            action=action,
            user=actor,
            partnership_id=partnership_id,
            actor=actor.email if actor is not None else "",
            object_type="user",
            object_id=str(person.pk),
            object_label=str(person),
            detail=detail,
            data={"changes": changes},
        )


def _shown(name: str, value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "role":
        return str(dict(User.Role.choices).get(value, value))
    if name == "agency_id":
        agency = Agency.objects.filter(pk=value).values_list("name", flat=True).first()
        return agency or str(value)
    if name == "partnership_id":
        partnership = Partnership.objects.filter(pk=value).values_list("name", flat=True).first()
        return partnership or str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# The Django admin's log


def admin_log_saved(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    state = current.get()
    if state is not None:
        state.admin_logged.add(instance.pk)
    admin_log_record(instance)


def admin_log_catch_up(*, user: User, since: dt.datetime, recorded: set[int]) -> None:
    """The admin writes its log of a deletion of several objects at once in one bulk insert,
    which sends no signal: those entries are recorded here, at the end of the request (one
    query, on the admin's writes alone)."""
    entries = (
        LogEntry.objects.filter(user_id=user.pk, action_time__gte=since, action_flag=DELETION)
        .exclude(pk__in=recorded)
        .select_related("content_type", "user")
    )
    for entry in entries:
        admin_log_record(entry)


def admin_log_record(entry: LogEntry) -> None:
    actor = User.objects.filter(pk=entry.user_id).first()
    edited = None
    with contextlib.suppress(ObjectDoesNotExist):  # deleted since: the actor's partnership
        edited = entry.get_edited_object() if entry.content_type_id else None
    partnership_id = partnership_id_of(edited)
    entry_create(
        action=ADMIN_ACTIONS.get(entry.action_flag, "admin_changed"),
        user=actor,
        partnership_id=partnership_id,
        object_type=(
            ContentType.objects.get_for_id(entry.content_type_id).model
            if entry.content_type_id
            else ""
        ),
        object_id=str(entry.object_id or ""),
        object_label=entry.object_repr,
        detail=entry.get_change_message(),
        data={"admin_log": entry.pk},
    )


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="trail_signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="trail_signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="trail_sign_in_failed")
    pre_save.connect(person_before, sender=User, dispatch_uid="trail_person_before")
    post_save.connect(person_after, sender=User, dispatch_uid="trail_person_after")
    post_save.connect(admin_log_saved, sender=LogEntry, dispatch_uid="trail_admin_log")
