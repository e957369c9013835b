"""Publishing a scrutiny's results to its board (`scrutiny_publish`), its pack's PDF
(`publication_pdf_build`, a job) and the board's emails (`publication_notify`, a task).

The snapshot, its PDF and the emails are in the partnership's default language (issue 18;
`Partnership.default_language`, English until it is there), each made inside
`translation.override`, whatever the language of the request that signed the findings off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from scrutiny.disclosure import HeldTerms, Redactor
from scrutiny.errors import ApplicationError
from scrutiny.jobs import job_enqueue
from scrutiny.models import Finding, Publication, Scrutiny, SuccessFactor, User
from scrutiny.notifications import email_send, site_link
from scrutiny.packs.data import PackData, pack_data
from scrutiny.packs.pdf import render_pdf
from scrutiny.packs.words import partnership_language
from scrutiny.publishing.snapshot import pack_from_snapshot, snapshot_of

Progress = Callable[[int, str], None]


def _signed_off_at(scrutiny: Scrutiny) -> dt.datetime | None:
    """When the last finding was signed off (None for a scrutiny of no success factor);
    refused while a factor's is not."""
    unsigned = SuccessFactor.objects.filter(scrutiny=scrutiny).exclude(
        finding__signed_off_at__isnull=False
    )
    if unsigned.exists():
        raise ApplicationError("Sign off every finding before the results are published.")
    last: dt.datetime | None = Finding.objects.filter(scrutiny=scrutiny).aggregate(
        last=Max("signed_off_at")
    )["last"]
    return last


@transaction.atomic
def scrutiny_publish(*, scrutiny: Scrutiny, user: User) -> Publication | None:
    """Publish the scrutiny's signed-off results to its board: the event pack's data (suppressed
    and redacted by `pack_data`) frozen as a snapshot, its PDF built by a job, and each board
    member told by email once the transaction commits.

    Called by `scrutiny.findings.findings_sign_off`. Published already and no finding signed
    off since: nothing changes. A finding signed off since (a factor added after publishing)
    publishes the scrutiny again in its place. A scrutiny of no success factor has nothing to
    publish (None)."""
    last = _signed_off_at(scrutiny)
    if last is None:
        return None
    publication = Publication.objects.select_for_update().filter(scrutiny=scrutiny).first()
    if publication is not None and last <= publication.published_at:
        return publication
    publication = publication or Publication(scrutiny=scrutiny)
    _pdf_withdrawn(publication)  # the PDF of what was published before
    with translation.override(partnership_language(scrutiny.partnership)):
        publication.snapshot = snapshot_of(pack_data(scrutiny=scrutiny))
    publication.published_at = timezone.now()
    publication.published_by = user
    publication.emailed = []
    publication.save()
    _pdf_queued(publication, user=user)
    publication.save(update_fields=["job"])
    _notify_on_commit(publication)
    return publication


def _pdf_withdrawn(publication: Publication) -> None:
    """The publication's PDF, if any, is served no more, and its file goes once this commits."""
    if publication.pdf:
        transaction.on_commit(partial(publication.pdf.storage.delete, publication.pdf.name))
        publication.pdf = None


def _pdf_queued(publication: Publication, *, user: User | None) -> None:
    """A job renders the publication's PDF from its snapshot (`publication_pdf_build`)."""
    publication.job = job_enqueue(
        kind="published event pack",
        user=user,
        task="scrutiny.tasks.publication_pdf_build",
        arguments={"publication_id": publication.pk},
    )


def _notify_on_commit(publication: Publication) -> None:
    from scrutiny.tasks import publication_email

    pk = publication.pk
    # robust: a mail server that is down must not turn the sign-off into an error page when
    # tasks run in-process; the task retries on a worker.
    transaction.on_commit(lambda: publication_email.delay(publication_id=pk), robust=True)


def publication_pack(publication: Publication, *, redactor: Redactor | None = None) -> PackData:
    """What the board reads: the snapshot, its words redacted as redaction stands now (one
    query, however large the pack)."""
    redactor = redactor or Redactor.for_scrutiny(publication.scrutiny)
    return pack_from_snapshot(publication.snapshot, redactor=redactor)


def publication_pdf_build(*, publication: Publication, progress: Progress | None = None) -> None:
    """Render the published pack's PDF from the snapshot (not from the data as it is now),
    redacted as redaction stands now, and store it in place of any before, with the digest of
    the terms it was redacted with. Safe to run again."""
    redactor = Redactor.for_scrutiny(publication.scrutiny)
    with translation.override(partnership_language(publication.scrutiny.partnership)):
        pdf = render_pdf(publication_pack(publication, redactor=redactor), progress=progress)
    stamp = publication.published_at.strftime("%Y%m%d-%H%M%S")
    if publication.pdf:
        publication.pdf.delete(save=False)
    publication.pdf.save(
        f"{publication.scrutiny.slug}-published-{stamp}.pdf", ContentFile(pdf), save=False
    )
    publication.pdf_redaction = redactor.digest
    publication.save(update_fields=["pdf", "pdf_redaction"])


