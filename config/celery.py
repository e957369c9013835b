"""The celery application. Settings come from config.settings (the CELERY_ names)."""

import os
from pathlib import Path
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
