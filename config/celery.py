"""The celery application. Settings come from config.settings (the CELERY_ names)."""

import os
from pathlib import Path
from typing import Any

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The embedded broker's messages are written whole before a worker can see them (config/broker.py).
TRANSPORT_ALIASES["filesystem"] = "config.broker:Transport"

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The long work by kind, each a queue that workers of its own can take (docs/production.md,
# "Beyond one machine"): building packs and exports, reading uploads, sending email. Routed
# only with TASK_QUEUES_BY_KIND on, because a worker started without `-Q` takes the default
# queue alone, and work sent elsewhere would wait for ever.
DEFAULT_QUEUE = "celery"
QUEUES: dict[str, tuple[str, ...]] = {
    "packs": (
        "scrutiny.tasks.event_pack_build",
        "scrutiny.tasks.publication_pdf_build",
        "scrutiny.tasks.responses_export",
    ),
    "imports": (
        "scrutiny.tasks.responses_import",
        "scrutiny.tasks.instrument_import",
        "scrutiny.tasks.scrutiny_import",
        "scrutiny.tasks.plan_import",
        "surveys.tasks.invitation_list_import",
        "audits.tasks.sample_draw",
    ),
}
EMAIL_QUEUE = "email"  # every task made by scrutiny.notifications.email_task


def task_queue(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any) -> Any:
    """celery's router: the queue of task `name`, or None for the default queue."""
    from django.conf import settings

    if not getattr(settings, "TASK_QUEUES_BY_KIND", False):
        return None
    for queue, names in QUEUES.items():
        if name in names:
            return {"queue": queue}
    task = task if task is not None else app.tasks.get(name)
    if task is not None and _sends_email(task):
        return {"queue": EMAIL_QUEUE}
    return None


def _sends_email(task: Any) -> bool:
    from scrutiny.notifications import TRANSIENT_MAIL_ERRORS

    return tuple(getattr(task, "autoretry_for", ())) == tuple(TRANSIENT_MAIL_ERRORS)


app.conf.task_routes = (task_queue,)


@app.on_after_configure.connect
def filesystem_broker_folders(sender: Celery, **kwargs: Any) -> None:
    """With `CELERY_BROKER_URL=filesystem://` (the embedded default, scripts/serve.sh), every
    process reads and writes its messages in BROKER_FOLDER, created here if missing."""
    if not str(sender.conf.broker_url or "").startswith("filesystem://"):
        return
    from django.conf import settings

    messages = Path(settings.BROKER_FOLDER) / "messages"
    control = Path(settings.BROKER_FOLDER) / "control"
    for folder in (messages, control):
        folder.mkdir(parents=True, exist_ok=True)
    sender.conf.broker_transport_options = {
        **(sender.conf.broker_transport_options or {}),
        "data_folder_in": str(messages),
        "data_folder_out": str(messages),
        "control_folder": str(control),
    }
