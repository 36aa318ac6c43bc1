"""An outside sign-in names a roster person, or is refused with a reason and an audit entry."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from lms.accounts.matching import Refusal, SignInRefused, person_for_sign_in, refusal_response
from lms.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return UserFactory(employee_number="A01234", email="hanako@city.example.jp", from_roster=True)


def refused(**claims) -> SignInRefused:
    claims.setdefault("source", "oidc")
    with pytest.raises(SignInRefused) as caught:
        person_for_sign_in(**claims)
    return caught.value


@pytest.mark.parametrize("number", ["A01234", "a01234", "Ａ０１２３４", " A01234 "])
def test_the_number_is_spelt_as_the_roster_spells_it(clerk, number):
    assert person_for_sign_in(source="oidc", employee_number=number) == clerk
    assert not AuditEvent.objects.exists()


def test_a_number_not_on_the_roster_is_refused_and_recorded(clerk):
    users = User.objects.count()
    assert refused(employee_number="999999").reason == Refusal.UNKNOWN
    assert User.objects.count() == users
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.SIGN_IN_REFUSED
    assert event.details == {"reason": "unknown", "source": "oidc"}
    assert event.actor is None and event.target_id == ""


def test_an_account_the_roster_did_not_bring_is_not_matched():
    UserFactory(employee_number="900001", from_roster=False)
    assert refused(employee_number="900001").reason == Refusal.UNKNOWN


def test_a_person_who_left_is_refused_with_their_record_named(clerk):
    clerk.is_active = False
    clerk.save()
    assert refused(employee_number="A01234", source="ldap").reason == Refusal.INACTIVE
    event = AuditEvent.objects.get()
    assert (event.target_id, event.unit_id) == (str(clerk.pk), clerk.unit_id)
    assert event.details["source"] == "ldap"


def test_a_missing_claim_is_refused(clerk):
    assert refused(employee_number=None).reason == Refusal.MISSING_CLAIM
    assert refused(employee_number="  ").reason == Refusal.MISSING_CLAIM


def test_the_email_is_used_only_when_the_city_says_so(clerk):
    assert refused(employee_number=None, email="hanako@city.example.jp", email_verified=True)
    found = person_for_sign_in(
        source="oidc",
        employee_number=None,
        email="HANAKO@city.example.jp",
        email_verified=True,
        match_email=True,
    )
    assert found == clerk


def test_an_unverified_email_is_refused(clerk):
    error = refused(
        employee_number=None, email="hanako@city.example.jp", email_verified=False, match_email=True
    )
    assert error.reason == Refusal.EMAIL_UNVERIFIED


def test_the_number_decides_before_the_email(clerk):
    other = UserFactory(employee_number="B00001", email="other@city.example.jp", from_roster=True)
    found = person_for_sign_in(
        source="oidc",
        employee_number="B00001",
        email="hanako@city.example.jp",
        email_verified=True,
        match_email=True,
    )
    assert found == other


def test_the_refusal_page_says_what_to_do_and_whom_to_ask(settings):
    settings.TRAINING_CONTACT = "人事課 研修担当（内線 1234）"
    request = RequestFactory().get("/")
    request.user = None
    with translation.override("ja"):
        response = refusal_response(request, SignInRefused(Refusal.INACTIVE))
    text = response.content.decode()
    assert response.status_code == 403
    assert "このアカウントは現在無効です" in text
    assert "人事課に依頼してください" in text
    assert "問い合わせ先：人事課 研修担当（内線 1234）" in text
