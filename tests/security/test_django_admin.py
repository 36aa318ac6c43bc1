"""Every list in the Django admin opens for a superuser (review F10: the org unit list was
a 500, ``TemplateDoesNotExist: admin/tree_change_list.html``)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories.lms import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
)


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", CHANGELISTS)
def test_every_changelist_answers_200(client, superuser, name):
    department = OrgUnitFactory.create(name="総務部")
    UserFactory(unit=OrgUnitFactory.create(name="人事課", parent=department))
    response = client.get(reverse(name))
    assert response.status_code == 200, name


def test_the_org_unit_list_shows_the_tree(client, superuser):
    OrgUnitFactory.create(name="総務部テスト")
    response = client.get(reverse("admin:org_orgunit_changelist"))
    assert response.status_code == 200
    assert "総務部テスト" in response.text
