"""Property tests of the SVO worksheet editor: any autosave body or form post gets an
answer (never a server error), a clear message when refused, and nothing written then."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import SvoStatement, SvoWorksheet
from tests.factories import UserFactory, make_course
from tests.factories.svo import make_svo_exercise, make_worksheet

pytestmark = pytest.mark.django_db
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

FIELDS = [
    "id", "subject", "verb", "object", "medium", "frequency", "count_per_year",
    "minutes_per_case", "purpose", "beneficiary", "idea", "idea_type", "expected_effect",
]  # fmt: skip
text = st.text(max_size=30)
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text,
    st.sampled_from(["1e400", "-1", "99999999999", "<script>alert(1)</script>", "\x00"]),
)  # fmt: skip
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
statement = st.dictionaries(st.sampled_from(FIELDS), json_value, max_size=8)
body = st.one_of(
    st.fixed_dictionaries(
        {"lock_version": json_value, "statements": st.lists(statement, max_size=4)}
    ),
    json_value,
)


@pytest.fixture
def worksheet(client):
    author = UserFactory()
    client.force_login(author)
    client.cookies["django_language"] = "en"
    exercise = make_svo_exercise(make_course(lessons=1)["course"], max_statements=3)
    return make_worksheet(author, exercise, statements=1)


def _state(worksheet: SvoWorksheet):
    worksheet.refresh_from_db()
    rows = SvoStatement.objects.filter(worksheet=worksheet).order_by("pk")
    return worksheet.lock_version, list(rows.values())


@PROPERTY
@given(payload=body, raw=st.booleans(), junk=st.binary(max_size=30))
def test_any_autosave_body_is_answered_and_a_refusal_writes_nothing(
    client, worksheet, payload, raw, junk
):
    url = reverse("courses:svo_autosave", args=[worksheet.pk])
    before = _state(worksheet)
    data = junk if raw else json.dumps(payload)
    response = client.post(url, data, content_type="application/json")
    assert response.status_code in (200, 400, 409), response.status_code
    answer = response.json()
    if response.status_code == 200:
        assert answer["lock_version"] == before[0] + 1
    else:
        assert answer["error"].strip()
        assert _state(worksheet) == before


@PROPERTY
@given(
    rows=st.lists(st.dictionaries(st.sampled_from(FIELDS), text, max_size=8), max_size=4),
    count=st.one_of(st.integers(-2, 9), text),
    lock=st.one_of(st.integers(-1, 5), text),
    action=st.sampled_from(["save", "submit", "up-0", "down-1", "remove-2", "up-x", "", "bogus"]),
)
def test_any_form_post_is_answered_and_never_a_server_error(
    client, worksheet, rows, count, lock, action
):
    data = {"rows": count, "lock_version": lock, "action": action}
    for index, row in enumerate(rows):
        data.update({f"s-{index}-{name}": value for name, value in row.items()})
    response = client.post(reverse("courses:svo_worksheet", args=[worksheet.exercise_id]), data)
    assert response.status_code in (200, 302, 400, 409), response.status_code


@pytest.mark.parametrize(
    "payload",
    [
        '{"lock_version": Infinity, "statements": []}',
        '{"lock_version": 1e400, "statements": []}',
        json.dumps({"lock_version": 0, "statements": [{"subject": "係\x00員"}]}),
        json.dumps({"lock_version": 0, "statements": [{"medium": ["paper"]}]}),
        json.dumps({"lock_version": 0, "statements": [{"count_per_year": 1e400}]}),
    ],
)
def test_edge_bodies_are_answered(client, worksheet, payload):
    url = reverse("courses:svo_autosave", args=[worksheet.pk])
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code in (200, 400), response.status_code


# --- B4: what a person types into a number field is kept or reported, never dropped --------

typed_number = st.one_of(
    st.text(alphabet="0123456789０１２３４５６７８９,，.． 　-+abc一千万e", max_size=14),
    st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){0,2}(\.[0-9]{0,2})?", fullmatch=True),
    st.text(max_size=10),
)


@PROPERTY
@given(typed=typed_number, name=st.sampled_from(["count_per_year", "minutes_per_case"]))
def test_any_typed_number_is_kept_normalised_or_reported(client, worksheet, typed, name):
    import unicodedata

    url = reverse("courses:svo_autosave", args=[worksheet.pk])
    worksheet.refresh_from_db()
    before = _state(worksheet)
    statement = SvoStatement.objects.get(worksheet=worksheet)
    body = {
        "lock_version": worksheet.lock_version,
        "statements": [{"id": statement.pk, "subject": statement.subject, name: typed}],
    }
    response = client.post(url, json.dumps(body), content_type="application/json")
    answer = response.json()
    plain = "".join(unicodedata.normalize("NFKC", typed).split())
    if response.status_code == 200:
        kept = getattr(SvoStatement.objects.get(pk=statement.pk), name)
        if not plain:
            assert kept is None
        elif name == "minutes_per_case":  # minutes may be decimal or words (1時間半)
            assert kept is not None and kept >= 0, typed
            if "時間" not in plain and "分" not in plain:
                assert Decimal(plain.replace(",", "")) == kept
        else:  # the same number, written without separators or a zero fraction
            whole, _point, fraction = plain.replace(",", "").partition(".")
            assert kept is not None, typed
            assert whole.isdigit() and whole.isascii() and int(whole) == kept
            assert set(fraction) <= {"0"}
    else:
        assert response.status_code == 400, response.status_code
        assert [(e["row"], e["field"]) for e in answer["field_errors"]] == [(0, name)]
        assert answer["field_errors"][0]["message"].strip()
        assert _state(worksheet) == before
