"""The embedded broker: kombu's filesystem transport, with each message whole before a worker
can see it.

kombu's filesystem transport (5.x) creates a message's file in the folder workers read, then
writes the message into it. A worker that lists the folder in between takes the empty file and
fails to decode it (`JSONDecodeError`), which stops the worker: CI saw it when the embedded
scheduler's beat sent a task and the worker beside it stopped. Here a message is written under a
name no worker reads (`.part`) and then renamed into place, which is atomic on one file system.
`config.celery` makes this the transport of `filesystem://` URLs.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    # As kombu's filesystem channel names its arguments (its base class names the second one
    # `message`, hence the ignore).
    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Put `payload` on `queue`: named as kombu names it (so workers read messages in the
        order they were sent), written whole, then made visible."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        part = f"{path}.part"  # kombu reads `<anything>.<queue>.msg` only
        try:
            with open(part, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(part, path)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
