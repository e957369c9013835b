"""The archive's table of models, what it never carries (secrets), and its refusals: a file
that is not an archive, of another format version, altered, incomplete, or restored into an
installation that is not empty. Each says what to do and changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from scrutiny.archive import scope
from scrutiny.archive.members import data_member
from scrutiny.models import Agency, Partnership, User
from tests.factories import AgencyFactory, PartnershipFactory, UserFactory


def _export(path: Path, *args: str) -> Path:
    call_command("archive", "export", str(path), *args, stdout=io.StringIO())
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _refused(path: Path, *words: str) -> None:
    before = Agency.objects.count(), User.objects.count()
    with pytest.raises(CommandError) as refusal:
        call_command("archive", "import", str(path), stdout=io.StringIO())
    for word in words:
        assert word in str(refusal.value)
    assert (Agency.objects.count(), User.objects.count()) == before


def test_every_model_of_the_installation_is_carried_or_left_out_with_a_reason():
    assert scope.unclassified_models() == []
    for label, rule in scope.SCOPE.items():
        assert isinstance(rule, scope.Carried) or len(rule.reason) > 20, label


def test_a_model_in_neither_stops_the_export(db, tmp_path, monkeypatch, council):
    table = dict(scope.SCOPE)
    del table["surveys.youthsession"]
    monkeypatch.setattr(scope, "SCOPE", table)
    with pytest.raises(CommandError, match=r"surveys\.youthsession"):
        _export(tmp_path / "a.zip")
    assert not (tmp_path / "a.zip").exists()


def test_no_password_second_factor_token_or_session_leaves_with_the_archive(
    db, tmp_path, business_unit, council
):
    totp = TOTPDevice.objects.create(user=business_unit, name="phone")
    static = StaticDevice.objects.create(user=business_unit, name="backup")
    code = StaticToken.objects.create(device=static, token="k3j9x2m4")
    api, plain_token = AuthToken.objects.create(user=business_unit)
    session = SessionStore()
    session["_auth_user_id"] = str(business_unit.pk)
    session.create()
    archive = _export(tmp_path / "fernhill.zip")

    everything = b"".join(_members(archive).values())
    assert b"robin@fernhill.invalid" in everything
    business_unit.refresh_from_db()
    secrets: tuple[str, ...] = (
        business_unit.password,
        totp.key,
        code.token,
        api.digest,
        api.token_key,
        plain_token,
        str(session.session_key),
    )
    for secret in secrets:
        assert secret.encode() not in everything, secret


def test_only_the_partnerships_own_rows_are_carried(db, tmp_path, council):
    other = PartnershipFactory(name="Elsewhere Partnership")
    AgencyFactory(partnership=other, code="ELSE", name="Agency of elsewhere")
    UserFactory(partnership=other, email="someone@elsewhere.invalid")
    archive = _export(tmp_path / "fernhill.zip", "--partnership", council.partnership.slug)

    everything = b"".join(_members(archive).values())
    assert b"Fernhill Council" in everything
    assert b"elsewhere" not in everything.lower()
    manifest = json.loads(_members(archive)["manifest.json"])
    assert manifest["partnership"]["slug"] == council.partnership.slug
    agencies = next(m for m in manifest["members"] if m["name"] == data_member("scrutiny.agency"))
    assert agencies["rows"] == 1


@pytest.fixture
def archive(db, tmp_path, council, business_unit) -> Path:
    return _export(tmp_path / "fernhill.zip")


def test_a_file_that_is_not_a_zip_is_refused(archive, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"These are my notes, not an archive.")
    _refused(path, "not a partnership archive", "archive export")


def test_another_format_version_is_refused(archive, tmp_path):
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    manifest["format_version"] = 99
    members["manifest.json"] = json.dumps(manifest).encode()
    _refused(_write(tmp_path / "v99.zip", members), "format version 99", "cannot read it")


def test_an_altered_member_is_refused(archive, tmp_path):
    members = _members(archive)
    name = data_member("scrutiny.agency")
    members[name] = members[name].replace(b"Fernhill Council", b"Fernhill Counsel")
    _refused(_write(tmp_path / "altered.zip", members), name, "not as it was written")


def test_a_missing_member_is_refused(archive, tmp_path):
    members = _members(archive)
    del members[data_member("scrutiny.user")]
    _refused(_write(tmp_path / "missing.zip", members), data_member("scrutiny.user"), "missing")


def test_an_unlisted_member_is_refused(archive, tmp_path):
    members = _members(archive) | {"files/extra.pdf": b"%PDF-1.4"}
    _refused(_write(tmp_path / "extra.zip", members), "does not list", "files/extra.pdf")


def test_an_installation_that_is_not_empty_is_refused(archive):
    _refused(archive, "not empty", "1 partnerships", "make a new database")


def test_data_that_does_not_hold_together_restores_nothing(db, tmp_path, settings):
    """A hand-made archive, checksums right, whose agency names a partnership it does not
    carry: the restore stops and leaves the empty installation empty."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert not Partnership.objects.exists()
    rows: dict[str, list[dict[str, Any]]] = {
        label: [] for label, rule in scope.SCOPE.items() if isinstance(rule, scope.Carried)
    }
    rows["scrutiny.agency"] = [
        {
            "model": "scrutiny.agency",
            "pk": 7,
            "fields": {"partnership": 42, "code": "X", "name": "X"},
        }
    ]
    members = {data_member(label): json.dumps(data).encode() for label, data in rows.items()}
    members["files/packs/pack.pdf"] = b"%PDF-1.4 a pack"
    manifest = {
        "format": "safeguarding-scrutiny-archive",
        "format_version": 1,
        "members": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in members.items()
        ],
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    _refused(_write(tmp_path / "broken.zip", members), "Nothing was changed")
    assert not Agency.objects.exists()
    assert not (tmp_path / "media" / "packs" / "pack.pdf").exists()
