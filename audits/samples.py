"""The scrutiny's sample of case files: drawing it from a case list, and choosing its audit tool
(the reads of the sample page, the API and `manage.py sample` are in audits/selectors.py).

The draw itself is `audits.sampling` (a pure function, documented there). What is recorded is
everything needed to repeat it: the file's SHA-256, the filters, the column stratified by, how
many per group, the seed and the population. A draw is fixed once its audits start: drawing
again with the same file and options changes nothing; a different draw replaces the sample
only while no audit of it has answers (or an immediate concern).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audits.models import Assignment, AuditEvent, CaseFile, ImmediateConcern, Sample
from audits.sampling import Draw, Rule, sample_cases
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.instruments import instrument_current_version
from scrutiny.models import Area, Instrument, Scrutiny, Source, User
from scrutiny.permissions import AnyUser
from scrutiny.workbooks.lists import CaseList, case_list_read
from scrutiny.workbooks.reading import normal_name

GROUP_MAX_LENGTH = CaseFile._meta.get_field("group").max_length or 200
COLUMN_MAX_LENGTH = Sample._meta.get_field("by").max_length or 100
VALUES_LISTED = 20


@dataclass(frozen=True)
class SampleDrawResult:
    sample: Sample
    drawn: bool  # False when the same draw was already recorded: nothing changed
    replaced: bool = False  # a different, earlier draw was replaced
    assignments_removed: int = 0  # assignments (none started) of the replaced draw
    instrument_changed: bool = False


# ---------------------------------------------------------------------------------------------
# Reading the options against the case list.


def _listing(names: Iterable[str]) -> str:
    items = [str(n) for n in names]
    text = ", ".join(items[:VALUES_LISTED])
    return text + (f" and {len(items) - VALUES_LISTED} more" if len(items) > VALUES_LISTED else "")


def _column_resolve(case_list: CaseList, name: str, *, purpose: str) -> str:
    """The header as written of the column `name` names; `purpose` is "stratify" or "filter"."""
    name = (name or "").strip()
    column = case_list.column(name) if name else None
    if column is not None:
        return column
    others = _listing(case_list.other_columns)
    if not others:
        raise ApplicationError(
            "The case list has no column besides case_ref to stratify or filter by: add one "
            "(area or team, for example)."
        )
    if name and normal_name(name) in {"case_ref", normal_name(case_list.case_ref_column)}:
        raise ApplicationError(
            f"Each case file has its own case_ref, so the draw cannot {purpose} by it. Choose "
            f"one of the other columns: {others}."
        )
    if not name:
        raise ApplicationError(f"Choose a column to {purpose} by: {others}.")
    raise ApplicationError(
        f"The case list has no column {name!r} to {purpose} by. Its columns: {others}."
    )


def _filters_resolve(
    case_list: CaseList, filters: Mapping[str, Iterable[str] | str] | None
) -> dict[str, list[str]]:
    """{column as written: sorted distinct values}, in the file's column order."""
    chosen: dict[str, set[str]] = {}
    for name, raw in (filters or {}).items():
        column = _column_resolve(case_list, name, purpose="filter")
        values = [raw] if isinstance(raw, str) else list(raw)
        wanted = {str(v).strip() for v in values}
        present = case_list.values(column)
        unknown = sorted(v for v in wanted if v not in present)
        if unknown:
            s = "" if len(unknown) == 1 else "s"
            shown = ", ".join(repr(v) for v in unknown)
            raise ApplicationError(
                f"Column {column} of the case list has no value{s} {shown}: its values are "
                f"{_listing(repr(v) for v in present)}. Values are compared exactly as written."
            )
        chosen.setdefault(column, set()).update(wanted)
    return {c: sorted(chosen[c]) for c in case_list.other_columns if c in chosen}


def _rule_resolve(
    case_list: CaseList, *, by: str, per: int, filters: Mapping[str, Iterable[str] | str] | None
) -> Rule:
    column = _column_resolve(case_list, by, purpose="stratify")
    if len(column) > COLUMN_MAX_LENGTH:
        raise ApplicationError(
            f"The column name {column!r} is longer than {COLUMN_MAX_LENGTH} characters: "
            "shorten it in the case list."
        )
    return Rule(by=column, per=per, filters=_filters_resolve(case_list, filters))


