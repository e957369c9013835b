"""The surveys' writes, in two rooms:

- `invitations`: setting up surveys (and whether one is open), inviting people, reminders, the
  personal links' tokens, and the survey an instrument is sent with from the command line;
- `answering`: drafts (personal link, open link, signed in), saving a page, submitting once,
  a whole response through the open link, and its Idempotency-Key.

Callers import the room they need; the public names of both are also importable from here.
"""

from surveys.services.answering import (
    IDEMPOTENCY_KEY_LENGTH,
    AlreadySubmitted,
    Holder,
    holder_compiled,
    holder_values,
    open_draft_for_key,
    open_draft_start,
    open_response_replayed,
    open_response_submit,
    signed_in_draft_start,
    survey_save_page,
    survey_submit,
    today,
)
from surveys.services.invitations import (
    CLOSED,
    NOT_OPEN,
    OPEN,
    InvitationResult,
    default_anonymous,
    invitation_for_token,
    invitation_token,
    invitations_create,
    invitations_send,
    invitations_send_later,
    open_link,
    reminders_due,
    reminders_send,
    survey_for_instrument,
    survey_instrument,
    survey_save,
    survey_state,
)

__all__ = [
    "CLOSED",
    "IDEMPOTENCY_KEY_LENGTH",
    "NOT_OPEN",
    "OPEN",
    "AlreadySubmitted",
    "Holder",
    "InvitationResult",
    "default_anonymous",
    "holder_compiled",
    "holder_values",
    "invitation_for_token",
    "invitation_token",
    "invitations_create",
    "invitations_send",
    "invitations_send_later",
    "open_draft_for_key",
    "open_draft_start",
    "open_link",
    "open_response_replayed",
    "open_response_submit",
    "reminders_due",
    "reminders_send",
    "signed_in_draft_start",
    "survey_for_instrument",
    "survey_instrument",
    "survey_save",
    "survey_save_page",
    "survey_state",
    "survey_submit",
    "today",
]
