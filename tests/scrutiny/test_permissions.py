"""One agency's people cannot reach another agency's objects by changing an id."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scrutiny import permissions
from tests.conftest import client_for


@pytest.mark.django_db
class TestAgencyIsolation:
    def test_auditor_sees_own_agency_page(self, auditor_council, council):
        response = client_for(auditor_council).get(reverse("agency-detail", args=[council.pk]))
        assert response.status_code == 200
        assert "Fernhill Council" in response.content.decode()

    def test_auditor_cannot_open_another_agency_by_id(self, auditor_council, police):
        response = client_for(auditor_council).get(reverse("agency-detail", args=[police.pk]))
        assert response.status_code == 404
        assert "Fernhill Police" not in response.content.decode()

    def test_auditor_cannot_read_another_agency_through_the_api(self, auditor_council, police):
        response = client_for(auditor_council).get(reverse("api-agency-detail", args=[police.pk]))
        assert response.status_code == 404

    def test_api_list_holds_only_own_agency(self, auditor_council, council, police):
        response = client_for(auditor_council).get(reverse("api-agency-list"))
        assert [a["code"] for a in response.json()] == ["FHC"]

    def test_business_unit_and_scrutineer_see_every_agency(
        self, business_unit, scrutineer, council, police
    ):
        for user in (business_unit, scrutineer):
            codes = [a["code"] for a in client_for(user).get(reverse("api-agency-list")).json()]
            assert codes == ["FHC", "POL"]

    def test_board_member_sees_no_agency_pages(self, board_member, council):
        response = client_for(board_member).get(reverse("agency-detail", args=[council.pk]))
        assert response.status_code == 404

    def test_agency_lead_sees_own_people_but_auditor_does_not(
        self, agency_lead, auditor_council, council
    ):
        url = reverse("agency-detail", args=[council.pk])
        assert "sam@fernhill.invalid" in client_for(agency_lead).get(url).content.decode()
        assert "kit@fernhill.invalid" not in client_for(auditor_council).get(url).content.decode()

    def test_anonymous_is_sent_to_sign_in(self, client, council):
        response = client.get(reverse("agency-detail", args=[council.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_anonymous_api_is_refused(self, client, council):
        response = client.get(reverse("api-agency-list"))
        assert response.status_code in (401, 403)


@pytest.mark.django_db
def test_roles_decide_partnership_management(
    business_unit, scrutineer, auditor_council, board_member, practitioner
):
    assert permissions.can_manage_partnership(business_unit)
    for user in (scrutineer, auditor_council, board_member, practitioner):
        assert not permissions.can_manage_partnership(user)


@pytest.mark.django_db
def test_an_inactive_account_has_no_rights(business_unit):
    business_unit.is_active = False
    assert not permissions.can_manage_partnership(business_unit)
    assert not permissions.agencies_visible_to(business_unit).exists()


@pytest.mark.django_db
def test_agency_list_query_count_stays_flat(business_unit, partnership, django_assert_num_queries):
    from tests.factories import AgencyFactory

    client = client_for(business_unit)
    AgencyFactory(partnership=partnership)
    client.get(reverse("agency-list"))  # warm the session
    # The session, the person, the device that proved their second factor, the agencies.
    with django_assert_num_queries(5) as few:
        client.get(reverse("agency-list"))
    AgencyFactory.create_batch(20, partnership=partnership)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("agency-list"))
    assert response.content.decode().count("/agencies/") >= 21
