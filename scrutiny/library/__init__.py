"""The template library: instruments shipped with the product, ready to add to a scrutiny.

Each template is defined here in Python (its module says what it is for; docs/templates.md says
more) and shipped as an instrument workbook in `workbooks/`, written from the definition by
`manage.py build_library`. A business unit can download a workbook, change it in Excel and import
it with `import_instrument`, or add a template as it is with `manage.py library import`.

Factor links follow the success factors SF1 to SF6 of the Learning from Practice scrutiny, which
the library ships too, as a starter scrutiny workbook (`learning_from_practice`). For a scrutiny
with other factors, import without them (`--no-factors`) and link the questions to that
scrutiny's factors in the instrument builder or the workbook.

The workbooks are deterministic: building them twice gives the same bytes (fixed document dates
and zip timestamps), so they only change in git when a definition does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from scrutiny.errors import ApplicationError
from scrutiny.instruments import InstrumentDefinition, SaveResult, instrument_save
from scrutiny.library import (
    board_questionnaire,
    case_file_audit,
    early_help_audit,
    family_feedback,
    learning_from_practice,
    practitioner_survey,
    section_11,
    young_people,
    young_scrutineers,
)
from scrutiny.models import Scrutiny
from scrutiny.workbooks import instrument_to_workbook

WORKBOOKS_DIR = Path(__file__).resolve().parent / "workbooks"
# The starter scrutiny with the success factors SF1 to SF6 the templates link to.
SCRUTINY_WORKBOOK = "learning-from-practice-scrutiny.xlsx"

# Every workbook says it was written at this moment, whenever it is built.
_BUILT_AT = dt.datetime(2026, 1, 1, 0, 0, 0)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True)
class Template:
    slug: str
    definition: InstrumentDefinition
    summary: str

    @property
    def filename(self) -> str:
        return f"{self.slug}.xlsx"

    @property
    def path(self) -> Path:
        return WORKBOOKS_DIR / self.filename


TEMPLATES: tuple[Template, ...] = (
    Template(
        "case-file-audit",
        case_file_audit.DEFINITION,
        "Multi-agency case-file audit: seven sections graded Outstanding to Inadequate.",
    ),
    Template(
        "early-help-audit",
        early_help_audit.DEFINITION,
        "Early Help audit: seven areas, each met, partially met or not met.",
    ),
    Template(
        "practitioner-survey",
        practitioner_survey.DEFINITION,
        "Practitioner survey on learning from practice reviews (anonymous).",
    ),
    Template(
        "board-questionnaire",
        board_questionnaire.DEFINITION,
        "Board member questionnaire: evidence that learning makes a difference.",
    ),
    Template(
        "family-feedback",
        family_feedback.DEFINITION,
        "Family feedback form in plain words, for children, parents and helpers.",
    ),
    Template(
        "section-11",
        section_11.DEFINITION,
        "Section 11 agency self-assessment: ten standards scored 0 to 3 with evidence.",
    ),
    Template(
        "young-people-survey",
        young_people.DEFINITION_11_17,
        "Children and young people's survey, 11 to 17: their own views on a scale of five faces.",
    ),
    Template(
        "children-survey",
        young_people.DEFINITION_8_11,
        "Children's survey, 8 to 11: fewer, shorter questions on the same scale of five faces.",
    ),
    Template(
        "young-scrutineers-feedback",
        young_scrutineers.DEFINITION,
        "Young scrutineers' impact feedback after a scrutiny (unscored): were they heard, "
        "what changed.",
    ),
)


def template_get(slug: str) -> Template:
    """A shipped template by its slug; an ApplicationError listing the slugs there are."""
    for template in TEMPLATES:
        if template.slug == slug:
            return template
    raise ApplicationError(
        f"There is no template {slug!r} in the library. Templates: "
        + ", ".join(t.slug for t in TEMPLATES)
        + "."
    )


def definition_without_factors(definition: InstrumentDefinition) -> InstrumentDefinition:
    """The same instrument with no success factor links, for a scrutiny with other factors."""
    return replace(
        definition, questions=tuple(replace(q, factors=()) for q in definition.questions)
    )


def template_import(
    *, scrutiny: Scrutiny, slug: str, code: str = "", with_factors: bool = True
) -> SaveResult:
    """Add a shipped template to a scrutiny (or update it: see `instrument_save`).

    `code` gives the instrument another code than the template's (to add a template twice).
    A template's factor codes that the scrutiny does not have are refused with advice, rather
    than reported question by question.
    """
    definition = template_get(slug).definition
    if code:
        definition = replace(definition, code=code)
    if with_factors:
        factor_codes = set(scrutiny.factors.values_list("code", flat=True))
        missing = sorted(
            {ref.code for q in definition.questions for ref in q.factors} - factor_codes
        )
        if missing:
            several = len(missing) > 1
            raise ApplicationError(
                f"Template {slug} links questions to success factor{'s' if several else ''} "
                f"{', '.join(missing)}, which scrutiny {scrutiny.slug} does not have. Add "
                f"{'them' if several else 'it'} to the scrutiny, or import the template "
                "without factor links and link its questions to the scrutiny's own factors."
            )
    else:
        definition = definition_without_factors(definition)
    return instrument_save(scrutiny=scrutiny, definition=definition)


# ---------------------------------------------------------------------------------------------
# The shipped workbooks.


def workbook_bytes(workbook: Workbook) -> bytes:
    """A workbook as .xlsx bytes that are the same every time it is built."""
    workbook.properties.creator = "Safeguarding scrutiny template library"
    workbook.properties.created = _BUILT_AT
    written = io.BytesIO()
    workbook.save(written)  # openpyxl stamps the time of saving: replaced below
    stamp = _BUILT_AT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def template_workbook_bytes(template: Template) -> bytes:
    """The template's instrument workbook (WORKBOOKS.md §2)."""
    return workbook_bytes(instrument_to_workbook(template.definition))


def workbook_contents(data: bytes) -> dict[str, bytes]:
    """What a workbook holds, file by file: compare this rather than the compressed bytes,
    which may differ between builds of zlib."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@dataclass(frozen=True)
class BuiltWorkbook:
    path: Path
    changed: bool


def library_workbooks() -> list[tuple[str, Callable[[], bytes]]]:
    """Every shipped workbook: file name, and how to write it."""
    files: list[tuple[str, Callable[[], bytes]]] = [
        (template.filename, partial(template_workbook_bytes, template)) for template in TEMPLATES
    ]
    files.append(
        (SCRUTINY_WORKBOOK, lambda: workbook_bytes(learning_from_practice.scrutiny_workbook()))
    )
    return files


def library_build(*, directory: Path = WORKBOOKS_DIR, write: bool = True) -> list[BuiltWorkbook]:
    """Write every shipped workbook into `directory`, leaving alone the files whose content is
    already the same. With write False, only say which would change."""
    results: list[BuiltWorkbook] = []
    if write:
        directory.mkdir(parents=True, exist_ok=True)
    for filename, build in library_workbooks():
        path = directory / filename
        data = build()
        changed = not path.exists() or workbook_contents(path.read_bytes()) != workbook_contents(
            data
        )
        if changed and write:
            path.write_bytes(data)
        results.append(BuiltWorkbook(path, changed))
    return results
