"""Reading a responses file row by row: each row checked and handed to
`evidence.ResponseWriter` (or, once there is an error anywhere, only checked).

Which column holds what is `scrutiny.workbooks.returns_columns.columns_plan`; `RowImporter.row`
reads one row: its details (agency, area, role, case_ref, ref, submitted) and its answers
(option cells by value or label), every error noted with its row and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from scrutiny.evidence import ResponseDetails, ResponseWriter, answers_clean
from scrutiny.instruments import CompiledQuestion, CompiledVersion
from scrutiny.models import Response
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import FormulaCell, cell_text
from scrutiny.workbooks.response_sheet import (
    CASE_REF_LENGTH,
    REF_LENGTH,
    SYNTHETIC_REF,
    answer_unreadable,
    answer_value,
    row_identity,
    submitted_from,
    synthetic_ref,
)
from scrutiny.workbooks.returns_columns import Columns, listing
from scrutiny.workbooks.returns_files import Source


@dataclass
class Lookups:
    agency: dict[str, int]
    area: dict[str, int]
    role: dict[str, int]

    def find(self, kind: str, code: str) -> int | None:
        table: dict[str, int] = getattr(self, kind)
        if code in table:
            return table[code]
        folded = [pk for known, pk in table.items() if known.casefold() == code.casefold()]
        return folded[0] if len(folded) == 1 else None


class RowImporter:
    def __init__(
        self,
        *,
        compiled: CompiledVersion,
        sheet: Source,
        columns: Columns,
        lookups: Lookups,
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
        # The answer cells of every row: (position, question, option for an option column).
        self.cells: list[tuple[int, CompiledQuestion, str | None]] = [
            (i, q, None) for i, q in columns.questions.items()
        ] + [(i, q, value) for i, (q, value) in columns.options.items()]

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
        match = SYNTHETIC_REF.match(ref)
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
        answers, unread, answers_ok = self.answers(number, values, identity)
        ok = ok and answers_ok

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

    def answers(
        self, number: int, values: list[Any], identity: dict[str, Any]
    ) -> tuple[dict[str, Any], set[str], bool]:
        """The row's raw answers by code, the codes whose cell held a formula or cannot be read
        as an answer at all (reported), and whether none did. Option cells are read by value or
        label; a SurveyMonkey option column adds its option when its cell is not empty."""
        columns, ok = self.columns, True
        answers: dict[str, Any] = {}
        unread: set[str] = set()
        chosen: dict[str, list[str]] = {}
        for index, question, option in self.cells:
            value = values[index] if index < len(values) else None
            if isinstance(value, FormulaCell):
                self.error(number, self.sheet.column_at(index), value.message())
                unread.add(question.code)
                ok = False
            elif value is None:
                continue
            elif option is not None:
                chosen.setdefault(question.code, []).append(option)
            elif (unreadable := answer_unreadable(question, value)) is not None:
                self.error(number, self.sheet.column_at(index), unreadable)
                unread.add(question.code)
                ok = False
            else:
                identity[question.code] = value
                matcher = columns.choices.get(question.code)
                answers[question.code] = (
                    matcher.answer(value) if matcher else answer_value(question, value)
                )
        for code, options in chosen.items():
            joined = "; ".join(options)
            identity[code] = joined
            answers[code] = "; ".join(filter(None, (answers.get(code), joined)))
        return answers, unread, ok

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
                        f"{listing(sorted(known)) or '(none yet: add them to the partnership)'}",
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
            digest = row_identity(identity)
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
            submitted = submitted_from(raw["submitted"])
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