def _groups_check(draw: Draw) -> None:
    long = [g.value for g in draw.groups if len(g.value) > GROUP_MAX_LENGTH]
    if long:
        raise ApplicationError(
            f"A value of {draw.rule.by} is longer than {GROUP_MAX_LENGTH} characters "
            f"({long[0][:40]!r}…): shorten it in the case list."
        )


# ---------------------------------------------------------------------------------------------
# Areas, audit tools, whether the audits have started.


def _area_matcher(scrutiny: Scrutiny) -> dict[str, int]:
    """Area codes and names (case-folded) → area id; a code wins over another area's name."""
    areas = list(
        Area.objects.filter(partnership_id=scrutiny.partnership_id).values_list(
            "pk", "code", "name"
        )
    )
    matcher = {name.strip().casefold(): pk for pk, _, name in areas}
    matcher.update({code.strip().casefold(): pk for pk, code, _ in areas})
    return matcher


def _instrument_check(scrutiny: Scrutiny, instrument: Instrument) -> None:
    if instrument.scrutiny_id != scrutiny.pk:
        raise ApplicationError(f"{instrument.code} is not an instrument of {scrutiny.title}.")
    if instrument.kind != Source.FILE_AUDIT:
        raise ApplicationError(
            f"{instrument.code} is a {instrument.get_kind_display().lower()}, not a case-file "
            "audit tool: choose an instrument of kind file_audit."
        )
    instrument_current_version(instrument)  # refuses an instrument with no version yet


def sample_started(*, sample: Sample) -> bool:
    """Whether an audit of the sample has started: an assignment with a response (draft or
    submitted), or an immediate concern raised on one of its case files."""
    return (
        Assignment.objects.filter(case__sample=sample, response__isnull=False).exists()
        or ImmediateConcern.objects.filter(case__sample=sample).exists()
    )


def _refuse_if_started(sample: Sample, *, what: str) -> None:
    started = Assignment.objects.filter(case__sample=sample, response__isnull=False).count()
    concerns = ImmediateConcern.objects.filter(case__sample=sample).count()
    if not started and not concerns:
        return
    reasons = []
    if started:
        reasons.append(
            f"{started} audit of it has answers"
            if started == 1
            else f"{started} audits of it have answers"
        )
    if concerns:
        reasons.append(
            f"{concerns} immediate concern{'s' if concerns != 1 else ''} "
            f"{'were' if concerns != 1 else 'was'} raised on its case files"
        )
    raise ApplicationError(
        f"{what}: the audit of this sample has started ({' and '.join(reasons)}). A sample is "
        "fixed once its audits start, so that the audits match the draw that was recorded."
    )


# ---------------------------------------------------------------------------------------------
# Services.


def _same_draw(current: Sample, case_list: CaseList, rule: Rule, seed: int) -> bool:
    """Was the sample drawn from this very file (checksum) with these options?"""
    return (
        current.file_sha256 == case_list.file_sha256
        and current.by == rule.by
        and current.per == rule.per
        and current.seed == seed
        and current.filters == rule.filters
    )


def _sample_record(
    sample: Sample,
    *,
    case_list: CaseList,
    draw: Draw,
    file_name: str,
    instrument: Instrument | None,
    user: AnyUser | None,
) -> None:
    """Write down everything needed to repeat the draw (and the audit tool, when given)."""
    if instrument is not None:
        sample.instrument = instrument
    sample.file_name = (file_name or "case list")[:255]
    sample.file_sha256 = case_list.file_sha256
    sample.columns = list(case_list.columns)
    sample.filters = dict(draw.rule.filters)
    sample.by = draw.rule.by
    sample.per = draw.rule.per
    sample.seed = draw.seed
    sample.population = draw.population
    sample.drawn_by = user if isinstance(user, User) else None
    sample.drawn_at = timezone.now()
    sample.save()


def _cases_create(sample: Sample, *, scrutiny: Scrutiny, case_list: CaseList, draw: Draw) -> int:
    """The drawn case files, in order, each in the partnership area its `area` column (else
    its group) names; returns how many."""
    areas = _area_matcher(scrutiny)
    area_column = case_list.column("area")
    cases = []
    for position, drawn in enumerate(draw.cases, start=1):
        data = dict(drawn.case.data)
        area_value = data.get(area_column, "") if area_column else ""
        area_id = areas.get(area_value.strip().casefold()) or areas.get(drawn.group.casefold())
        cases.append(
            CaseFile(
                sample=sample,
                position=position,
                case_ref=drawn.case_ref,
                group=drawn.group,
                area_id=area_id,
                data=data,
            )
        )
    CaseFile.objects.bulk_create(cases)
    return len(cases)


