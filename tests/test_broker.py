"""The embedded broker (config/broker.py): a worker never reads a message half written."""

from __future__ import annotations

from queue import Empty
from typing import Any

from kombu import Connection

from config import broker


def test_a_worker_never_reads_a_message_being_written(tmp_path):
    """The worker's read runs at the moment the message is being written (as its payload is
    serialised): kombu's own transport had the file in the folder already, empty, and the read
    failed on it (JSONDecodeError, which stops a worker). Here there is nothing to read yet."""
    folders = {name: tmp_path / name for name in ("messages", "control")}
    for folder in folders.values():
        folder.mkdir()
    options = {
        "data_folder_in": str(folders["messages"]),
        "data_folder_out": str(folders["messages"]),
        "control_folder": str(folders["control"]),
    }
    with Connection("filesystem://", transport_options=options) as connection:
        channel = connection.default_channel
        assert isinstance(channel, broker.Channel)  # what `filesystem://` means here
        seen: list[Any] = []

        class ReadWhileWriting:
            def __json__(self) -> str:
                try:
                    seen.append(channel._get("celery"))
                except Empty:
                    seen.append("nothing yet")
                return "the answers"

        channel._put("celery", {"body": ReadWhileWriting()})
        assert seen == ["nothing yet"]
        assert channel._get("celery") == {"body": "the answers"}  # then whole
        assert sorted(p.name for p in folders["messages"].iterdir()) == []  # no .part left
