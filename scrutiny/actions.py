"""Action plans: drafting actions from signed-off findings, writing and assigning them, moving
them through BRAG with an update every time, carrying open ones into the next scrutiny of the
theme, and the partnership's delivery plan as its annual report lays it out.

- `actions_draft`: one draft action for each finding whose factor is not rated strong and that
  has no action yet (its text from the finding's areas for improvement), under the scrutiny's
  priority in the business plan (an outcome for each factor); running it again adds nothing.
- `action_save`: what an action is, the outcome it serves, who is responsible and leads it, its
  timescale and measures of impact.
- `action_update`: a change of status (or a progress note) always with an update note, kept as
  history; Blue (complete) only with evidence of impact: a later scrutiny's factor moving up, an
  audit, or a document (uploaded or linked), saying what it shows.
- `actions_carry`: the open actions of the earlier scrutiny of the theme move into this one,
  each beside how its factor moved (`factor_movements`).
- `plan_rows`: the plan's rows (Priority, Outcome, Action, Timescale, Responsible, Update, RAG)
  grouped by priority, for the workbook and the PDF.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from scrutiny.disclosure import HeldTerms, Redactor
from scrutiny.errors import ApplicationError
from scrutiny.models import (
    Action,
    ActionUpdate,
    Agency,
    Brag,
    Finding,
    Outcome,
    Partnership,
    Priority,
    Scrutiny,
    User,
)
from scrutiny.notifications import email_send, site_link
from scrutiny.scoring import RATING_LABELS, FactorScores, Rating, ScrutinyScores, scrutiny_scores

NEVER = dt.date.max
BRAG_WORDS = {Brag.BLUE: "Blue", Brag.GREEN: "Green", Brag.AMBER: "Amber", Brag.RED: "Red"}
OTHER_WORK = "Other work"
LINK_LENGTH = ActionUpdate._meta.get_field("link").max_length or 200
DOCUMENT_TYPES = (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".xls", ".ods", ".pptx", ".txt")
DOCUMENT_TYPES += (".csv", ".png", ".jpg", ".jpeg")


def brag_label(status: str, key: dict[str, str]) -> str:
    """A status in words: its colour and what the partnership means by it."""
    return f"{BRAG_WORDS[Brag(status)]}: {key.get(status, '')}".rstrip(": ")


# ---------------------------------------------------------------------------------------------
# Priorities and outcomes


def priority_save(
    *, partnership: Partnership, title: str, priority: Priority | None = None
) -> Priority:
    title = " ".join(title.split())
    if not title:
        raise ApplicationError("Write the priority, for example “Neglect”.")
    duplicate = Priority.objects.filter(partnership=partnership, title__iexact=title)
    if priority is not None:
        duplicate = duplicate.exclude(pk=priority.pk)
    if duplicate.exists():
        raise ApplicationError(f"The plan already has a priority called “{title}”.")
    if priority is None:
        last = Priority.objects.filter(partnership=partnership).aggregate(n=Max("position"))["n"]
        return Priority.objects.create(
            partnership=partnership, title=title, position=(last or 0) + 1
        )
    priority.title = title
    priority.save(update_fields=["title"])
    return priority


def outcome_save(*, priority: Priority, text: str) -> Outcome:
    text = " ".join(text.split())
    if not text:
        raise ApplicationError("Write the outcome: what will be different for children.")
    if Outcome.objects.filter(priority=priority, text__iexact=text).exists():
        raise ApplicationError(f"“{priority.title}” already has that outcome.")
    last = Outcome.objects.filter(priority=priority).aggregate(n=Max("position"))["n"]
    return Outcome.objects.create(priority=priority, text=text, position=(last or 0) + 1)


def _scrutiny_priority(scrutiny: Scrutiny) -> Priority:
    """The business plan's priority that a scrutiny's actions roll up into (by its title)."""
    title = " ".join((scrutiny.priority or scrutiny.title).split())
    found = Priority.objects.filter(partnership_id=scrutiny.partnership_id, title__iexact=title)
    return found.first() or priority_save(partnership=scrutiny.partnership, title=title)


# ---------------------------------------------------------------------------------------------
# Drafting, writing and assigning


@transaction.atomic
def actions_draft(*, scrutiny: Scrutiny) -> list[Action]:
    """Draft one action for each signed-off finding not rated strong that has none yet."""
    findings = (
        Finding.objects.filter(scrutiny=scrutiny, signed_off_at__isnull=False)
        .select_related("factor")
        .order_by("factor__code")
    )
    if not findings.exists():
        raise ApplicationError(
            f"{scrutiny.title} has no signed-off findings yet: sign them off in the workspace, "
            "then draft the action plan."
        )
    has_action = set(
        Action.objects.filter(scrutiny=scrutiny, factor__isnull=False).values_list(
            "factor_id", flat=True
        )
    )
    priority = None
    drafted = []
    for finding in findings:
        rating = finding.frozen.get("row", {}).get("rating", Rating.INSUFFICIENT.value)
        if rating == Rating.STRONG.value or finding.factor_id in has_action:
            continue
        priority = priority or _scrutiny_priority(scrutiny)
        statement = " ".join(finding.factor.statement.split())[:480]
        outcome, _ = Outcome.objects.get_or_create(
            priority=priority,
            text=f"{finding.factor.code} {statement}",
            defaults={"position": finding.factor.pk},
        )
        improvements = " ".join(finding.improvements.splitlines()).strip()
        label = RATING_LABELS[Rating(rating)]
        drafted.append(
            action := Action.objects.create(
                partnership_id=scrutiny.partnership_id,
                scrutiny=scrutiny,
                factor=finding.factor,
                outcome=outcome,
                text=improvements
                or f"Agree an action at the scrutiny event for {finding.factor.code} ({label}).",
                measures=f"{finding.factor.code} moves at the next scrutiny of the theme.",
            )
        )
        action.scrutiny_trail.add(scrutiny)
    return drafted


@dataclass(frozen=True)
class ActionData:
    text: str
    outcome: Outcome | None = None
    responsible: Agency | None = None
    responsible_group: str = ""
    lead_name: str = ""
    lead_email: str = ""
    timescale: dt.date | None = None
    measures: str = ""


@transaction.atomic
def action_save(
    *, partnership: Partnership, data: ActionData, action: Action | None = None
) -> Action:
    """Create an action of the plan (other work, or a scrutiny's once drafted) or change one.
    A new timescale or lead clears a flag raised against the old one."""
    if action is not None and action.partnership_id != partnership.pk:
        raise ApplicationError("This action is another partnership's.")
    text = data.text.strip()
    if not text:
        raise ApplicationError("Write the action: what will be done.")
    if data.outcome is not None and data.outcome.priority.partnership_id != partnership.pk:
        raise ApplicationError("Choose one of this partnership's outcomes.")
    if data.responsible is not None and data.responsible.partnership_id != partnership.pk:
        raise ApplicationError("Choose one of this partnership's agencies.")
    if data.lead_email and not data.lead_name.strip():
        raise ApplicationError("Give the named lead's name as well as their email address.")
    fields = {
        "text": text,
        "outcome": data.outcome,
        "responsible": data.responsible,
        "responsible_group": data.responsible_group.strip(),
        "lead_name": data.lead_name.strip(),
        "lead_email": data.lead_email.strip().lower(),
        "timescale": data.timescale,
        "measures": data.measures.strip(),
    }
    if action is None:
        return Action.objects.create(partnership=partnership, **fields)
    action = Action.objects.select_for_update().get(pk=action.pk)
    lead = (action.timescale, action.lead_name, action.lead_email)
    if lead != (fields["timescale"], fields["lead_name"], fields["lead_email"]):
        action.flagged_at = None
        action.flag_reason = ""
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    return action


# ---------------------------------------------------------------------------------------------
# How a factor moved between two scrutinies


@dataclass(frozen=True)
class Movement:
    code: str
    before_title: str
    after_title: str
    before: float | None  # 0 to 100, one decimal place
    after: float | None
    before_rating: Rating
    after_rating: Rating

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)

    @property
    def moved_up(self) -> bool:
        """Evidence of impact: scored in both, sufficient in the later one, and higher."""
        return (
            self.change is not None and self.change > 0 and self.after_rating != Rating.INSUFFICIENT
        )

    def describe(self) -> str:
        def point(score: float | None, rating: Rating, title: str) -> str:
            if score is None:
                return f"no score in {title}"
            return f"{score:.1f} ({RATING_LABELS[rating].lower()}) in {title}"

        start = point(self.before, self.before_rating, self.before_title)
        end = point(self.after, self.after_rating, self.after_title)
        change = f": {self.change:+.1f} points" if self.change is not None else ""
        return f"{self.code} went from {start} to {end}{change}."


class ScoresCache:
    """Each scrutiny's scores worked out once, however many actions ask."""

    def __init__(self) -> None:
        self._scores: dict[int, ScrutinyScores] = {}

    def factor(self, scrutiny: Scrutiny, code: str) -> FactorScores | None:
        if scrutiny.pk not in self._scores:
            self._scores[scrutiny.pk] = scrutiny_scores(scrutiny=scrutiny)
        try:
            return self._scores[scrutiny.pk].factor(code)
        except KeyError:
            return None


def factor_movement(
    *, code: str, before: Scrutiny, after: Scrutiny, cache: ScoresCache | None = None
) -> Movement:
    cache = cache or ScoresCache()
    earlier, later = cache.factor(before, code), cache.factor(after, code)
    return Movement(
        code=code,
        before_title=before.title,
        after_title=after.title,
        before=earlier.display if earlier else None,
        after=later.display if later else None,
        before_rating=earlier.rating if earlier else Rating.INSUFFICIENT,
        after_rating=later.rating if later else Rating.INSUFFICIENT,
    )


def factor_movements(actions: Iterable[Action]) -> dict[int, Movement]:
    """How the factor of each carried action moved between the scrutiny it was carried from
    and the one it is in now (actions need `scrutiny`, `carried_from` and `factor` loaded)."""
    cache = ScoresCache()
    return {
        action.pk: factor_movement(
            code=action.factor.code,
            before=action.carried_from,
            after=action.scrutiny,
            cache=cache,
        )
        for action in actions
        if action.carried_from_id and action.scrutiny_id and action.factor_id
    }


@transaction.atomic
def actions_carry(*, scrutiny: Scrutiny) -> list[Action]:
    """Move the open actions of the earlier scrutiny of the theme (the one the workspace
    compares with) into this one, each onto the factor of the same code."""
    previous = scrutiny.previous
    if previous is None:
        raise ApplicationError(
            "Choose the earlier scrutiny of this theme first (“Compare with an earlier "
            "scrutiny” on the workspace): its open actions are carried from there."
        )
    factors = {factor.code: factor for factor in scrutiny.factors.all()}
    carried = list(
        Action.objects.select_for_update(of=("self",))
        .filter(scrutiny=previous)
        .exclude(status=Brag.BLUE)
        .select_related("factor")
    )
    for action in carried:
        action.carried_from = previous
        action.scrutiny = scrutiny
        action.factor = factors.get(action.factor.code) if action.factor else None
        action.save(update_fields=["carried_from", "scrutiny", "factor", "updated_at"])
        action.scrutiny_trail.add(previous, scrutiny)
    return carried


# ---------------------------------------------------------------------------------------------
# Updates and BRAG


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


def _evidence_checked(action: Action, status: str, evidence: Evidence) -> tuple[str, str]:
    """The evidence's kind and text as kept, or ApplicationError saying what is missing."""
    kinds = {kind for kind in ActionUpdate.Evidence.values if kind}
    kind, text = evidence.kind, evidence.text.strip()
    if kind and kind not in kinds:
        raise ApplicationError("Choose a later scrutiny, an audit or a document as the evidence.")
    if status == Brag.BLUE and not kind:
        raise ApplicationError(
            "Blue means complete and evidenced: attach the evidence of impact (a later "
            "scrutiny's factor moving, an audit, or a document) and say what it shows."
        )
    if kind == ActionUpdate.Evidence.SCRUTINY:
        origin = _origin(action)
        if evidence.scrutiny is None:
            raise ApplicationError("Choose the later scrutiny whose factor moved.")
        if evidence.scrutiny.partnership_id != action.partnership_id:
            raise ApplicationError("Choose one of this partnership's scrutinies.")
        if action.factor is None or origin is None:
            raise ApplicationError(
                "This action is not tied to a success factor, so no scrutiny can show it "
                "moving: attach an audit or a document instead."
            )
        if evidence.scrutiny.pk == origin.pk or not _later(evidence.scrutiny, origin):
            raise ApplicationError(
                f"Choose a scrutiny later than {origin.title}: the factor's movement is "
                "measured from there."
            )
        movement = factor_movement(code=action.factor.code, before=origin, after=evidence.scrutiny)
        if status == Brag.BLUE and not movement.moved_up:
            raise ApplicationError(
                f"{movement.describe()} That is not a move up, so it is not evidence of "
                "impact: keep the action open, or attach an audit or a document."
            )
        return kind, f"{movement.describe()} {text}".strip()
    if kind == ActionUpdate.Evidence.DOCUMENT and evidence.document is None and not evidence.link:
        raise ApplicationError("Upload the document, or give a link to where it is kept.")
    if len(evidence.link.strip()) > LINK_LENGTH:
        raise ApplicationError(
            f"The link is longer than {LINK_LENGTH} characters: give a shorter address for "
            "the document, or upload it."
        )
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
    user: User,
    evidence_kind: str = "",
    evidence: str = "",
    attached: Evidence | None = None,
) -> ActionUpdate:
    """Record an update, changing the status to `status`. Refused, changing nothing, without
    a note, or for Blue without evidence of impact."""
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
    kind, text = _evidence_checked(action, status, attached)
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