@transaction.atomic
def sample_draw(
    *,
    scrutiny: Scrutiny,
    file_name: str,
    content: bytes,
    by: str,
    per: int,
    seed: int,
    filters: Mapping[str, Iterable[str] | str] | None,
    instrument: Instrument | None = None,
    user: AnyUser | None,
) -> SampleDrawResult:
    """Draw the scrutiny's sample from a case list (WORKBOOKS.md §4) and record it.

    `by` and the filters' columns are matched to the list's headers case-insensitively; filter
    values exactly. Drawn again with the same file (checksum) and options it changes nothing
    (except to set the audit tool when one is given). A different draw replaces the sample,
    with any assignments of it, only while none of its audits has started; then it is refused.
    Each case file's area is the partnership area whose code or name (case-insensitive) its
    `area` column gives, or else its value of the `by` column; none when neither matches.
    """
    case_list = case_list_read(content=content, file_name=file_name)
    rule = _rule_resolve(case_list, by=by, per=per, filters=filters)
    draw = sample_cases(case_list.cases, rule=rule, seed=seed)
    _groups_check(draw)
    if instrument is not None:
        _instrument_check(scrutiny, instrument)

    # One draw of a scrutiny at a time: lock the scrutiny's row while we look and write.
    list(Scrutiny.objects.select_for_update().filter(pk=scrutiny.pk).values_list("pk"))
    current = Sample.objects.filter(scrutiny=scrutiny).first()
    if current is not None and _same_draw(current, case_list, rule, seed):
        changed = False
        if instrument is not None and instrument.pk != current.instrument_id:
            changed = sample_set_instrument(sample=current, instrument=instrument, user=user)
        return SampleDrawResult(sample=current, drawn=False, instrument_changed=changed)

    removed = 0
    if current is not None:
        _refuse_if_started(current, what="The sample cannot be drawn again")
        removed = Assignment.objects.filter(case__sample=current).count()
        current.cases.all().delete()
        sample = current
    else:
        sample = Sample(scrutiny=scrutiny)
    before = sample.instrument_id
    _sample_record(
        sample,
        case_list=case_list,
        draw=draw,
        file_name=file_name,
        instrument=instrument,
        user=user,
    )
    drawn = _cases_create(sample, scrutiny=scrutiny, case_list=case_list, draw=draw)
    audit_event_record(
        scrutiny=scrutiny,
        action=AuditEvent.Action.SAMPLED,
        user=user,
        detail=_draw_detail(sample, drawn=drawn, replaced=current is not None),
    )
    return SampleDrawResult(
        sample=sample,
        drawn=True,
        replaced=current is not None,
        assignments_removed=removed,
        instrument_changed=instrument is not None and before != instrument.pk,
    )


def _draw_detail(sample: Sample, *, drawn: int, replaced: bool) -> str:
    filters = "; ".join(f"{c} in ({', '.join(v)})" for c, v in sample.filters.items()) or "none"
    return (
        f"{drawn} case file{'s' if drawn != 1 else ''} drawn from {sample.population} in "
        f"{sample.file_name} (SHA-256 {sample.file_sha256}): {sample.per} per {sample.by}, "
        f"seed {sample.seed}, filters {filters}."
        + (" It replaces the earlier draw." if replaced else "")
    )


@transaction.atomic
def sample_set_instrument(*, sample: Sample, instrument: Instrument, user: AnyUser | None) -> bool:
    """Choose the audit tool the agencies complete for each case file: an instrument of kind
    file_audit of the sample's scrutiny. It cannot change once an audit has started (the
    answers belong to the tool they were given in). True when it changed."""
    scrutiny = sample.scrutiny
    _instrument_check(scrutiny, instrument)
    locked = Sample.objects.select_for_update().get(pk=sample.pk)
    if locked.instrument_id == instrument.pk:
        return False
    if locked.instrument_id is not None:
        _refuse_if_started(locked, what="The audit tool cannot be changed")
    locked.instrument = instrument
    locked.save(update_fields=["instrument"])
    sample.instrument = instrument
    audit_event_record(
        scrutiny=scrutiny,
        action=AuditEvent.Action.CHANGED,
        user=user,
        detail=f"Audit tool of the sample set to {instrument.code} {instrument.title}.",
    )
    return True
