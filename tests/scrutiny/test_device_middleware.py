"""scrutiny.mfa.middleware.DeviceMiddleware reads the session's device as django-otp does (its
authenticator app by SQL made once a process, any other device by django-otp itself), so a
session whose device is gone, or is someone else's, proves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from scrutiny.mfa.middleware import DeviceMiddleware
from tests.conftest import client_for, second_factor_for

pytestmark = pytest.mark.django_db


def _fields(device: Device | None) -> dict[str, object] | None:
    if device is None:
        return None
    fields = {f.attname: getattr(device, f.attname) for f in device._meta.concrete_fields}
    return {"model": type(device).__name__, **fields}


def test_it_reads_each_device_as_django_otp_does(auditor_council, auditor_police):
    app = second_factor_for(auditor_council)
    codes = StaticDevice.objects.create(user=auditor_police, name="Recovery codes")
    middleware = DeviceMiddleware(lambda request: None)
    for persistent_id in (
        app.persistent_id,
        codes.persistent_id,
        f"otp_totp.totpdevice/{app.pk + 1000}",  # gone
        "otp_totp.totpdevice/99999999999999999999",  # no key is that large
        "otp_totp.totpdevice/²",
        "otp_totp.totpdevice/",
        "nonsense",
    ):
        ours = middleware._device_from_persistent_id(persistent_id)
        theirs = Device.from_persistent_id(persistent_id)
        assert _fields(ours) == _fields(theirs), persistent_id
    assert _fields(middleware._device_from_persistent_id(app.persistent_id)) == _fields(app)


def test_a_session_whose_device_is_gone_or_another_persons_must_prove_it_again(
    auditor_council, auditor_police
):
    mine = reverse("audit-mine")
    client = client_for(auditor_council)
    assert client.get(mine).status_code == 200
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = second_factor_for(auditor_police).persistent_id
    session.save()
    response = client.get(mine)
    assert response.status_code == 302 and "two-factor" in response["Location"]
    assert DEVICE_ID_SESSION_KEY not in client.session
    client = client_for(auditor_council)
    second_factor_for(auditor_council).delete()
    response = client.get(mine)
    assert response.status_code == 302 and "two-factor" in response["Location"]
