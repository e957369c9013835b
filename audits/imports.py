"""A sample drawn from a case list through the pages, as a job (scrutiny.imports runs it).

The draw page takes two steps: the case list is uploaded and checked whole (its errors by row on
the form), then kept in the private uploads folder (`case_list_keep`), the session holding only
the kept file's name, the name it was uploaded with and its SHA-256 (`KeptCaseList`): never the
case data, which stays where retention and erasure reach it. The options step reads the kept file
again (`case_list_load`). The draw starts a job (`sample_draw_start`) that checks again that its
starter may still run audits in the scrutiny's partnership, draws with `samples.sample_draw`, and
ends with what was drawn and a link to the sample. A draw refused (the list or the options do not
fit, the audits have started) lists its problems and changes nothing; its case list stays kept, so
that the options can be changed and the draw tried again without uploading it again. A draw that
finishes deletes it; the daily clean-up deletes one left behind a day later
(scrutiny.imports.uploads_clean).

`manage.py sample` and the API's draw stay synchronous: they call `samples.sample_draw` directly.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audits import samples
from audits.permissions import can_run_audits
from scrutiny.errors import ApplicationError
from scrutiny.imports import (
    import_run,
    starter_checked,
    upload_discard,
    upload_path,
    upload_save,
)
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Instrument, Job, Scrutiny, User
from scrutiny.workbooks.lists import (
    CaseList,
    case_list_read,
    list_file_content,
    list_sha256,
    list_upload_content,
)

SAMPLE_DRAW = "sample draw"


@dataclass(frozen=True)
class KeptCaseList:
    """A case list kept between the upload and the draw: what the session holds of it."""

    upload: str  # the kept file, in the private uploads folder
    file_name: str  # as it was uploaded
    sha256: str

    def as_session(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_session(cls, value: object) -> KeptCaseList | None:
        if not isinstance(value, dict):
            return None
        fields = [value.get(name) for name in ("upload", "file_name", "sha256")]
        if not all(isinstance(field, str) and field for field in fields):
            return None
        upload, file_name, sha256 = (str(field) for field in fields)
        return cls(upload=upload, file_name=file_name, sha256=sha256)


def case_list_keep(*, file: Any) -> KeptCaseList:
    """Check an uploaded case list whole (an ApplicationError naming the row and column of every
    error) and keep it for the draw."""
    content = list_upload_content(file)
    name = str(getattr(file, "name", "") or "case list")
    case_list_read(content=content, file_name=name)
    suffix = ".csv" if name.lower().endswith(".csv") else ".xlsx"
    upload = upload_save(io.BytesIO(content), suffix=suffix)
    return KeptCaseList(upload=upload, file_name=name, sha256=list_sha256(content))


def case_list_load(*, kept: KeptCaseList) -> CaseList | None:
    """The kept case list, read again for the options; None when it is no longer kept (drawn
    from, or cleaned up) or is not the file the session names."""
    try:
        path = upload_path(kept.upload)
        if not path.is_file():
            return None
        case_list = case_list_read(content=list_file_content(path), file_name=kept.file_name)
    except ApplicationError:
        return None
    return case_list if case_list.file_sha256 == kept.sha256 else None


def case_list_discard(*, kept: KeptCaseList) -> None:
    """Delete a kept case list that another replaced, unless a draw still queued or running
    reads it (that job deletes it when it finishes)."""
    upload_discard(kept.upload)


def sample_draw_start(
    *,
    scrutiny: Scrutiny,
    kept: KeptCaseList,
    by: str,
    per: int,
    seed: int,
    filters: Mapping[str, list[str]],
    instrument: Instrument | None,
    user: User,
) -> Job:
    """Queue the draw from the kept case list, with the options chosen (for someone who runs
    the scrutiny's audits: `permissions.access_scrutiny_audits_for_user`)."""
    return job_enqueue(
        kind=SAMPLE_DRAW,
        user=user,
        task="audits.tasks.sample_draw",
        arguments={
            "scrutiny_id": scrutiny.pk,
            "upload": kept.upload,
            "file_name": kept.file_name,
            "sha256": kept.sha256,
            "by": by,
            "per": per,
            "seed": seed,
            "filters": {column: list(values) for column, values in filters.items()},
            "instrument_id": instrument.pk if instrument is not None else None,
        },
    )


def _links(scrutiny: Scrutiny, *, again: bool) -> list[dict[str, str]]:
    sample = {
        "text": _("Go to the sample of case files"),
        "url": reverse("audit-sample", args=[scrutiny.slug]),
    }
    if not again:
        return [sample]
    draw = reverse("audit-sample-draw", args=[scrutiny.slug])
    return [{"text": _("Change the options and draw again"), "url": draw}, sample]


def sample_draw_run(
    *,
    run: JobRun,
    scrutiny_id: int,
    upload: str,
    file_name: str,
    sha256: str,
    by: str,
    per: int,
    seed: int,
    filters: dict[str, list[str]],
    instrument_id: int | None,
) -> None:
    """The job's work: the sample drawn and recorded (`samples.sample_draw`), or every problem
    of the list or the options with the sample as it was."""
    scrutiny = Scrutiny.objects.select_related("partnership").get(pk=scrutiny_id)

    def work(path: Path) -> tuple[dict[str, object], str]:
        user = starter_checked(
            run,
            partnership_id=scrutiny.partnership_id,
            may=can_run_audits,
            refusal=_(
                "The person who uploaded this case list may no longer run audits here: "
                "nothing was drawn."
            ),
        )
        content = list_file_content(path)
        if list_sha256(content) != sha256:
            raise ApplicationError(
                _("The kept case list is not the one the options were chosen for.")
            )
        tool = None
        if instrument_id is not None:
            tool = Instrument.objects.filter(pk=instrument_id, scrutiny=scrutiny).first()
            if tool is None:
                raise ApplicationError(_("The audit tool chosen is no longer in this scrutiny."))
        run.progress(10, _("Reading the case list and drawing the sample."))
        result = samples.sample_draw(
            scrutiny=scrutiny,
            file_name=file_name,
            content=content,
            by=by,
            per=per,
            seed=seed,
            filters=filters,
            instrument=tool,
            user=user,
        )
        drawn: dict[str, object] = {
            "drawn": result.drawn,
            "sample": result.sample.pk,
            "links": _links(scrutiny, again=False),
        }
        return drawn, sample_draw_message(result)

    refused = {
        "scrutiny": scrutiny.slug,
        "refused_text": _(
            "Nothing was drawn: the sample is as it was. The case list is kept "
            "for a day, so you can change the options and draw again."
        ),
        "links": _links(scrutiny, again=True),
    }
    import_run(
        run=run, upload=upload, back=refused, work=work, what="case list", keep_on_refusal=True
    )


def sample_draw_message(result: samples.SampleDrawResult) -> str:
    """What a draw did, in words: the job's closing message."""
    sample = result.sample
    if not result.drawn:
        message = _(
            "Nothing changed: the sample was already drawn from this file with these options."
        )
        return message + (" " + _("The audit tool is saved.") if result.instrument_changed else "")
    n = sample.cases.count()
    message = ngettext(
        "Drew %(n)s case file of %(population)s: %(per)s per %(by)s, seed %(seed)s.",
        "Drew %(n)s case files of %(population)s: %(per)s per %(by)s, seed %(seed)s.",
        n,
    ) % {
        "n": n,
        "population": sample.population,
        "per": sample.per,
        "by": sample.by,
        "seed": sample.seed,
    }
    if not result.replaced:
        return message
    removed = result.assignments_removed
    replaces = (
        ngettext(
            "It replaces the earlier draw and its %(removed)s assignment.",
            "It replaces the earlier draw and its %(removed)s assignments.",
            removed,
        )
        % {"removed": removed}
        if removed
        else _("It replaces the earlier draw.")
    )
    return f"{message} {replaces}"
