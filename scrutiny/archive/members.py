"""The archive's layout (docs/archive.md): its format, its members' names, and how each member
is written with its size and SHA-256 counted on the way, so that the manifest can list them
without reading anything twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from importlib import metadata
from typing import IO, Any
from zipfile import ZipFile

from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "safeguarding-scrutiny-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_FOLDER = "data/"
FILES_FOLDER = "files/"
WORKBOOKS_FOLDER = "workbooks/"
CHUNK = 1 << 16


def platform_version() -> str:
    try:
        return metadata.version("safeguarding-scrutiny")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def data_member(label: str) -> str:
    """`data/<app_label>.<model>.json` for a model's label."""
    return f"{DATA_FOLDER}{label}.json"


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping a moment's microseconds (Django's drops all but the
    milliseconds): the restore must give back every value as it was stored."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


@dataclass
class Member:
    """One member as written: its name, kind, bytes and SHA-256 (and rows, for data)."""

    name: str
    kind: str  # data, workbook or file
    sha256: str = ""
    bytes: int = 0
    rows: int | None = None
    model: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def manifest_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.model:
            entry["model"] = self.model
        if self.rows is not None:
            entry["rows"] = self.rows
        entry.update(bytes=self.bytes, sha256=self.sha256, **self.extra)
        return entry


class CountingWriter(io.RawIOBase):
    """A binary stream into a zip member that counts its bytes and hashes them as they pass."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.digest.update(chunk)
        self.size += len(chunk)
        self.target.write(chunk)
        return len(chunk)


def member_write(archive: ZipFile, member: Member, source: IO[bytes]) -> Member:
    """Copies `source` into the archive as `member`, in chunks."""
    with archive.open(member.name, "w", force_zip64=True) as target:
        writer = CountingWriter(target)
        while chunk := source.read(CHUNK):
            writer.write(chunk)
    member.sha256, member.bytes = writer.digest.hexdigest(), writer.size
    return member


def manifest_json(
    *, partnership: dict[str, Any], created_at: dt.datetime, members: list[Member], **more: Any
) -> bytes:
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at.isoformat(),
        "platform_version": platform_version(),
        "partnership": partnership,
        **more,
        "members": [member.manifest_entry() for member in members],
    }
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode()
