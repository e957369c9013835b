"""The responses workbook (WORKBOOKS.md §3): one row a submitted response.

Rows are read as a stream and written through `evidence.ResponseWriter` in batches, inside one
transaction: any error anywhere rolls everything back, and every error found is reported (the
first fifty listed) with its sheet, row and column.

Identity, so that importing the same workbook twice changes nothing:

- a row with a `ref` is that response: a ref imported before updates it (or, unchanged, is
  skipped);
- a row without a ref gets one from what it holds: `row-<16 hex digits of the SHA-256 of its
  values>-<k>`, where k counts identical rows (1 for the first, 2 for its twin, ...). The same
  workbook gives the same refs, so it is recognised; a corrected row is a new row, so give rows
  your own refs when you will correct and re-import them;
- the export writes each response's ref, and for a response entered on the platform (which has
  none) `response-<id>-<check>`, where the check is a keyed hash of the installation's secret,
  so that re-importing an export recognises those responses and a workbook from another
  installation cannot touch them.

A row without `submitted` keeps the date of the response it updates, or takes the time of the
import, to the second, so that an export of it imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from openpyxl.workbook.workbook import Workbook

from scrutiny.evidence import (
    ResponseDetails,
    ResponseWriter,
    answer_values_by_response,
    answers_clean,
)
from scrutiny.instruments import (
    CompiledQuestion,
    CompiledVersion,
    instrument_current_version,
    version_compile,
)
from scrutiny.models import (
    Agency,
    Area,
    Instrument,
    InstrumentVersion,
    PractitionerRole,
    Question,
    Response,
    User,
)
from scrutiny.workbooks.reading import (
    FormulaCell,
    Problems,
    Sheet,
    WorkbookFile,
    cell_text,
    date_from,
    normal_name,
    number_from,
    sheet_read,
    workbook_open,
)
from scrutiny.workbooks.writing import number_cell_value, sheet_write

RESERVED = ("ref", "agency", "area", "role", "case_ref", "submitted")
REF_LENGTH = Response._meta.get_field("ref").max_length or 100
CASE_REF_LENGTH = Response._meta.get_field("case_ref").max_length or 100
EXPORT_CHUNK = 1000
_SYNTHETIC_REF = re.compile(r"^response-(?P<pk>\d+)-(?P<check>[0-9a-f]{12})$")


def _london() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def synthetic_ref(response_pk: int, instrument_pk: int) -> str:
    """The ref an export gives a response that has none (see the module's docstring)."""
    check = salted_hmac(
        "scrutiny.workbooks.responses", f"{instrument_pk}:{response_pk}"
    ).hexdigest()[:12]
    return f"response-{response_pk}-{check}"


# ---------------------------------------------------------------------------------------------
# Reading one row.


@dataclass
class _Columns:
    """Which column holds what: reserved names and question codes, by position."""

    reserved: dict[str, int]
    questions: dict[int, CompiledQuestion]  # position → question
    position_of: dict[str, int]  # question code → position


def _columns_plan(sheet: Sheet, compiled: CompiledVersion, problems: Problems) -> _Columns:
    by_exact = compiled.questions
    by_folded: dict[str, list[CompiledQuestion]] = {}
    for question in compiled.questions.values():
        by_folded.setdefault(question.code.casefold(), []).append(question)
    reserved: dict[str, int] = {}
    questions: dict[int, CompiledQuestion] = {}
    position_of: dict[str, int] = {}
    for index, header in enumerate(sheet.headers):
        header = header.strip()
        if not header:
            continue
        name = normal_name(header)
        if name in RESERVED and name not in reserved:
            reserved[name] = index
            continue
        question = by_exact.get(header)
        if question is None and len(by_folded.get(header.casefold(), [])) == 1:
            question = by_folded[header.casefold()][0]
        if question is None:
            problems.add(
                sheet.name,
                1,
                sheet.column_at(index),
                f"{header!r} is not a question code of {compiled.instrument_code}, nor one of "
                f"the columns {', '.join(RESERVED)}. Name the column by a question code ("
                f"{_listing(compiled.questions)}), or delete it",
            )
            continue
        if question.code in position_of:
            continue  # sheet_read has reported the repeated header
        questions[index] = question
        position_of[question.code] = index
    missing = [
        q
        for q in compiled.questions.values()
        if q.required and q.show_if is None and q.code not in position_of
    ]
    for question in missing:
        problems.add(
            sheet.name,
            1,
            "",
            f"there is no column for {question.code}, which must be answered "
            f"(“{question.text}”): add a column headed {question.code}",
        )
    return _Columns(reserved, questions, position_of)


def _listing(items: Any, limit: int = 20) -> str:
    names = list(items)
    text = ", ".join(str(n) for n in names[:limit])
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _answer_value(question: CompiledQuestion, value: Any) -> Any:
    """A cell as the raw answer evidence.answers_clean reads; numbers Excel made of option
    values and dates made of text are put back."""
    if value is None:
        return None
    if question.type == Question.Type.DATE:
        if isinstance(value, dt.datetime | dt.date):
            return value
        date = date_from(value)
        return date if date is not None else cell_text(value)
    if question.type == Question.Type.NUMBER:
        number = number_from(value)
        # One written form for one number, so a re-import finds the same fingerprint.
        return cell_text(number) if number is not None else cell_text(value)
    return cell_text(value)


def _submitted_from(value: Any) -> dt.datetime | None:
    """A `submitted` cell as an aware datetime: a date is midnight in Europe/London."""
    london = _london()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=london) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0), tzinfo=london)
    if isinstance(value, str):
        date = date_from(value)
        if date is not None:
            return dt.datetime.combine(date, dt.time(0), tzinfo=london)
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return moment.replace(tzinfo=london) if moment.tzinfo is None else moment
    return None