def publications_pdf_current(publications: Iterable[Publication]) -> set[int]:
    """The publications (their pks) whose PDF is there and was redacted with today's terms:
    one query a partnership. A term added since (the partnership's, the scrutiny's, a new case
    reference) makes a PDF not current, and it is not served until `publications_redact_again`
    has rendered it again."""
    by_partnership: dict[int, list[Publication]] = {}
    for publication in publications:
        if publication.pdf:
            by_partnership.setdefault(publication.scrutiny.partnership_id, []).append(publication)
    current: set[int] = set()
    for partnership_id, rendered in by_partnership.items():
        held = HeldTerms.of_partnership(partnership_id)
        current |= {
            p.pk
            for p in rendered
            if publication_pdf_current(p, redactor=held.redactor(frozenset({p.scrutiny_id})))
        }
    return current


def publication_pdf_current(publication: Publication, *, redactor: Redactor | None = None) -> bool:
    """Whether this publication's PDF may be served (`publications_pdf_current`); a caller
    that has the scrutiny's `Redactor` passes it, so that the terms are read once."""
    redactor = redactor or Redactor.for_scrutiny(publication.scrutiny)
    return bool(publication.pdf) and publication.pdf_redaction == redactor.digest


def publication_reading(publication: Publication) -> tuple[PackData, bool]:
    """What a board's page shows: the pack (`publication_pack`) and whether its PDF may be
    served (`publication_pdf_current`), with one read of the terms."""
    redactor = Redactor.for_scrutiny(publication.scrutiny)
    return (
        publication_pack(publication, redactor=redactor),
        publication_pdf_current(publication, redactor=redactor),
    )


def publications_redact_again() -> int:
    """Run by celery beat: each published PDF redacted with other terms than today's is
    withdrawn and rendered again by a job from its snapshot. One query a partnership that has
    published; how many PDFs were sent to be rendered again."""
    rendered = list(Publication.objects.exclude(pdf="").select_related("scrutiny").order_by("pk"))
    current = publications_pdf_current(rendered)
    stale = [p.pk for p in rendered if p.pk not in current]
    for pk in stale:
        _render_again(pk)
    return len(stale)


@transaction.atomic
def _render_again(publication_id: int) -> None:
    publication = Publication.objects.select_for_update().get(pk=publication_id)
    if not publication.pdf:
        return  # withdrawn meanwhile (published again): its own job renders it
    _pdf_withdrawn(publication)
    _pdf_queued(publication, user=None)
    publication.save(update_fields=["pdf", "job"])


def publication_notify(*, publication_id: int) -> int:
    """Email each active board member of the partnership once that the results are published;
    how many emails were sent. A member emailed already (a retried task) is skipped."""
    sent = 0
    publication = Publication.objects.select_related("scrutiny__partnership").get(pk=publication_id)
    scrutiny = publication.scrutiny
    members = User.objects.filter(
        partnership_id=scrutiny.partnership_id, role=User.Role.BOARD_MEMBER, is_active=True
    ).exclude(email="")
    for member in members.exclude(pk__in=publication.emailed).order_by("pk"):
        with translation.override(partnership_language(scrutiny.partnership)):
            subject, body = _publication_email(scrutiny, member)
        email_send(subject=subject, body=body, to=[member.email])
        # Marked as soon as their email has gone: a retry skips them.
        publication.emailed = [*publication.emailed, member.pk]
        Publication.objects.filter(pk=publication.pk).update(emailed=publication.emailed)
        sent += 1
    return sent


def _publication_email(scrutiny: Scrutiny, member: User) -> tuple[str, str]:
    """A board member's email that the results are published, in the active language."""
    subject = gettext("Scrutiny results published: %(title)s") % {"title": scrutiny.title}
    words = {
        "name": member.get_short_name(),
        "title": scrutiny.title,
        "partnership": scrutiny.partnership.name,
        "published": site_link("published-detail", scrutiny.slug),
        "plan": site_link("plan"),
    }
    body = (
        gettext("Hello %(name)s,") % words
        + "\n\n"
        + gettext(
            "The findings of the scrutiny “%(title)s” have been signed off, and its results "
            "are now published to the board of %(partnership)s."
        )
        % words
        + "\n\n"
        + gettext(
            "Read the scorecard, the findings and the event pack here (you will need to sign in):"
        )
        + f"\n{words['published']}\n\n"
        + gettext("The action plan that follows from them is here:")
        + f"\n{words['plan']}\n"
    )
    return subject, body
