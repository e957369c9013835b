"""`manage.py archive export` and `archive import` (issue 17, "Done when"): the demo written as
one archive, the database flushed, the archive restored into it, and the same scores, the same
findings and an event pack with the same text come out.

The database is really emptied between export and import (`transactional_db`), so the demo is
loaded here, once, rather than through the module-scoped `demo_loaded` fixture."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from celery import current_app as celery_app
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny.demo import SCRUTINY_SLUG
from scrutiny.models import Agency, Finding, Partnership, Scrutiny, TrailEntry, User
from surveys.models import Invitation

pytestmark = pytest.mark.django_db(transaction=True)
# When a pack was built is the one thing that differs between two builds of the same data.
BUILT = re.compile(r"Built \d{1,2} \w+ \d{4}, \d{2}:\d{2}")


def _scores(slug: str) -> Any:
    out = io.StringIO()
    call_command("scores", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def _findings() -> list[tuple[Any, ...]]:
    return list(
        Finding.objects.order_by("scrutiny__slug", "factor__code").values_list(
            "scrutiny__slug",
            "factor__code",
            "drafted",
            "strengths",
            "improvements",
            "frozen",
            "signed_off_at",
            "signed_off_by__email",
        )
    )


def _pack(slug: str, folder: Path) -> tuple[list[str], list[tuple[str, list[list[Any]]]]]:
    """The pack built by `event_pack`: its PDF's text, page by page, and its workbook's cells."""
    folder.mkdir()
    pdf, xlsx = folder / "pack.pdf", folder / "pack.xlsx"
    call_command("event_pack", slug, "--pdf", str(pdf), "--xlsx", str(xlsx), stdout=io.StringIO())
    text = [BUILT.sub("Built (when)", page.extract_text()) for page in PdfReader(pdf).pages]
    workbook = load_workbook(xlsx, read_only=True)
    cells = [(sheet.title, _sheet(sheet)) for sheet in workbook.worksheets]
    workbook.close()
    return text, cells


def _sheet(sheet: Any) -> list[Any]:
    """A sheet's cells. The response sheets come in a new random order each build, numbered
    in that order (scrutiny.packs.responses): their rows are compared without the number, as a
    sorted list."""
    rows = [_row(row) for row in sheet.iter_rows(values_only=True)]
    if not sheet.title.startswith(("Responses ", "Codes ")):
        return rows
    return rows[:1] + sorted((row[1:] for row in rows[1:]), key=repr)


def _row(row: tuple[Any, ...]) -> list[Any]:
    return ["Built", "(when)"] if row[:1] == ("Built",) else list(row)


def _everything(folder: Path) -> dict[str, Any]:
    """Scores, pack, then findings: building a pack drafts the findings not yet drafted."""
    slugs = sorted(Scrutiny.objects.values_list("slug", flat=True))
    scores = {slug: _scores(slug) for slug in slugs}
    pack = _pack(SCRUTINY_SLUG, folder)
    return {"scores": scores, "pack": pack, "findings": _findings()}


def _archive_text(path: Path) -> bytes:
    """Every byte the archive holds, decompressed, the workbooks' own parts included."""
    found = []

    def walk(archive: zipfile.ZipFile) -> None:
        for name in archive.namelist():
            data = archive.read(name)
            found.append(data)
            if name.endswith(".xlsx"):
                walk(zipfile.ZipFile(io.BytesIO(data)))

    with zipfile.ZipFile(path) as archive:
        walk(archive)
    return b"\n".join(found)


@pytest.fixture
def eager_tasks():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def test_the_demo_restored_into_an_empty_database_gives_the_same_scores_findings_and_pack(
    tmp_path, settings, eager_tasks
):
    settings.MEDIA_ROOT = str(tmp_path / "media-before")
    call_command("demo", stdout=io.StringIO())
    before = _everything(tmp_path / "pack-before")
    secrets = [
        *User.objects.values_list("password", flat=True),
        *_invitation_token_hashes(),
    ]
    trail = sorted(TrailEntry.objects.values_list("pk", "action", "actor"))
    top_agency = Agency.objects.order_by("-pk").values_list("pk", flat=True)[0]
    archive = tmp_path / "northbrook.zip"
    call_command("archive", "export", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    assert not Partnership.objects.exists()
    settings.MEDIA_ROOT = str(tmp_path / "media-after")
    out = io.StringIO()
    call_command("archive", "import", str(archive), stdout=out)

    assert "Restored Northbrook" in out.getvalue()
    after = _everything(tmp_path / "pack-after")
    assert after["scores"] == before["scores"]
    assert after["findings"] == before["findings"]
    assert after["pack"] == before["pack"]
    assert any(before["pack"][0]), "the pack has text to compare"
    # The trail is as it was (the export's own entry came after the archive was written), with
    # one entry more: the restore, recorded once; the published PDF is back where it was.
    restored = sorted(TrailEntry.objects.values_list("pk", "action", "actor"))
    assert [entry for entry in restored if entry[1] != "archive_restored"] == trail
    assert [entry[1] for entry in restored if entry not in trail] == ["archive_restored"]
    published = Scrutiny.objects.get(slug="learning-from-practice-2025").publication.pdf
    assert (Path(settings.MEDIA_ROOT) / published.name).is_file()
    # No one can sign in with an old password, and no secret left with the archive.
    assert not any(person.has_usable_password() for person in User.objects.all())
    text = _archive_text(archive)
    assert b"admin@demo.invalid" in text  # the check below can see what is there
    assert not [secret for secret in secrets if secret and secret.encode() in text]
    assert set(_invitation_token_hashes()).isdisjoint(secrets)
    # New rows get new ids after the restored ones (sequences reset on PostgreSQL).
    partnership = Partnership.objects.get()
    agency = Agency.objects.create(partnership=partnership, code="NEW", name="A new agency")
    assert agency.pk > top_agency


def _invitation_token_hashes() -> list[str]:
    assert Invitation.objects.exists(), "the demo invites people"
    return list(Invitation.objects.values_list("token_sha256", flat=True))
