"""API tokens that must not outlive the rule they were given under.

The code of a second factor is asked only when a token is given (`services.
second_factor_for_token`), so a token got with the password alone, while the person needed no
second factor, would go on working once they need one: promoted, given the admin site, or
made their partnership's named safeguarding lead. `User.save` and `Partnership.save` (every way
a person or a partnership's lead changes ends in one of them) ask here, before saving, whose
tokens to revoke once saved. Both sides are read with `needs_second_factor` itself, so a rule
added there is followed here.
"""

from __future__ import annotations

from scrutiny.models import Partnership, User
from scrutiny.permissions import needs_second_factor


def second_factor_begins(user: User) -> bool:
    """Whether the person, as about to be saved, needs a second factor they did not need as
    stored. The stored row is read only when they need one now."""
    if user._state.adding or not needs_second_factor(user):
        return False
    stored = User._base_manager.select_related("partnership").filter(pk=user.pk).first()
    return stored is not None and not needs_second_factor(stored)


def second_factor_begins_for_lead(partnership: Partnership) -> list[int]:
    """The people of the partnership, as about to be saved, who need a second factor only now
    (made its named safeguarding lead): each read against the stored partnership and then
    against the one being saved."""
    lead = partnership.safeguarding_lead_email.strip()
    if partnership._state.adding or not lead:
        return []
    stored = Partnership.objects.filter(pk=partnership.pk).first()
    if stored is None:
        return []
    begins = []
    for person in User.objects.filter(partnership_id=partnership.pk, email__iexact=lead):
        person.partnership = stored
        before = needs_second_factor(person)
        person.partnership = partnership
        if needs_second_factor(person) and not before:
            begins.append(person.pk)
    return begins
