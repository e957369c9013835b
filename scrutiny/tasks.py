"""Celery tasks: thin. Each takes ids, loads, calls a service and reports through the job."""

from __future__ import annotations

import os
import socket

from celery import shared_task
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scrutiny import jobs
from scrutiny.notifications import email_task


@shared_task(acks_late=True)
def selfcheck(*, job_id: int) -> None:
    with jobs.job_running(job_id=job_id) as run:
        if run is None:
            return
        run.progress(50, gettext("The worker has the task."))
        run.finish(
            result={"hostname": socket.gethostname(), "pid": os.getpid()},
            message=gettext("Background work is running."),
        )


@shared_task(acks_late=True)
def event_pack_build(*, job_id: int, pack_id: int, language: str | None = None) -> None:
    """Build a queued event pack, reporting its progress through the pack's job. Safe to run
    again: a second build replaces the pack's files. In `language` ("en", "cy" or "both"; by
    default the partnership's)."""
    from scrutiny.models import EventPack
    from scrutiny.packs.build import pack_build

    with jobs.job_running(job_id=job_id, failure=_("The pack could not be built")) as run:
        if run is None:
            return
        pack = EventPack.objects.select_related("scrutiny__partnership").get(pk=pack_id)
        pack_build(pack=pack, progress=run.progress, language=language)
        run.finish(
            result={"pack": pack.pk}, message=gettext("The event pack is ready to download.")
        )


@shared_task(acks_late=True)
def publication_pdf_build(*, job_id: int, publication_id: int) -> None:
    """Render the PDF of a scrutiny's published pack from its snapshot (scrutiny.publishing).
    Safe to run again: a second build replaces the file."""
    from scrutiny.models import Publication
    from scrutiny.publishing import publication_pdf_build as build

    with jobs.job_running(job_id=job_id, failure=_("The published pack could not be built")) as run:
        if run is None:
            return
        publication = Publication.objects.select_related("scrutiny").get(pk=publication_id)
        build(publication=publication, progress=run.progress)
        run.finish(
            result={"publication": publication.pk},
            message=gettext("The published pack's PDF is ready to download."),
        )


@shared_task
def publications_redact_again() -> int:
    """Run by celery beat every few minutes: render again each published PDF redacted with
    other terms than today's (scrutiny.publishing); how many were sent to be rendered."""
    from scrutiny.publishing import publications_redact_again as redact_again

    return redact_again()


@email_task()
def publication_email(*, publication_id: int) -> int:
    """Tell each board member that a scrutiny's results are published (one email each)."""
    from scrutiny.publishing import publication_notify

    return publication_notify(publication_id=publication_id)


@shared_task(acks_late=True)
def responses_import(
    *, job_id: int, instrument_id: int, upload: str, mapping: dict[str, str] | None = None
) -> None:
    """Import a responses workbook or CSV uploaded through the page (scrutiny.imports)."""
    from scrutiny.imports import responses_import_run

    with jobs.job_running(job_id=job_id, failure=_("The workbook could not be imported")) as run:
        if run is None:
            return
        responses_import_run(run=run, instrument_id=instrument_id, upload=upload, mapping=mapping)


@shared_task(acks_late=True)
def responses_export(*, job_id: int, instrument_id: int, fmt: str, labels: bool) -> None:
    """Export an instrument's responses for analysts (scrutiny.exports), kept to download."""
    from scrutiny.exports.jobs import responses_export_run

    with jobs.job_running(job_id=job_id, failure=_("The responses could not be exported")) as run:
        if run is None:
            return
        responses_export_run(run=run, instrument_id=instrument_id, fmt=fmt, labels=labels)


@shared_task(acks_late=True)
def instrument_import(*, job_id: int, scrutiny_id: int, upload: str) -> None:
    """Import an instrument workbook uploaded through the page (scrutiny.imports)."""
    from scrutiny.imports import instrument_import_run

    with jobs.job_running(job_id=job_id, failure=_("The workbook could not be imported")) as run:
        if run is None:
            return
        instrument_import_run(run=run, scrutiny_id=scrutiny_id, upload=upload)


@shared_task(acks_late=True)
def scrutiny_import(*, job_id: int, partnership_id: int, upload: str) -> None:
    """Import a scrutiny workbook uploaded through the page (scrutiny.imports)."""
    from scrutiny.imports import scrutiny_import_run

    with jobs.job_running(job_id=job_id, failure=_("The workbook could not be imported")) as run:
        if run is None:
            return
        scrutiny_import_run(run=run, partnership_id=partnership_id, upload=upload)


@shared_task(acks_late=True)
def plan_import(*, job_id: int, partnership_id: int, upload: str, name: str = "") -> None:
    """Import a delivery plan workbook uploaded through the plan's page (scrutiny.plan)."""
    from scrutiny.plan.importing_job import plan_import_run

    with jobs.job_running(
        job_id=job_id, failure=_("The delivery plan could not be imported")
    ) as run:
        if run is None:
            return
        plan_import_run(run=run, partnership_id=partnership_id, upload=upload, name=name)


@shared_task
def jobs_recover() -> dict[str, int]:
    """Run every minute by celery beat: send again the jobs whose worker died (scrutiny.jobs)."""
    return jobs.jobs_recover()


@shared_task
def job_uploads_clean() -> int:
    """Run daily by celery beat: delete the uploads that ended or dead jobs left behind, a day
    old (scrutiny.imports.uploads_clean); how many were deleted."""
    from scrutiny.imports import uploads_clean

    return uploads_clean()


@shared_task
def responses_exports_clean() -> int:
    """Run daily by celery beat: delete the responses exports older than they are kept
    (scrutiny.exports.jobs.KEPT_FOR); how many were deleted."""
    from scrutiny.exports.jobs import exports_clean

    return exports_clean()


@email_task()
def actions_flag_overdue() -> int:
    """Run daily by celery beat: flag overdue and drifting actions to their leads (retried when
    the mail server is briefly unreachable; an action emailed already is not emailed again)."""
    from scrutiny.plan.flags import actions_flag

    return actions_flag()


@shared_task
def retention_daily() -> int:
    """Run daily by celery beat: each partnership's retention run (scrutiny.retention), each
    recorded in the trail; how many things were removed or anonymised."""
    from django.utils import timezone

    from scrutiny.retention import retention_run_all

    return sum(report.changed for report in retention_run_all(now=timezone.now()))


# A child may be at risk: tried again sooner and for longer than other emails.
@email_task(retry_backoff=5, retry_backoff_max=60, max_retries=10)
def disclosure_email(*, scrutiny_id: int) -> bool:
    """Tell the safeguarding lead at once that a child's answer may be a disclosure (a link
    only; scrutiny.disclosure.flagged)."""
    from scrutiny.disclosure import disclosure_notify

    return disclosure_notify(scrutiny_id=scrutiny_id)
