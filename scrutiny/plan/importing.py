"""An existing delivery plan imported into the partnership's business plan (WORKBOOKS.md §7):
`plan_import` reads the workbook (`importing_read`: the layout partnerships publish, and
`scrutiny.packs.plan` writes) and saves it all or nothing.

- A priority is found by its title, else added (`priority_save`); its "Measuring impact" and
  "Related work" lines replace what it had when they differ; a priority the file gives no such
  line keeps its own.
- An outcome is found by its words under the priority, else added (`outcome_save`).
- An action is the plan's action of the same number under the same priority, else (unnumbered,
  or the plan's action has no number yet) the one with the same words there, else a new one
  (`action_save`). Its Responsible cell names an agency of the partnership (code or name), else
  a group (`responsible_group`).
- Its Update and RAG become an update (`action_update`, history kept) only when they differ
  from its latest update and its status. Blue needs evidence of impact: the evidence is the
  imported workbook, attached as the document that marks it complete.

Each field is compared with the plan as its workbook shows it (`plan_rows`, words redacted), so
importing the workbook the plan exports, or the same file twice, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext, ngettext

from scrutiny.errors import ApplicationError
from scrutiny.models import Action, ActionUpdate, Agency, Brag, Outcome, Partnership, Priority, User
from scrutiny.plan.importing_open import plan_read
from scrutiny.plan.importing_read import ActionRead, PlanRead, PriorityRead, split_number
from scrutiny.plan.redaction import ActionRedactors
from scrutiny.plan.selectors import PlanRow, plan_rows
from scrutiny.plan.services import ActionData, action_save, outcome_save, priority_save
from scrutiny.plan.updates import Evidence, action_update
from scrutiny.workbooks.problems import Problems

PlanFile = Path | IO[bytes]


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass
class PlanImported:
    priorities_created: int = 0
    priorities_updated: int = 0
    outcomes_created: int = 0
    actions_created: int = 0
    actions_updated: int = 0
    actions_unchanged: int = 0
    updates_recorded: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.priorities_created,
                self.priorities_updated,
                self.outcomes_created,
                self.actions_created,
                self.actions_updated,
            )
        )

    def __str__(self) -> str:
        """The counts in words, in the active language (the command's and the job's)."""
        priorities, outcomes = self.priorities_created, self.outcomes_created
        actions, updates = self.actions_created, self.updates_recorded
        return gettext(
            "%(priorities)s created and %(priorities_updated)s updated; %(outcomes)s created; "
            "%(actions)s created, %(actions_updated)s updated and %(actions_unchanged)s left "
            "unchanged; %(updates)s recorded"
        ) % {
            "priorities": ngettext("%(n)s priority", "%(n)s priorities", priorities)
            % {"n": priorities},
            "priorities_updated": self.priorities_updated,
            "outcomes": ngettext("%(n)s outcome", "%(n)s outcomes", outcomes) % {"n": outcomes},
            "actions": ngettext("%(n)s action", "%(n)s actions", actions) % {"n": actions},
            "actions_updated": self.actions_updated,
            "actions_unchanged": self.actions_unchanged,
            "updates": ngettext("%(n)s update", "%(n)s updates", updates) % {"n": updates},
        }


class _PlanSaver:
    """Saves what was read, against the plan as its workbook shows it now."""

    def __init__(
        self,
        *,
        partnership: Partnership,
        plan: PlanRead,
        user: User | None,
        evidence: Callable[[], SimpleUploadedFile],
    ) -> None:
        self.partnership, self.plan, self.user, self.evidence = partnership, plan, user, evidence
        self.problems = Problems()
        self.done = PlanImported()
        self.redactors = ActionRedactors()
        rows = plan_rows(Action.objects.filter(partnership=partnership))
        self.by_number = {(_words(r.priority), r.number): r for r in rows if r.number is not None}
        self.by_text = {(_words(r.priority), _words(split_number(r.action)[1])): r for r in rows}
        self.matched: set[int] = set()
        self.agencies = list(Agency.objects.filter(partnership=partnership))
        self.priorities = {_words(p.title): p for p in partnership.priorities.all()}
        self.created: set[int] = set()  # the priorities this import added

    # Priorities and outcomes -----------------------------------------------------------------

    def priority(self, title: str) -> Priority:
        found = self.priorities.get(_words(title))
        if found is None:
            found = priority_save(partnership=self.partnership, title=title)
            self.priorities[_words(title)] = found
            self.created.add(found.pk)
            self.done.priorities_created += 1
        return found

    def priority_lines(self, read: PriorityRead) -> None:
        lines = {
            "measuring_impact": "\n".join(read.measuring_impact),
            "related_work": "\n".join(read.related_work),
        }
        lines = {name: text for name, text in lines.items() if text.strip()}
        if not lines:
            return
        priority = self.priority(read.title)
        shown = {
            name: self.redactors.redact_plan(self.partnership.pk, getattr(priority, name))
            for name in lines
        }
        changed = [name for name, text in lines.items() if _words(text) != _words(shown[name])]
        for name in changed:
            setattr(priority, name, lines[name].strip())
        if changed:
            priority.save(update_fields=changed)
            self.done.priorities_updated += priority.pk not in self.created

    def outcome(self, priority: Priority, text: str) -> Outcome:
        found = Outcome.objects.filter(priority=priority, text__iexact=" ".join(text.split()))
        outcome = found.first()
        if outcome is None:
            outcome = outcome_save(priority=priority, text=text)
            self.done.outcomes_created += 1
        return outcome

    # Actions ---------------------------------------------------------------------------------

    def match(self, read: ActionRead) -> PlanRow | None:
        key = _words(read.priority)
        found = self.by_number.get((key, read.number)) if read.number is not None else None
        if found is None:
            found = self.by_text.get((key, _words(read.text)))
            if found is not None and read.number is not None and found.number is not None:
                found = None  # the plan's action of those words has another number
        if found is None or found.action_id in self.matched:
            return None
        self.matched.add(found.action_id or 0)
        return found

    def responsible(self, text: str, lead_name: str = "") -> tuple[Agency | None, str]:
        """The agency the cell names (by code or name), and the rest of it as a group."""
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if self._agency(text) is not None:
            parts = [text]
        agency = None
        rest = []
        for part in parts:
            named = self._agency(part)
            if named is not None and agency is None:
                agency = named
            elif not lead_name or _words(part) != _words(lead_name):
                rest.append(part)
        return agency, ", ".join(rest)

    def _agency(self, text: str) -> Agency | None:
        words = _words(text)
        return next((a for a in self.agencies if words in (_words(a.code), _words(a.name))), None)

    def action(self, read: ActionRead) -> None:
        row = self.match(read)
        if row is None or row.action_id is None:
            action = self.action_new(read)
            self.status(action, read, shown_status=Brag.GREEN, shown_update="")
            return
        action = Action.objects.select_related("outcome__priority").get(pk=row.action_id)
        changed = self.action_changed(action, row, read)
        recorded = self.status(action, read, shown_status=row.status, shown_update=row.update)
        if changed or recorded:
            self.done.actions_updated += 1
        else:
            self.done.actions_unchanged += 1

    def action_new(self, read: ActionRead) -> Action:
        # No outcome only under "Other work" (`importing_read` refuses it elsewhere).
        outcome = None
        if read.outcome:
            outcome = self.outcome(self.priority(read.priority), read.outcome)
        agency, group = self.responsible(read.responsible)
        data = ActionData(
            text=read.text,
            outcome=outcome,
            responsible=agency,
            responsible_group=group,
            timescale=read.timescale,
        )
        action = action_save(partnership=self.partnership, data=data)
        if read.number is not None:
            action.number = read.number
            action.save(update_fields=["number"])
        self.done.actions_created += 1
        return action

    def action_changed(self, action: Action, row: PlanRow, read: ActionRead) -> bool:
        """Change what the file says differently from the plan's workbook; whether it did."""
        outcome = action.outcome
        if read.outcome and _words(read.outcome) != _words(row.outcome):
            outcome = self.outcome(self.priority(read.priority), read.outcome)
        agency, group = action.responsible, action.responsible_group
        if _words(read.responsible) != _words(row.responsible):
            agency, group = self.responsible(read.responsible, action.lead_name)
        text = action.text
        if _words(read.text) != _words(split_number(row.action)[1]):
            text = read.text
        data = ActionData(
            text=text,
            outcome=outcome,
            responsible=agency,
            responsible_group=group,
            lead_name=action.lead_name,
            lead_email=action.lead_email,
            timescale=read.timescale,
            measures=action.measures,
        )
        before = (action.text, action.outcome_id, action.responsible_id, action.timescale)
        after = (text, outcome.pk if outcome else None, agency.pk if agency else None)
        changed = before != (*after, read.timescale) or group != action.responsible_group
        if changed:
            action = action_save(partnership=self.partnership, data=data, action=action)
        if read.number is not None and action.number != read.number:
            action.number = read.number
            action.save(update_fields=["number"])
            changed = True
        return changed

    def status(
        self, action: Action, read: ActionRead, *, shown_status: str, shown_update: str
    ) -> bool:
        """An update when the file's status or update differs from the plan's; whether one was
        recorded."""
        note = read.update.strip()
        same_note = not note or _words(note) == _words(shown_update)
        if read.status == shown_status and same_note:
            return False
        place = f"{self.plan.sheet}, row {read.row}"
        note = note or f"Status as published in the imported delivery plan ({place})."
        attached = None
        if read.status == Brag.BLUE:
            attached = Evidence(
                kind=ActionUpdate.Evidence.DOCUMENT,
                text=f"The delivery plan imported marks this action Blue, complete ({place}).",
                document=self.evidence(),
            )
        action_update(
            action=action, status=read.status, note=note, user=self.user, attached=attached
        )
        self.done.updates_recorded += 1
        return True


