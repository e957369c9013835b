"""The redaction of an action's words wherever they leave the platform or reach readers beyond
the plan's writers (`ActionRedactors`): the plan's pages, the API, its downloads and emails."""

from __future__ import annotations

from scrutiny.disclosure import HeldTerms, Redactor
from scrutiny.models import Action


class ActionRedactors:
    """The redaction an action's words go through wherever they leave the platform (downloads,
    the API, emails) or reach readers beyond the plan's writers: every case reference the
    partnership holds and its redaction terms, with the terms of every scrutiny whose plan the
    action has been in (its words were drafted from one's findings and updated during the
    next), or of every scrutiny for other work (scrutiny.disclosure.HeldTerms). One query per
    partnership, however many actions and scrutinies are shown."""

    def __init__(self) -> None:
        self._held: dict[int, HeldTerms] = {}
        self._redactors: dict[tuple[int, frozenset[int]], Redactor] = {}

    def _for(self, partnership_id: int, scrutinies: frozenset[int]) -> Redactor:
        key = (partnership_id, scrutinies)
        if key not in self._redactors:
            if partnership_id not in self._held:
                self._held[partnership_id] = HeldTerms.of_partnership(partnership_id)
            self._redactors[key] = self._held[partnership_id].redactor(scrutinies)
        return self._redactors[key]

    @staticmethod
    def _scrutinies(action: Action) -> frozenset[int]:
        found = {s.pk for s in action.scrutiny_trail.all()}
        found.update(pk for pk in (action.scrutiny_id, action.carried_from_id) if pk is not None)
        return frozenset(found)

    def redact(self, action: Action, text: str) -> str:
        return self._for(action.partnership_id, self._scrutinies(action)).redact(text)

    def redact_plan(self, partnership_id: int, text: str) -> str:
        """`text` of the plan itself (an outcome's), which belongs to no scrutiny: redacted as
        other work is, with every scrutiny's terms."""
        return self._for(partnership_id, frozenset()).redact(text)
