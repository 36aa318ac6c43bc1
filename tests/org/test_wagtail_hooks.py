"""HR appoints DX PROs in the Wagtail admin; staff cannot get in."""

import pytest
from django.urls import reverse

from core.fiscal import current_fiscal_year
from org.models import DxProAssignment, RoleGroup
from tests.factories import UserFactory, make_org_tree

pytestmark = pytest.mark.django_db


def test_hr_appoints_a_dx_pro(client):
    units = make_org_tree()
    hr = UserFactory(groups=[RoleGroup.HR], unit=units["jinji_kakari"])
    leader = UserFactory(unit=units["madoguchi"])
    client.force_login(hr)
    listing = client.get(reverse("wagtailsnippets_org_dxproassignment:list"))
    assert listing.status_code == 200
    response = client.post(
        reverse("wagtailsnippets_org_dxproassignment:add"),
        {"user": leader.pk, "unit": units["shimin_ka"].pk, "fiscal_year": current_fiscal_year()},
    )
    assert response.status_code == 302
    assert DxProAssignment.objects.filter(user=leader, unit=units["shimin_ka"]).exists()


def test_editors_cannot_appoint(client):
    editor = UserFactory(groups=[RoleGroup.EDITORS])
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_org_dxproassignment:list"))
    assert response.status_code in (302, 403)
