"""An action's updates and BRAG: every change of status (or progress note) comes with an update
note, kept as history; Blue (complete) only with evidence of impact, saying what it shows:

- a later scrutiny's factor moving up (`scrutiny.plan.movement`), measured from the scrutiny the
  action was carried from, else the one that raised it;
- an audit;
- a document, uploaded (of a type the plan keeps, within `ACTION_EVIDENCE_MAX_MB`) or linked.

`action_update` records one, refusing and changing nothing when a rule is not met.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.models import Action, ActionUpdate, Brag, Scrutiny, User
from scrutiny.plan.movement import Movement, factor_movement

LINK_LENGTH = ActionUpdate._meta.get_field("link").max_length or 200
DOCUMENT_TYPES: tuple[str, ...] = (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".xls", ".ods")
DOCUMENT_TYPES += (".pptx", ".txt", ".csv", ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class Evidence:
    kind: str = ""  # one of ActionUpdate.Evidence, or "" for none
    text: str = ""  # what it shows, and where
    scrutiny: Scrutiny | None = None  # for a later scrutiny's factor moving
    document: UploadedFile | None = None
    link: str = ""


def _origin(action: Action) -> Scrutiny | None:
    """The scrutiny a later one is measured against: where the action was carried from, if it
    was, else the one that raised it."""
    return action.carried_from or action.scrutiny


def _later(scrutiny: Scrutiny, than: Scrutiny) -> bool:
    """By when they started where both say, else by when they were set up here (an earlier
    scrutiny entered afterwards says when it started)."""
    if scrutiny.starts and than.starts:
        return scrutiny.starts > than.starts
    return scrutiny.created_at > than.created_at


def _kind_checked(kind: str, status: str) -> None:
    """A kind of evidence the plan knows, and some kind for Blue."""
    kinds = {value for value in ActionUpdate.Evidence.values if value}
    if kind and kind not in kinds:
        raise ApplicationError("Choose a later scrutiny, an audit or a document as the evidence.")
    if status == Brag.BLUE and not kind:
        raise ApplicationError(
            "Blue means complete and evidenced: attach the evidence of impact (a later "
            "scrutiny's factor moving, an audit, or a document) and say what it shows."
        )


def _movement_checked(
    action: Action, status: str, later: Scrutiny | None, user: User | None
) -> Movement:
    """How the action's factor moved from its origin to `later`, a later scrutiny of the
    partnership whose scores `user` may read (its scores are in what the update keeps); for
    Blue, a move up."""
    origin = _origin(action)
    if later is None:
        raise ApplicationError("Choose the later scrutiny whose factor moved.")
    if later.partnership_id != action.partnership_id:
        raise ApplicationError("Choose one of this partnership's scrutinies.")
    readable = permissions.scrutinies_visible_to(user).filter(pk=later.pk) if user else None
    if readable is not None and not readable.exists():
        raise ApplicationError(
            "Only those who may read a scrutiny's scores (the business unit, the scrutineer "
            "and the board) can give its factor's movement as evidence: attach an audit or a "
            "document, or ask the business unit to add the movement."
        )
    if action.factor is None or origin is None:
        raise ApplicationError(
            "This action is not tied to a success factor, so no scrutiny can show it "
            "moving: attach an audit or a document instead."
        )
    if later.pk == origin.pk or not _later(later, origin):
        raise ApplicationError(
            f"Choose a scrutiny later than {origin.title}: the factor's movement is "
            "measured from there."
        )
    movement = factor_movement(code=action.factor.code, before=origin, after=later)
    if status == Brag.BLUE and not movement.moved_up:
        raise ApplicationError(
            f"{movement.describe()} That is not a move up, so it is not evidence of "
            "impact: keep the action open, or attach an audit or a document."
        )
    return movement


def _where_kept_checked(kind: str, evidence: Evidence) -> None:
    """A document is uploaded or linked, and a link fits."""
    if kind == ActionUpdate.Evidence.DOCUMENT and evidence.document is None and not evidence.link:
        raise ApplicationError("Upload the document, or give a link to where it is kept.")
    if len(evidence.link.strip()) > LINK_LENGTH:
        raise ApplicationError(
            f"The link is longer than {LINK_LENGTH} characters: give a shorter address for "
            "the document, or upload it."
        )


def _evidence_checked(
    action: Action, status: str, evidence: Evidence, user: User | None
) -> tuple[str, str]:
    """The evidence's kind and text as kept, or ApplicationError saying what is missing. A
    later scrutiny's text begins with how the factor moved."""
    kind, text = evidence.kind, evidence.text.strip()
    _kind_checked(kind, status)
    if kind == ActionUpdate.Evidence.SCRUTINY:
        movement = _movement_checked(action, status, evidence.scrutiny, user)
        return kind, f"{movement.describe()} {text}".strip()
    _where_kept_checked(kind, evidence)
    if kind and not text:
        raise ApplicationError("Say what the evidence shows about the difference made.")
    return kind, text


def _document_checked(document: UploadedFile | None) -> None:
    if document is None:
        return
    suffix = PurePath(document.name or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ApplicationError(
            f"{document.name} is not a document type the plan keeps: upload a "
            + ", ".join(t.lstrip(".").upper() for t in DOCUMENT_TYPES[:-1])
            + f" or {DOCUMENT_TYPES[-1].lstrip('.').upper()} file."
        )
    limit = settings.ACTION_EVIDENCE_MAX_MB
    if (document.size or 0) > limit * 1024 * 1024:
        raise ApplicationError(
            f"{document.name} is larger than {limit} MB: upload a smaller copy, or give a "
            "link to where it is kept."
        )


@transaction.atomic
def action_update(
    *,
    action: Action,
    status: str,
    note: str,
    user: User | None,
    evidence_kind: str = "",
    evidence: str = "",
    attached: Evidence | None = None,
) -> ActionUpdate:
    """Record an update by `user` (None for one the platform makes, such as the demo's),
    changing the status to `status`. Refused, changing nothing, without a note, or for Blue
    without evidence of impact."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("scrutiny", "carried_from", "factor")
        .get(pk=action.pk)
    )
    if status not in Brag.values:
        raise ApplicationError("Choose Blue, Green, Amber or Red.")
    note = note.strip()
    if not note:
        raise ApplicationError("Write an update: what has happened since the last one.")
    attached = attached or Evidence(kind=evidence_kind, text=evidence)
    _document_checked(attached.document)
    kind, text = _evidence_checked(action, status, attached, user)
    update = ActionUpdate(
        action=action,
        status=status,
        note=note,
        evidence_kind=kind,
        evidence=text,
        evidence_scrutiny=attached.scrutiny if kind == ActionUpdate.Evidence.SCRUTINY else None,
        link=attached.link.strip() if kind == ActionUpdate.Evidence.DOCUMENT else "",
        by=user,
    )
    if attached.document is not None and kind == ActionUpdate.Evidence.DOCUMENT:
        # Stored under a name of its own: the person's file name is kept only to show.
        update.document_name = PurePath(attached.document.name or "document").name[:200]
        suffix = PurePath(update.document_name).suffix.lower()
        update.document.save(f"{uuid.uuid4().hex}{suffix}", attached.document, save=False)
    # A file is not part of the transaction: if the update is not stored, nor is its file.
    try:
        update.save()
        action.status = status
        action.flag_reason = ""  # the update answers the flag
        action.save(update_fields=["status", "flag_reason", "updated_at"])
    except Exception:
        if update.document:
            update.document.storage.delete(update.document.name)
        raise
    return update
