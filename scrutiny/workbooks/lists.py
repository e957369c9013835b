"""Case lists and invitation lists (WORKBOOKS.md §4), from an .xlsx workbook or a CSV file.

- A **case list** has a `case_ref` column, unique in the file, and any other columns the
  performance team likes; every value is kept as the text it shows (a workbook's numbers and
  dates as a person writes them, so that a CSV and a workbook of the same rows read the same).
- An **invitation list** has columns `email` (required, a valid address), `agency` (an agency
  code of the partnership, required), `role` (a practitioner role code, optional) and
  `language` (optional: `en`/`English` or `cy`/`Cymraeg`; empty for the partnership's default).

A file is read as a table (`scrutiny.workbooks.list_tables`): a workbook's first sheet, or a
CSV in UTF-8 with a header row. Header names are case-insensitive. Reading is all-or-nothing: any
error raises one ApplicationError listing every error (the first fifty) with its row and column.

Both readers also give the SHA-256 of the file's bytes, which a sample records so that a draw
can be repeated from the very same file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from scrutiny.errors import ApplicationError
from scrutiny.models import Agency, Partnership, PractitionerRole
from scrutiny.workbooks.list_tables import Table, problems_raise, table_open, text_at
from scrutiny.workbooks.opening import workbook_max_bytes
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import normal_name

CASE_REF_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
# An invitation list's `language` cells, folded to lower case, and the code each means.
LANGUAGE_WORDS = {
    **dict.fromkeys(("en", "english", "saesneg"), "en"),
    **dict.fromkeys(("cy", "cymraeg", "welsh"), "cy"),
}


def list_sha256(content: bytes) -> str:
    """The SHA-256 of a file's bytes, as 64 lower-case hex digits."""
    return hashlib.sha256(content).hexdigest()


def list_file_content(path: str | Path) -> bytes:
    """A list file's bytes from disk (for commands), refused when missing or too big."""
    path = Path(path)
    if not path.is_file():
        raise ApplicationError(f"There is no file {path}: check the name and the folder.")
    limit = workbook_max_bytes()
    size = path.stat().st_size
    if size > limit:
        raise ApplicationError(
            f"The file is {size / (1024 * 1024):.1f} MB; the largest list this installation "
            f"accepts is {limit / (1024 * 1024):.1f} MB (setting WORKBOOK_MAX_BYTES). Remove the "
            "columns you do not need, or split the list."
        )
    return path.read_bytes()


def list_upload_content(file: Any) -> bytes:
    """An uploaded list file's bytes (pages, the API), refused before reading when too big."""
    limit = workbook_max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ApplicationError(
            f"The file is {size / (1024 * 1024):.1f} MB; the largest list this installation "
            f"accepts is {limit / (1024 * 1024):.1f} MB (setting WORKBOOK_MAX_BYTES). Remove the "
            "columns you do not need, or split the list."
        )
    return bytes(file.read(limit + 1))


# ---------------------------------------------------------------------------------------------
# What the readers return.


@dataclass(frozen=True)
class Case:
    """One row of a case list."""

    row: int  # as a spreadsheet numbers it: the header is row 1
    case_ref: str
    data: dict[str, str]  # the other columns, by their header as written → the text given


@dataclass(frozen=True)
class CaseList:
    file_sha256: str
    columns: tuple[str, ...]  # every header as written, in the file's order
    case_ref_column: str  # the header of the case_ref column as written
    cases: tuple[Case, ...]

    @property
    def other_columns(self) -> tuple[str, ...]:
        """The columns besides case_ref, in order: those a draw may filter or stratify by."""
        return tuple(c for c in self.columns if c != self.case_ref_column)

    def column(self, name: str) -> str | None:
        """The header as written of the column called `name` (case-insensitive; spaces and
        hyphens as underscores), or None when the list has no such column besides case_ref."""
        wanted = normal_name(name)
        for column in self.other_columns:
            if normal_name(column) == wanted:
                return column
        return None

    def values(self, column: str) -> dict[str, int]:
        """The distinct values of a column, in the order they first appear, with their counts."""
        counts: dict[str, int] = {}
        for case in self.cases:
            value = case.data.get(column, "")
            counts[value] = counts.get(value, 0) + 1
        return counts


