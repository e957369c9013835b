"""Issue 14, done when: "CI imports a 100k-row workbook through the page under gunicorn, and
kills the worker in the middle of a pack: the pack is finished by the next worker, once."

(a) A scrutineer uploads a generated 100,000-row responses workbook to the import page over
HTTP (gunicorn, 30 s timeout); the page hands it to a job at once, and the job's page follows it
to the rows counted. (b) Two workers; a pack of those 100,000 responses starts building; the
worker building it is killed (SIGKILL) part way; beat's recovery sends the job again and the
other worker finishes it; Redis later gives the killed worker's message again (its visibility
timeout is short here) and that message is ignored: one job, built once, one set of files.
"""

from __future__ import annotations

import io
import os
import re
import signal
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from openpyxl import Workbook

from scrutiny.instruments import InstrumentDefinition, OptionDef, QuestionDef, instrument_save
from scrutiny.models import EventPack, Instrument, Job, Partnership, Response, User
from scrutiny.packs.build import pack_start
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, scrutiny_save
from scrutiny.workbooks import responses_import
from tests.conftest import client_for

# The 100,000 rows; SYSTEM_IMPORT_ROWS may lower it on a slow machine.
ROWS = int(os.environ.get("SYSTEM_IMPORT_ROWS", "100000"))
WEB_PORT = int(os.environ["SYSTEM_WEB_PORT"])
MEDIA = Path(settings.MEDIA_ROOT)
PACK_ROWS = 2_000
BASE = f"http://localhost:{WEB_PORT}"
ORIGIN = f"https://localhost:{WEB_PORT}"
# gunicorn sits behind a TLS-terminating proxy in production: say the request came over https.
HEADERS = {"X-Forwarded-Proto": "https", "Origin": ORIGIN}


@dataclass
class Setting:
    scrutineer: User
    instrument: Instrument
    pack_instrument: Instrument


def definition() -> InstrumentDefinition:
    yes_no = (OptionDef("yes", "Yes", 1.0), OptionDef("no", "No", 0.0))
    return InstrumentDefinition(
        code="LOAD",
        title="Load audit",
        kind="file_audit",
        questions=(
            QuestionDef("Practice", "Q1", "single", "Was the plan followed?", "yes_no", True),
            QuestionDef("Practice", "Q2", "text", "What would have helped?"),
        ),
        option_lists={"yes_no": yes_no},
    )


def workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("responses")
    sheet.append(["ref", "Q1", "Q2"])
    for n in range(rows):
        sheet.append([f"L-{n}", "yes" if n % 3 else "no", f"Comment {n % 977}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return sized(buffer.getvalue(), f"A1:C{rows + 1}")


def sized(data: bytes, dimension: str) -> bytes:
    """The workbook with its sheet's size recorded, as Excel records it (openpyxl's streaming
    writer leaves it out, and the import's progress counts rows against it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetPr>", f'</sheetPr><dimension ref="{dimension}"/>'.encode(), 1
                )
            target.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture(scope="module")
def setting(processes) -> Setting:
    partnership = Partnership.objects.create(name="Northmere Partnership (made up)", slug="nmp")
    scrutineer = User.objects.create_user(
        email="morgan@northmere.invalid",
        password=None,
        partnership=partnership,
        role=User.Role.SCRUTINEER,
    )
    scrutiny = scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(
            settings=ScrutinySettings(slug="load-2026", title="Load 2026"),
            factors=(("SF1", "Plans are followed"),),
        ),
    ).scrutiny
    instrument = instrument_save(scrutiny=scrutiny, definition=definition()).instrument
    # The pack's scrutiny: enough responses that building its pack takes several seconds.
    packed = scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(
            settings=ScrutinySettings(slug="pack-2026", title="Pack 2026"),
            factors=(("SF1", "Plans are followed"),),
        ),
    ).scrutiny
    pack_instrument = instrument_save(scrutiny=packed, definition=definition()).instrument
    responses_import(instrument=pack_instrument, file=io.BytesIO(workbook(PACK_ROWS)))
    return Setting(scrutineer, instrument, pack_instrument)


@pytest.fixture(scope="module")
def workers(processes) -> Iterator[dict[int, str]]:
    """Two workers, by process id."""
    started = {processes.worker(name).pid: name for name in ("first", "second")}
    yield started


def signed_in(user: User) -> requests.Session:
    """A browser's session for the person, made as tests/conftest.py's client_for makes it
    (signed in, the second factor proved), then used over HTTP."""
    client = client_for(user)
    session = requests.Session()
    session.headers.update(HEADERS)
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return session


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, allow_redirects=False)
    assert page.status_code == 200, (page.status_code, page.headers.get("Location"))
    # The cookie is marked Secure (https behind the proxy): keep it for this plain-http hop.
    session.cookies.set(settings.CSRF_COOKIE_NAME, page.cookies[settings.CSRF_COOKIE_NAME])
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def test_a_100k_row_workbook_imports_through_the_page_under_gunicorn(setting, workers):
    instrument = setting.instrument
    path = f"/scrutinies/{instrument.scrutiny.slug}/instruments/{instrument.pk}/responses/import/"
    url = BASE + path
    session = signed_in(setting.scrutineer)
    token = csrf_token(session, url)
    data = workbook(ROWS)
    started = time.monotonic()
    posted = session.post(
        url,
        data={"csrfmiddlewaretoken": token},
        files={"file": ("responses.xlsx", data, "application/octet-stream")},
        headers={"Referer": ORIGIN + path},
        allow_redirects=False,
        timeout=30,
    )
    assert posted.status_code == 302, posted.text[:2000]
    assert time.monotonic() - started < 10, "the upload waited for the import"
    job_url = posted.headers["Location"]
    job_id = int(re.fullmatch(r"/jobs/(\d+)/", job_url).group(1))
    seen = set()
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        state = session.get(f"{BASE}/api/jobs/{job_id}/", timeout=10).json()
        seen.add(state["progress"])
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert state["status"] == "done", state
    assert any(0 < p < 100 for p in seen), f"no progress was seen while it ran: {sorted(seen)}"
    page = session.get(BASE + job_url, timeout=10).text
    assert f'data-import-rows="{ROWS}"' in page
    job = Job.objects.get(pk=job_id)
    assert (job.result["rows"], job.result["created"], job.attempts) == (ROWS, ROWS, 1)
    assert Response.objects.filter(instrument=instrument).count() == ROWS
    assert not list((MEDIA / "job-uploads").iterdir()), "the upload outlived its job"
    print(
        f"imported {ROWS} rows in {time.monotonic() - started:.1f} s; progress seen {sorted(seen)}"
    )


def job_when(job_id: int, ready, timeout: float) -> Job:
    """The job once `ready(job)` holds, or as it is when the time is up."""
    deadline = time.monotonic() + timeout
    job = Job.objects.get(pk=job_id)
    while not ready(job) and time.monotonic() < deadline:
        time.sleep(0.1)
        job = Job.objects.get(pk=job_id)
    return job


def part_way(job: Job) -> bool:
    return job.status == Job.Status.RUNNING and 1 <= job.progress <= 99


def test_a_pack_whose_worker_is_killed_is_finished_by_the_other_once(setting, workers, processes):
    pack = pack_start(scrutiny=setting.pack_instrument.scrutiny, user=setting.scrutineer)
    job = job_when(pack.job_id, part_way, timeout=60)
    assert part_way(job), f"the pack never got part way: {job.status} {job.progress}%"
    victim = int(re.search(r"\(process (\d+)\)", job.worker).group(1))
    assert victim in workers, (victim, workers)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    print(f"killed the {workers[victim]} worker at {job.progress}%: {job.message}")
    survivor = next(name for pid, name in workers.items() if pid != victim)

    job = job_when(job.pk, lambda job: job.is_finished, timeout=120)
    assert (job.status, job.attempts) == (Job.Status.DONE, 2), (job.status, job.message)
    print(f"finished by the {survivor} worker {time.monotonic() - killed_at:.1f} s after the kill")

    # Redis gives the killed worker's message again once its visibility timeout passes: the
    # survivor takes it and ignores it, since the job is finished.
    ignored = f"Job {job.pk} is finished or running elsewhere: this message is ignored."
    processes.wait_for_log(survivor, ignored, timeout=max(10, killed_at + 120 - time.monotonic()))
    assert Job.objects.filter(kind="event pack").count() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 2), "the redelivered message ran again"
    pack.refresh_from_db()
    assert EventPack.objects.count() == 1
    assert pack.pdf.name and pack.xlsx.name
    stored = sorted(p.name for p in MEDIA.rglob("*") if p.is_file() and "event-pack" in p.name)
    assert stored == sorted(Path(name).name for name in (pack.pdf.name, pack.xlsx.name))
