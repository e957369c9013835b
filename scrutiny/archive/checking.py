"""Everything an archive is checked for before a restore touches anything: that it is a zip,
that its manifest is of a format and version this platform reads, that every member the
manifest lists is there, unaltered (its size and SHA-256), that nothing else is, and that
every name is one a restore may write. Each refusal says what is wrong and what to do."""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import PurePosixPath
from typing import Any
from zipfile import BadZipFile, ZipFile

from scrutiny.archive.members import (
    CHUNK,
    DATA_FOLDER,
    FILES_FOLDER,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    data_member,
)
from scrutiny.archive.scope import carried_models, model_label
from scrutiny.errors import ApplicationError

AGAIN = "Write the archive again with `manage.py archive export` on the installation it came from."


def archive_open(path: Any) -> ZipFile:
    try:
        return ZipFile(path)
    except (BadZipFile, OSError) as exc:
        raise ApplicationError(
            f"{path} is not a partnership archive: it could not be opened as a zip file "
            f"({exc}). Give the .zip file that `manage.py archive export` wrote."
        ) from exc


def manifest_read(archive: ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise ApplicationError(
            f"The zip file has no {MANIFEST}, so it is not a partnership archive. {AGAIN}"
        ) from exc
    except (ValueError, BadZipFile) as exc:
        raise ApplicationError(f"The archive's {MANIFEST} cannot be read ({exc}). {AGAIN}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ApplicationError(
            f"The zip file's {MANIFEST} is not that of a partnership archive (format "
            f"{FORMAT!r}). {AGAIN}"
        )
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ApplicationError(
            f"The archive is of format version {version}, and this platform (version "
            f"{FORMAT_VERSION} archives) cannot read it. Restore it with the platform version "
            f"that wrote it ({manifest.get('platform_version', 'unknown')}), or write it again "
            "with this one."
        )
    if not isinstance(manifest.get("members"), list):
        raise ApplicationError(f"The archive's {MANIFEST} lists no members. {AGAIN}")
    return manifest


def _safe_name(name: Any) -> str:
    path = PurePosixPath(str(name))
    if (
        not isinstance(name, str)
        or path.is_absolute()
        or ".." in path.parts
        or "\\" in name
        or not name.startswith((DATA_FOLDER, FILES_FOLDER, "workbooks/"))
    ):
        raise ApplicationError(
            f"The archive lists a member named {name!r}, which a restore may not write. {AGAIN}"
        )
    return name


def members_check(archive: ZipFile, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Every member listed, each there and unaltered, nothing unlisted, every carried table's
    data present; returns the manifest's members."""
    members = manifest["members"]
    listed = {_safe_name(entry.get("name")) for entry in members if isinstance(entry, dict)}
    if len(listed) != len(members):
        raise ApplicationError(f"The archive's {MANIFEST} lists a member twice. {AGAIN}")
    present = {info.filename for info in archive.infolist() if not info.is_dir()}
    unlisted = sorted(present - listed - {MANIFEST})
    if unlisted:
        raise ApplicationError(
            f"The archive holds {len(unlisted)} file(s) its manifest does not list, e.g. "
            f"{unlisted[0]}: it was changed after it was written. {AGAIN}"
        )
    needed = {data_member(model_label(model)) for model in carried_models()}
    for name in sorted(needed - listed):
        raise ApplicationError(
            f"The archive has no {name}: it is incomplete, or from another platform version. "
            f"{AGAIN}"
        )
    for entry in members:
        _member_check(archive, entry, present)
    return members


def _member_check(archive: ZipFile, entry: dict[str, Any], present: set[str]) -> None:
    name = entry["name"]
    if name not in present:
        raise ApplicationError(f"The archive is missing {name}, which its manifest lists. {AGAIN}")
    size = entry.get("bytes")
    altered = ApplicationError(
        f"{name} in the archive is not as it was written (its size or SHA-256 differs from the "
        f"manifest's): the archive was changed or damaged. Nothing was restored. {AGAIN}"
    )
    if archive.getinfo(name).file_size != size:
        raise altered
    digest, read = hashlib.sha256(), 0
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > size:
                    raise altered
                digest.update(chunk)
    except (BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:  # damaged, tampered
        raise altered from exc
    if digest.hexdigest() != entry.get("sha256"):
        raise altered