def _row_identity(cells: dict[str, Any]) -> str:
    """What a row without a ref holds, as 16 hex digits: the same values give the same digits
    (the number 4 and the text "4" alike)."""
    content = json.dumps(
        sorted((name, cell_text(value)) for name, value in cells.items()), ensure_ascii=False
    )
    return hashlib.sha256(content.encode()).hexdigest()[:16]


@dataclass
class _Lookups:
    agency: dict[str, int]
    area: dict[str, int]
    role: dict[str, int]

    def find(self, kind: str, code: str) -> int | None:
        table: dict[str, int] = getattr(self, kind)
        if code in table:
            return table[code]
        folded = [pk for known, pk in table.items() if known.casefold() == code.casefold()]
        return folded[0] if len(folded) == 1 else None


# ---------------------------------------------------------------------------------------------
# Import.


@transaction.atomic
def responses_import(
    *,
    instrument: Instrument,
    file: WorkbookFile,
    user: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a responses workbook (WORKBOOKS.md §3) as submitted responses to the instrument's
    current version, all or nothing.

    `progress`, when given, is called with the per cent of rows read (0 to 100) as the import
    goes. The number of queries grows with the rows only by ResponseWriter's batches.
    """
    compiled = version_compile(instrument_current_version(instrument))
    partnership_id = (
        Instrument.objects.filter(pk=instrument.pk).values_list("scrutiny__partnership", flat=True)
    ).get()
    lookups = _Lookups(
        agency=dict(Agency.objects.filter(partnership_id=partnership_id).values_list("code", "pk")),
        area=dict(Area.objects.filter(partnership_id=partnership_id).values_list("code", "pk")),
        role=dict(
            PractitionerRole.objects.filter(partnership_id=partnership_id).values_list("code", "pk")
        ),
    )
    problems = Problems()
    with workbook_open(file) as workbook:
        if not workbook.worksheets:
            problems.add("1", None, "", "the workbook has no sheet")
            problems.raise_if_any("The responses workbook")
        worksheet = workbook.worksheets[0]
        sheet = sheet_read(worksheet, name=worksheet.title, problems=problems)
        if sheet is None:
            problems.raise_if_any("The responses workbook")
            raise AssertionError("unreachable")  # pragma: no cover
        columns = _columns_plan(sheet, compiled, problems)
        problems.raise_if_any("The responses workbook")
        writer = ResponseWriter(compiled=compiled, channel=Response.Channel.WORKBOOK, user=user)
        importer = _RowImporter(
            compiled=compiled,
            sheet=sheet,
            columns=columns,
            lookups=lookups,
            writer=writer,
            problems=problems,
        )
        for number, values in _with_progress(sheet, progress):
            importer.row(number, values)
    problems.raise_if_any("The responses workbook")
    writer.flush()
    if progress is not None:
        progress(100)
    return ImportResult(writer.created, writer.updated, writer.unchanged)


def _with_progress(
    sheet: Sheet, progress: Callable[[int], None] | None
) -> Iterator[tuple[int, list[Any]]]:
    total = sheet.declared_rows or 0
    reported = -1
    for number, values in sheet.rows():
        if progress is not None and total > 1:
            percent = min(99, number * 100 // total)
            if percent > reported:
                reported = percent
                progress(percent)
        yield number, values


class _RowImporter:
    def __init__(
        self,
        *,
        compiled: CompiledVersion,
        sheet: Sheet,
        columns: _Columns,
        lookups: _Lookups,
        writer: ResponseWriter,
        problems: Problems,
    ) -> None:
        self.compiled = compiled
        self.sheet = sheet
        self.columns = columns
        self.lookups = lookups
        self.writer = writer
        self.problems = problems
        self.twins: dict[str, int] = {}
        self.refs: dict[str, int] = {}  # ref → row that used it
        # One moment for every row without a date, to the second (an export keeps seconds).
        self.now = timezone.now().replace(microsecond=0)
        self._existing: dict[str, dt.datetime | None] | None = None
        self._unreffed: dict[int, tuple[int, str, int, dt.datetime | None]] | None = None

    # Existing responses, read once each and only when a row needs them.
    def existing_submitted(self, ref: str) -> dt.datetime | None:
        if self._existing is None:
            self._existing = dict(
                Response.objects.filter(instrument_id=self.compiled.instrument_id)
                .exclude(ref="")
                .values_list("ref", "submitted_at")
            )
        return self._existing.get(ref)

    def synthetic(self, ref: str) -> tuple[int, str, int, dt.datetime | None] | None:
        """The platform response an exported `response-<id>-<check>` ref stands for."""
        match = _SYNTHETIC_REF.match(ref)
        if match is None or self.writer.knows(ref):
            return None
        pk = int(match.group("pk"))
        if synthetic_ref(pk, self.compiled.instrument_id) != ref:
            return None
        if self._unreffed is None:
            self._unreffed = {
                pk: (pk, fingerprint, version_id, submitted_at)
                for pk, fingerprint, version_id, submitted_at in Response.objects.filter(
                    instrument_id=self.compiled.instrument_id,
                    ref="",
                    status=Response.Status.SUBMITTED,
                ).values_list("pk", "fingerprint", "version_id", "submitted_at")
            }
        return self._unreffed.get(pk)

    def error(self, row: int, column: str, message: str) -> None:
        self.problems.add(self.sheet.name, row, column, message)

    def row(self, number: int, values: list[Any]) -> None:
        sheet, columns = self.sheet, self.columns
        ok = True
        identity: dict[str, Any] = {}  # the row's values by column, for a ref made from them
        raw: dict[str, Any] = {}
        for name, index in columns.reserved.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, FormulaCell):
                self.error(number, sheet.column_at(index), value.message())
                ok = False
                continue
            raw[name] = value
            if name != "ref" and value is not None:
                identity[name] = value
        answers: dict[str, Any] = {}
        unread: set[str] = set()  # codes whose cell held a formula, reported already
        for index, question in columns.questions.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, FormulaCell):
                self.error(number, sheet.column_at(index), value.message())
                unread.add(question.code)
                ok = False
                continue
            if value is not None:
                identity[question.code] = value
                answers[question.code] = _answer_value(question, value)

        details_ok, details = self.details(number, raw, identity)
        if details.ref in self.refs:
            self.error(
                number,
                self.column("ref"),
                f"ref {details.ref!r} is also in row {self.refs[details.ref]}; each response "
                "needs its own ref",
            )
            details_ok = False
        else:
            self.refs[details.ref] = number
        if not (ok and details_ok) or self.problems:
            # Nothing will be written once there is an error: only check the rest.
            self.validate_only(number, answers, unread)
            return
        errors = self.writer.add(values=answers, details=details)
        self.report(number, errors)

    def column(self, name: str) -> str:
        index = self.columns.reserved.get(name)
        return self.sheet.column_at(index) if index is not None else ""

    def details(
        self, number: int, raw: dict[str, Any], identity: dict[str, Any]
    ) -> tuple[bool, ResponseDetails]:
        ok = True
        ids: dict[str, int | None] = {}
        for kind in ("agency", "area", "role"):
            code = cell_text(raw.get(kind))
            ids[kind] = None
            if code:
                ids[kind] = self.lookups.find(kind, code)
                if ids[kind] is None:
                    known: dict[str, int] = getattr(self.lookups, kind)
                    self.error(
                        number,
                        self.column(kind),
                        f"{code!r} is not {'an' if kind in ('agency', 'area') else 'a'} "
                        f"{kind} code of the partnership; use one of: "
                        f"{_listing(sorted(known)) or '(none yet: add them to the partnership)'}",
                    )
                    ok = False
        case_ref = cell_text(raw.get("case_ref"))
        if len(case_ref) > CASE_REF_LENGTH:
            self.error(
                number,
                self.column("case_ref"),
                f"the case_ref is longer than {CASE_REF_LENGTH} characters",
            )
            ok = False
        ref = cell_text(raw.get("ref"))
        if len(ref) > REF_LENGTH:
            self.error(
                number, self.column("ref"), f"the ref is longer than {REF_LENGTH} characters"
            )
            ok = False
        if not ref:
            digest = _row_identity(identity)
            self.twins[digest] = self.twins.get(digest, 0) + 1
            ref = f"row-{digest}-{self.twins[digest]}"
        synthetic = self.synthetic(ref)
        if synthetic is not None:
            # A platform response exported without a ref of its own: the writer updates it in
            # place (or skips it, unchanged) instead of adding a copy.
            pk, fingerprint, version_id, _ = synthetic
            self.writer.recognise(
                ref, response_id=pk, fingerprint=fingerprint, version_id=version_id
            )
        submitted: dt.datetime | None = None
        if raw.get("submitted") is not None:
            submitted = _submitted_from(raw["submitted"])
            if submitted is None:
                self.error(
                    number,
                    self.column("submitted"),
                    f"{cell_text(raw['submitted'])!r} is not a date; write it as YYYY-MM-DD "
                    "(or DD/MM/YYYY)",
                )
                ok = False
        elif synthetic is not None:
            submitted = synthetic[3]
        else:
            submitted = self.existing_submitted(ref) or self.now
        return ok, ResponseDetails(
            agency_id=ids["agency"],
            area_id=ids["area"],
            role_id=ids["role"],
            case_ref=case_ref,
            ref=ref,
            # Fingerprints compare isoformat: always give UTC, as the database gives it back.
            submitted_at=submitted.astimezone(dt.UTC) if submitted else None,
        )

    def validate_only(self, number: int, answers: dict[str, Any], unread: set[str]) -> None:
        _, errors = answers_clean(self.compiled, answers, complete=True)
        self.report(number, {code: e for code, e in errors.items() if code not in unread})

    def report(self, number: int, errors: dict[str, str]) -> None:
        for code, message in errors.items():
            if code == "ref":
                column = self.column("ref")
            elif code in self.columns.position_of:
                column = self.sheet.column_at(self.columns.position_of[code])
            else:
                column = f"(none headed {code})"
            self.error(number, column, message)


# ---------------------------------------------------------------------------------------------
# Export.


def _submitted_cell(moment: dt.datetime | None) -> Any:
    """Local date (midnight), local date and time, or, where Excel would lose something
    (fractions of a second, the repeated hour when clocks go back), ISO text with the offset."""
    if moment is None:
        return None
    local = moment.astimezone(_london())
    naive = local.replace(tzinfo=None)
    if local.microsecond or naive.replace(tzinfo=_london()) != moment:
        return local.isoformat()
    return naive.date() if naive.time() == dt.time(0) else naive


def _answer_cell(question: CompiledQuestion, value: Any) -> Any:
    """A raw value (`answer_values`) as the workbook's cell, as the import reads it back."""
    if value is None:
        return None
    if question.type == Question.Type.MULTIPLE:
        return "; ".join(value)
    if question.type == Question.Type.SINGLE:
        return value or None
    if question.type == Question.Type.NUMBER:
        return number_cell_value(Decimal(value)) if value else None
    if question.type == Question.Type.DATE:
        return dt.date.fromisoformat(value) if value else None
    return value


def responses_to_workbook(
    instrument: Instrument, *, version: InstrumentVersion | None = None
) -> Workbook:
    """The submitted responses to an instrument's current version (or `version`) as a responses
    workbook that imports back unchanged.

    This is raw evidence, free text unredacted, for the business unit's own round trips: a
    caller must allow it only to those who may see every response. The workbook is write-only
    (rows stream to the file): save it once.
    """
    version = version or instrument_current_version(instrument)
    compiled = version_compile(version)
    questions = list(compiled.questions.values())
    partnership_id = (
        Instrument.objects.filter(pk=instrument.pk).values_list("scrutiny__partnership", flat=True)
    ).get()
    codes = {
        "agency": dict(
            Agency.objects.filter(partnership_id=partnership_id).values_list("pk", "code")
        ),
        "area": dict(Area.objects.filter(partnership_id=partnership_id).values_list("pk", "code")),
        "role": dict(
            PractitionerRole.objects.filter(partnership_id=partnership_id).values_list("pk", "code")
        ),
    }

    def rows() -> Iterator[list[Any]]:
        responses = Response.objects.filter(
            version_id=version.pk, status=Response.Status.SUBMITTED
        ).order_by("pk")
        last = 0
        while True:
            chunk = list(
                responses.filter(pk__gt=last).values_list(
                    "pk", "ref", "agency_id", "area_id", "role_id", "case_ref", "submitted_at"
                )[:EXPORT_CHUNK]
            )
            if not chunk:
                return
            last = chunk[-1][0]
            answers = answer_values_by_response(response_ids=[r[0] for r in chunk])
            for pk, ref, agency_id, area_id, role_id, case_ref, submitted_at in chunk:
                given = answers.get(pk, {})
                row: list[Any] = [
                    ref or synthetic_ref(pk, instrument.pk),
                    codes["agency"].get(agency_id),
                    codes["area"].get(area_id),
                    codes["role"].get(role_id),
                    case_ref,
                    _submitted_cell(submitted_at),
                ]
                for question in questions:
                    row.append(_answer_cell(question, given.get(question.code)))
                yield row

    workbook = Workbook(write_only=True)
    sheet_write(
        workbook,
        title="responses",
        header=(*RESERVED, *(q.code for q in questions)),
        rows=rows(),
        widths=(26, 10, 10, 10, 14, 20, *(14 for _ in questions)),
    )
    return workbook