@dataclass(frozen=True)
class Invitee:
    """One row of an invitation list."""

    row: int
    email: str  # lower-case, as the platform stores addresses
    agency_id: int
    agency_code: str
    role_id: int | None = None
    role_code: str = ""
    language: str = ""  # en, cy, or empty for the partnership's default


@dataclass(frozen=True)
class InvitationList:
    file_sha256: str
    invitees: tuple[Invitee, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# Case lists.


def case_list_read(*, content: bytes, file_name: str = "") -> CaseList:
    """Read a case list (.xlsx or .csv, told by the name or else by the content), all or
    nothing. Raises ApplicationError naming the row and column of every error."""
    problems = Problems()
    with table_open(content, file_name, problems=problems, required=("case_ref",)) as (
        table,
        rows,
    ):
        case_list = _cases_read(table, rows, problems, sha256=list_sha256(content))
    problems_raise(problems, what="case list", outcome="no sample was drawn")
    assert case_list is not None
    return case_list


def _cases_read(
    table: Table | None,
    rows: Iterator[tuple[int, list[Any]]],
    problems: Problems,
    *,
    sha256: str,
) -> CaseList | None:
    if table is None:
        return None
    ref_index = table.columns["case_ref"]
    ref_column = table.column("case_ref")
    named = [(i, h) for i, h in enumerate(table.headers) if normal_name(h)]
    seen: dict[str, int] = {}
    cases: list[Case] = []
    for number, values in rows:
        ok = True
        data: dict[str, str] = {}
        for index, header in named:
            if index == ref_index:
                continue
            text = text_at(table, values, index, number, problems)
            if text is None:
                ok = False
            else:
                data[header] = text
        case_ref = text_at(table, values, ref_index, number, problems)
        if case_ref is None:
            continue
        error = ""
        if not case_ref:
            error = (
                "the case reference is empty; give every row its pseudonymised case reference, "
                "or delete the row"
            )
        elif len(case_ref) > CASE_REF_MAX_LENGTH:
            error = f"the case reference is longer than {CASE_REF_MAX_LENGTH} characters"
        elif case_ref in seen:
            error = (
                f"the case reference {case_ref!r} is also in row {seen[case_ref]}; each case "
                "file may appear once"
            )
        if error:
            problems.add(table.sheet, number, ref_column, error)
            continue
        seen[case_ref] = number
        if ok:
            cases.append(Case(row=number, case_ref=case_ref, data=data))
    if not seen and not problems:
        problems.add(table.sheet, None, "", "the list has no case files under its header")
    return CaseList(
        file_sha256=sha256,
        columns=tuple(h for _, h in named),
        case_ref_column=table.headers[ref_index],
        cases=tuple(cases),
    )


# ---------------------------------------------------------------------------------------------
# Invitation lists.


def _code_find(table: dict[str, tuple[int, str]], code: str) -> tuple[int, str] | None:
    if code in table:
        return table[code]
    folded = [found for known, found in table.items() if known.casefold() == code.casefold()]
    return folded[0] if len(folded) == 1 else None


def _listing(codes: list[str], limit: int = 20) -> str:
    if not codes:
        return "(none yet: add them to the partnership)"
    text = ", ".join(codes[:limit])
    return text + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def invitation_list_read(
    *, content: bytes, file_name: str = "", partnership: Partnership
) -> InvitationList:
    """Read an invitation list (.xlsx or .csv), all or nothing: every address valid and given
    once, every agency (and role, when given) a code of the partnership. Codes match exactly,
    or case-insensitively when that is unambiguous."""
    agencies = {
        code: (pk, code)
        for pk, code in Agency.objects.filter(partnership=partnership).values_list("pk", "code")
    }
    roles = {
        code: (pk, code)
        for pk, code in PractitionerRole.objects.filter(partnership=partnership).values_list(
            "pk", "code"
        )
    }
    problems = Problems()
    with table_open(content, file_name, problems=problems, required=("email", "agency")) as (
        table,
        rows,
    ):
        invitees = _invitees_read(table, rows, problems, agencies=agencies, roles=roles)
    problems_raise(problems, what="invitation list", outcome="no one was invited")
    return InvitationList(file_sha256=list_sha256(content), invitees=tuple(invitees))


def _invitees_read(
    table: Table | None,
    rows: Iterator[tuple[int, list[Any]]],
    problems: Problems,
    *,
    agencies: dict[str, tuple[int, str]],
    roles: dict[str, tuple[int, str]],
) -> list[Invitee]:
    if table is None:
        return []
    role_index = table.columns.get("role")
    language_index = table.columns.get("language")
    seen: dict[str, int] = {}
    invitees: list[Invitee] = []
    for number, values in rows:
        email = _email_read(table, values, number, problems, seen)
        agency = _agency_read(table, values, number, problems, agencies)
        role: tuple[int, str] | None = None
        role_ok = True
        if role_index is not None:
            role_code = text_at(table, values, role_index, number, problems)
            role_ok = role_code is not None
            if role_code:
                role = _code_find(roles, role_code)
                if role is None:
                    problems.add(
                        table.sheet,
                        number,
                        table.column_at(role_index),
                        f"{role_code!r} is not a role code of the partnership; use one of: "
                        f"{_listing(sorted(roles))}, or leave the cell empty",
                    )
                    role_ok = False
        language = _language_read(table, values, number, problems, language_index)
        if email and agency is not None and role_ok and language is not None:
            invitees.append(
                Invitee(
                    row=number,
                    email=email,
                    agency_id=agency[0],
                    agency_code=agency[1],
                    role_id=role[0] if role else None,
                    role_code=role[1] if role else "",
                    language=language,
                )
            )
    if not seen and not problems:
        problems.add(table.sheet, None, "", "the list has no one to invite under its header")
    return invitees


def _email_read(
    table: Table, values: list[Any], number: int, problems: Problems, seen: dict[str, int]
) -> str | None:
    email = text_at(table, values, table.columns["email"], number, problems)
    if email is None:
        return None
    email = email.lower()
    error = ""
    if not email:
        error = "the email address is empty"
    elif len(email) > EMAIL_MAX_LENGTH or not _valid_email(email):
        error = f"{email!r} is not an email address; write it as name@example.org"
    elif email in seen:
        error = f"{email} is also in row {seen[email]}; give each person once"
    if error:
        problems.add(table.sheet, number, table.column("email"), error)
        return None
    seen[email] = number
    return email


def _agency_read(
    table: Table,
    values: list[Any],
    number: int,
    problems: Problems,
    agencies: dict[str, tuple[int, str]],
) -> tuple[int, str] | None:
    code = text_at(table, values, table.columns["agency"], number, problems)
    if code is None:
        return None
    agency = _code_find(agencies, code) if code else None
    if agency is None:
        problems.add(
            table.sheet,
            number,
            table.column("agency"),
            (
                f"{code!r} is not an agency code of the partnership"
                if code
                else "the agency is empty"
            )
            + f"; use one of: {_listing(sorted(agencies))}",
        )
    return agency


def _language_read(
    table: Table, values: list[Any], number: int, problems: Problems, index: int | None
) -> str | None:
    """The row's language code ("" when the list has no such column or the cell is empty)."""
    if index is None:
        return ""
    text = text_at(table, values, index, number, problems)
    if text is None:
        return None
    language = LANGUAGE_WORDS.get(text.strip().casefold()) if text.strip() else ""
    if language is None:
        problems.add(
            table.sheet,
            number,
            table.column_at(index),
            f"{text!r} is not a language; write en or English, cy or Cymraeg, or leave the "
            "cell empty for the partnership's default",
        )
    return language


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True