# ---------------------------------------------------------------------------------------------
# The delivery plan


@dataclass(frozen=True)
class PlanRow:
    priority: str
    outcome: str
    action: str
    timescale: dt.date | None
    responsible: str
    update: str
    rag: str  # the BRAG word
    status: str  # blue, green, amber or red


def responsible_text(action: Action) -> str:
    return ", ".join(
        part
        for part in (
            action.responsible_group,
            action.responsible.name if action.responsible else "",
            action.lead_name,
        )
        if part
    )


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


def plan_actions(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Actions with what the plan shows of them, in a fixed number of queries."""
    return actions.select_related(
        "outcome__priority", "responsible", "factor", "scrutiny", "carried_from", "partnership"
    ).prefetch_related(
        Prefetch(
            "updates",
            queryset=ActionUpdate.objects.select_related("by", "evidence_scrutiny"),
        ),
        "scrutiny_trail",
    )


@dataclass(frozen=True)
class UpdateShown:
    update: ActionUpdate
    label: str  # its status in words
    note: str  # redacted
    evidence: str  # redacted
    document_name: str  # redacted: a file's name can name a child


@dataclass(frozen=True)
class ActionShown:
    """An action as the plan's pages show it: its words redacted (ActionRedactors), its status
    in the partnership's words, and how its factor moved if it was carried over."""

    action: Action
    label: str
    text: str
    outcome: str
    measures: str
    movement: Movement | None
    updates: list[UpdateShown]  # newest first

    @property
    def latest(self) -> UpdateShown | None:
        return self.updates[0] if self.updates else None


def actions_shown(
    actions: Iterable[Action], *, redactors: ActionRedactors | None = None
) -> list[ActionShown]:
    """`actions` (loaded with `plan_actions`) as the pages and the API show them, statuses in
    their partnership's words, in a fixed number of queries however many."""
    actions = list(actions)
    redactors = redactors or ActionRedactors()
    movements = factor_movements(actions)
    shown = []
    for action in actions:
        redact = functools.partial(redactors.redact, action)
        key = action.partnership.brag_key
        shown.append(
            ActionShown(
                action=action,
                label=brag_label(action.status, key),
                text=redact(action.text),
                outcome=(
                    redactors.redact_plan(action.partnership_id, action.outcome.text)
                    if action.outcome
                    else ""
                ),
                measures=redact(action.measures),
                movement=movements.get(action.pk),
                updates=[
                    UpdateShown(
                        u,
                        brag_label(u.status, key),
                        redact(u.note),
                        redact(u.evidence),
                        redact(u.document_name),
                    )
                    for u in action.updates.all()
                ],
            )
        )
    return shown


def priority_counts(
    priorities: Iterable[Priority], actions: QuerySet[Action]
) -> list[tuple[Priority, dict[str, int]]]:
    """Each priority with how many of `actions` are at each BRAG status (one query)."""
    counts: dict[int, dict[str, int]] = {}
    for priority_id, status in actions.values_list("outcome__priority_id", "status"):
        if priority_id is not None:
            counts.setdefault(priority_id, dict.fromkeys(Brag.values, 0))[status] += 1
    return [(p, counts.get(p.pk, dict.fromkeys(Brag.values, 0))) for p in priorities]


@dataclass(frozen=True)
class OutcomeShown:
    outcome: Outcome
    text: str  # redacted as the plan's own words (ActionRedactors.redact_plan)
    actions: list[ActionShown]


def priority_outcomes(priority: Priority, actions: QuerySet[Action]) -> list[OutcomeShown]:
    """A priority's outcomes, each with those of `actions` that serve it, soonest first."""
    by_outcome: dict[int, list[ActionShown]] = {}
    loaded = plan_actions(actions.filter(outcome__priority=priority)).order_by("timescale", "pk")
    redactors = ActionRedactors()
    for shown in actions_shown(loaded, redactors=redactors):
        assert shown.action.outcome_id is not None
        by_outcome.setdefault(shown.action.outcome_id, []).append(shown)
    return [
        OutcomeShown(
            outcome,
            redactors.redact_plan(priority.partnership_id, outcome.text),
            by_outcome.get(outcome.pk, []),
        )
        for outcome in Outcome.objects.filter(priority=priority)
    ]


def plan_rows(actions: QuerySet[Action]) -> list[PlanRow]:
    """The actions as rows of the delivery plan, grouped by priority in the plan's order, then
    by outcome and timescale; an action with no outcome sits under its scrutiny's priority (or
    "Other work"), after the plan's own priorities. The plan leaves the platform, so its words
    go through the redaction of every output (ActionRedactors)."""
    redactors = ActionRedactors()
    rows = []
    for action in plan_actions(actions):
        redact = functools.partial(redactors.redact, action)
        if action.outcome:
            priority = action.outcome.priority
            order: tuple[int, int] = (0, priority.position)
            title = priority.title
            outcome = redactors.redact_plan(action.partnership_id, action.outcome.text)
        else:
            order = (1, 0)
            title = (action.scrutiny.priority or action.scrutiny.title) if action.scrutiny else ""
            title = title or OTHER_WORK
            factor = f"{action.factor.code} {action.factor.statement}" if action.factor else ""
            outcome = redact(factor)
        latest = next(iter(action.updates.all()), None)
        rows.append(
            (
                order,
                title,
                PlanRow(
                    priority=title,
                    outcome=outcome,
                    action=redact(action.text),
                    timescale=action.timescale,
                    responsible=responsible_text(action),
                    update=redact(latest.note) if latest else "",
                    rag=BRAG_WORDS[Brag(action.status)],
                    status=action.status,
                ),
            )
        )
    rows.sort(key=lambda item: (item[0], item[1], item[2].outcome, item[2].timescale or NEVER))
    return [row for _, _, row in rows]


def delivery_plan(*, scrutiny: Scrutiny) -> list[PlanRow]:
    """A scrutiny's actions as rows of the delivery plan (`manage.py action_plan --xlsx`)."""
    return plan_rows(Action.objects.filter(scrutiny=scrutiny))


# ---------------------------------------------------------------------------------------------
# Overdue and drifting actions (celery beat, daily)

DRIFT_DAYS = 42  # no update for six weeks: drifting
REMIND_DAYS = 7  # an action flagged is flagged again a week later at the soonest


@dataclass(frozen=True)
class Flag:
    action_id: int
    reasons: tuple[str, ...]


def actions_to_flag(*, now: dt.datetime) -> list[Flag]:
    """Open actions past their timescale or without an update for DRIFT_DAYS (counted from the
    last update, else from when the action was made), not flagged in the last REMIND_DAYS."""
    today = now.date()
    drift = now - dt.timedelta(days=DRIFT_DAYS)
    candidates = (
        Action.objects.exclude(status=Brag.BLUE)
        .filter(Q(flagged_at__isnull=True) | Q(flagged_at__lt=now - dt.timedelta(days=REMIND_DAYS)))
        .annotate(last_update=Max("updates__at"))
        .order_by("pk")
    )
    flags = []
    for action in candidates:
        reasons = []
        if action.timescale is not None and action.timescale < today:
            reasons.append(f"overdue: its timescale was {action.timescale:%-d %B %Y}")
        last = action.last_update or action.created_at  # type: ignore[attr-defined]
        if last < drift:
            reasons.append(f"drifting: no update since {last:%-d %B %Y}")
        if reasons:
            flags.append(Flag(action.pk, tuple(reasons)))
    return flags


def actions_flag(*, now: dt.datetime | None = None) -> int:
    """Email each flagged action's lead and the business unit; returns how many were flagged.
    Each action is locked, marked and emailed in one transaction: an email that fails leaves its
    action unmarked for the task's retry to send, and one that went is marked, so a retried task
    emails no one twice."""
    now = now or timezone.now()
    sent = 0
    for flag in actions_to_flag(now=now):
        with transaction.atomic():
            action = (
                Action.objects.select_for_update(of=("self",))
                .select_related("partnership", "factor", "scrutiny", "carried_from")
                .get(pk=flag.action_id)
            )
            if action.flagged_at is not None and action.flagged_at >= now - dt.timedelta(
                days=REMIND_DAYS
            ):
                continue
            business_unit = list(
                User.objects.filter(
                    partnership_id=action.partnership_id,
                    role=User.Role.ADMINISTRATOR,
                    is_active=True,
                ).values_list("email", flat=True)
            )
            recipients = sorted({e for e in [action.lead_email, *business_unit] if e})
            action.flagged_at = now
            reason = "; ".join(flag.reasons)
            action.flag_reason = (reason[:1].upper() + reason[1:])[:300]
            action.save(update_fields=["flagged_at", "flag_reason"])
            if not recipients:
                continue
            # An email leaves the platform: the action's words go through the redaction.
            text = ActionRedactors().redact(action, action.text)
            email_send(
                subject=f"Action needs an update: {text[:60]}",
                body=(
                    f"An action of {action.partnership.name}'s plan is "
                    + " and ".join(flag.reasons)
                    + f".\n\nAction: {text}\nStatus: {BRAG_WORDS[Brag(action.status)]}\n\n"
                    "Please give it an update (what has happened, and its status): "
                    f"{site_link('plan-action', action.pk)}\n"
                ),
                to=recipients,
            )
        sent += 1
    return sent