@transaction.atomic
def plan_import(
    *,
    partnership: Partnership,
    file: PlanFile,
    name: str = "",
    user: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> PlanImported:
    """Import a delivery plan workbook into the partnership's business plan, all or nothing:
    what was created, updated and left unchanged, or an ApplicationError listing every problem
    with its sheet, row and column (nothing changed). `name`: the file's name as the person
    knows it, given to the copy kept as a Blue action's evidence; `user`: who imports it,
    recorded on the updates (None for the command)."""
    plan = plan_read(file=file, key=partnership.brag_key)
    saver = _PlanSaver(
        partnership=partnership, plan=plan, user=user, evidence=lambda: _evidence(file, name)
    )
    actions = plan.actions
    for index, read in enumerate(actions, start=1):
        try:
            saver.action(read)
        except ApplicationError as exc:
            saver.problems.add(plan.sheet, read.row, "", exc.message)
        if progress is not None:
            progress(index * 100 // len(actions))
    for priority in plan.priorities:
        saver.priority_lines(priority)
    saver.problems.raise_if_any("The delivery plan")
    return saver.done


def _evidence(file: PlanFile, name: str) -> SimpleUploadedFile:
    """A copy of the imported workbook, kept as a Blue action's evidence (each update keeps its
    own document, as one uploaded on the action's page would be)."""
    if isinstance(file, Path):
        content = file.read_bytes()
    else:
        file.seek(0)
        content = file.read()
    kept = PurePath(name).name if name.lower().endswith(".xlsx") else "delivery-plan.xlsx"
    return SimpleUploadedFile(kept, content)
