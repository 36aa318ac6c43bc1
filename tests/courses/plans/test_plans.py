"""DX execution plans: created from an approved worksheet's idea, edited by the author and
the unit's DX PRO, seen by the DX office; the list's filters, counts and query count."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.fiscal import fiscal_year_of
from courses.models import DxPlan, PlanStatus, ReviewDecision
from courses.plans.selectors import can_create_plan, can_edit_plan, owner_choices, visible_plans
from courses.plans.services import PlanConflict, PlanStepData, plan_create, plan_update
from courses.plans.wording import work_phrase
from courses.svo.services import (
    worksheet_for,
    worksheet_review_decide,
    worksheet_save,
    worksheet_submit,
)
from org.models import RoleGroup
from tests.factories import (
    GOOD_STATEMENT,
    DxProAssignmentFactory,
    UserFactory,
    make_course,
    make_org_tree,
    make_svo_exercise,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    tree = make_org_tree()
    course = make_course(lessons=1)["course"]
    exercise = make_svo_exercise(course, min_statements=1)
    dx_pro = UserFactory(unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"], fiscal_year=fiscal_year_of())
    other_pro = UserFactory(unit=tree["jinji_kakari"])
    DxProAssignmentFactory(user=other_pro, unit=tree["jinji"], fiscal_year=fiscal_year_of())
    return {
        "tree": tree,
        "exercise": exercise,
        "dx_pro": dx_pro,
        "other_pro": other_pro,
        "hr": UserFactory(unit=tree["jinji_kakari"], groups=[RoleGroup.HR]),
        "colleague": UserFactory(unit=tree["madoguchi"]),
    }


def worksheet_in(state, author, exercise, reviewer, statements=None):
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet_save(
        worksheet_id=worksheet.pk,
        user=author,
        lock_version=worksheet.lock_version,
        statements=statements or [GOOD_STATEMENT, {**GOOD_STATEMENT, "idea": ""}],
    )
    worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
    if state == "approved":
        worksheet_review_decide(
            worksheet_id=worksheet.pk,
            reviewer=reviewer,
            decision=ReviewDecision.APPROVED,
            version=worksheet.version,
        )
        worksheet.refresh_from_db()
    return worksheet


def plan_data(owner, **more):
    return {
        "title": "証明書の本人確認をカード読取にする",
        "purpose": "なりすましを防ぎつつ窓口の待ち時間を減らす",
        "problem_events": "繁忙期に照合待ちの列ができる",
        "kpi": "照合にかかる時間",
        "kpi_unit": "時間/年",
        "current_value": Decimal("400"),
        "target_value": Decimal("200"),
        "deadline_fiscal_year": fiscal_year_of() + 1,
        "deadline_quarter": 2,
        "owner": owner,
        "status": PlanStatus.DRAFT,
        **more,
    }


def form_post(owner, *, steps=("カード読取機の見積を取る", "窓口で試行する"), **more):
    data = {
        "title": "証明書の本人確認をカード読取にする",
        "purpose": "なりすましを防ぎつつ窓口の待ち時間を減らす",
        "problem_events": "繁忙期に照合待ちの列ができる",
        "kpi": "照合にかかる時間",
        "kpi_unit": "時間/年",
        "current_value": "400",
        "target_value": "200",
        "deadline_fiscal_year": str(fiscal_year_of() + 1),
        "deadline_quarter": "2",
        "owner": str(owner.pk),
        "status": "draft",
        "steps-TOTAL_FORMS": str(len(steps) + 1),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
    }
    for index, text in enumerate(steps):
        data[f"steps-{index}-text"] = text
        data[f"steps-{index}-ORDER"] = str(index + 1)
    data.update(more)
    return data


@pytest.fixture
def approved(city):
    author = UserFactory(unit=city["tree"]["madoguchi"])
    worksheet = worksheet_in("approved", author, city["exercise"], city["dx_pro"])
    idea, no_idea = list(worksheet.statements.all())
    return {"author": author, "worksheet": worksheet, "idea": idea, "no_idea": no_idea}


# --- services ---------------------------------------------------------------------------------


def test_one_idea_becomes_one_plan_with_ordered_steps(approved):
    worksheet, idea = approved["worksheet"], approved["idea"]
    plan = plan_create(
        worksheet_id=worksheet.pk,
        statement_id=idea.pk,
        by=approved["author"],
        data=plan_data(approved["author"]),
        steps=[PlanStepData("見積"), PlanStepData("  "), PlanStepData("試行", done=True)],
    )
    assert plan.source_idea == GOOD_STATEMENT["idea"]
    assert [(s.position, s.text, s.done) for s in plan.steps.all()] == [
        (1, "見積", False),
        (2, "試行", True),
    ]
    with pytest.raises(ValidationError, match="already has a plan"):
        plan_create(
            worksheet_id=worksheet.pk,
            statement_id=idea.pk,
            by=approved["author"],
            data=plan_data(approved["author"]),
            steps=[PlanStepData("x")],
        )
    assert DxPlan.objects.count() == 1


def test_no_plan_from_an_unapproved_worksheet_a_statement_without_idea_or_without_steps(
    city, approved
):
    submitted = worksheet_in(
        "submitted", UserFactory(unit=city["tree"]["madoguchi"]), city["exercise"], None
    )
    author = approved["author"]
    cases = [
        (submitted.pk, submitted.statements.first().pk, [PlanStepData("a")], "approved"),
        (approved["worksheet"].pk, approved["no_idea"].pk, [PlanStepData("a")], "no improvement"),
        (
            approved["worksheet"].pk,
            submitted.statements.first().pk,
            [PlanStepData("a")],
            "not part",
        ),
        (approved["worksheet"].pk, approved["idea"].pk, [PlanStepData(" ")], "at least one step"),
    ]
    for worksheet_id, statement_id, steps, message in cases:
        with pytest.raises(ValidationError, match=message):
            plan_create(
                worksheet_id=worksheet_id,
                statement_id=statement_id,
                by=city["dx_pro"],  # who may plan for both authors
                data=plan_data(author),
                steps=steps,
            )
    with pytest.raises(ValidationError, match="differ"):
        plan_create(
            worksheet_id=approved["worksheet"].pk,
            statement_id=approved["idea"].pk,
            by=author,
            data=plan_data(author, target_value=Decimal("400")),
            steps=[PlanStepData("a")],
        )
    assert not DxPlan.objects.exists()


def test_an_edit_from_a_stale_copy_is_refused(approved):
    author = approved["author"]
    plan = plan_create(
        worksheet_id=approved["worksheet"].pk,
        statement_id=approved["idea"].pk,
        by=author,
        data=plan_data(author),
        steps=[PlanStepData("見積")],
    )
    plan_update(
        plan_id=plan.pk,
        by=author,
        lock_version=0,
        data=plan_data(author, status=PlanStatus.IN_PROGRESS),
        steps=[PlanStepData("見積", done=True), PlanStepData("試行")],
    )
    with pytest.raises(PlanConflict):
        plan_update(
            plan_id=plan.pk,
            by=author,
            lock_version=0,
            data=plan_data(author, status=PlanStatus.ON_HOLD),
            steps=[PlanStepData("別の案")],
        )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    assert [s.text for s in plan.steps.all()] == ["見積", "試行"]


# --- permissions ------------------------------------------------------------------------------


def test_who_may_create_see_and_edit(city, approved):
    worksheet, author = approved["worksheet"], approved["author"]
    plan = plan_create(
        worksheet_id=worksheet.pk,
        statement_id=approved["idea"].pk,
        by=author,
        data=plan_data(author),
        steps=[PlanStepData("見積")],
    )
    expected = {
        "author": (True, True, True),
        "dx_pro": (True, True, True),
        "other_pro": (False, False, False),
        "hr": (False, True, False),
        "colleague": (False, False, False),
    }
    for who, (create, see, edit) in expected.items():
        user = author if who == "author" else city[who]
        assert can_create_plan(user, worksheet) is create, who
        assert visible_plans(user).filter(pk=plan.pk).exists() is see, who
        assert can_edit_plan(user, plan) is edit, who
    assert set(owner_choices(worksheet)) == {author, city["dx_pro"]}


def test_views_enforce_the_same_rules(client, city, approved):
    worksheet, idea, author = approved["worksheet"], approved["idea"], approved["author"]
    new_url = reverse("courses:plan_new", args=[worksheet.pk, idea.pk])
    for outsider in (city["other_pro"], city["colleague"], city["hr"]):
        client.force_login(outsider)
        assert client.get(new_url).status_code == 404
        assert client.post(new_url, form_post(author)).status_code == 404
    assert not DxPlan.objects.exists()

    client.force_login(city["dx_pro"])
    response = client.post(new_url, form_post(city["dx_pro"]))
    plan = DxPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:plan_detail", args=[plan.pk])
    assert plan.owner == city["dx_pro"] and plan.created_by == city["dx_pro"]
    assert [s.text for s in plan.steps.all()] == ["カード読取機の見積を取る", "窓口で試行する"]

    detail = reverse("courses:plan_detail", args=[plan.pk])
    edit = reverse("courses:plan_edit", args=[plan.pk])
    for outsider in (city["other_pro"], city["colleague"]):
        client.force_login(outsider)
        assert client.get(detail).status_code == 404
        assert client.get(edit).status_code == 404
    client.force_login(city["hr"])
    assert client.get(detail).status_code == 200
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_post(author, lock_version="0")).status_code == 403

    client.force_login(author)
    response = client.post(
        edit,
        form_post(
            author,
            steps=("窓口で試行する", "カード読取機の見積を取る"),
            status="in_progress",
            lock_version="0",
            **{"steps-0-ORDER": "2", "steps-1-ORDER": "1", "steps-1-done": "on"},
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS and plan.owner == author
    assert [(s.text, s.done) for s in plan.steps.all()] == [
        ("カード読取機の見積を取る", True),
        ("窓口で試行する", False),
    ]
    # The idea now links to its plan instead of offering a new one.
    assert client.get(new_url).status_code == 302


def test_a_bad_form_says_what_is_wrong_and_changes_nothing(client, city, approved):
    client.cookies["django_language"] = "en"
    client.force_login(approved["author"])
    url = reverse("courses:plan_new", args=[approved["worksheet"].pk, approved["idea"].pk])
    response = client.post(
        url,
        form_post(
            city["other_pro"],  # not an owner this plan can have
            steps=(),
            target_value="400",
            current_value="400",
            deadline_quarter="5",
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The target value must differ from the current value." in text
    assert "Add at least one step." in text
    assert 'href="#id_owner"' in text and 'href="#id_deadline_quarter"' in text
    assert not DxPlan.objects.exists()


def test_a_stale_edit_form_is_told_not_applied(client, city, approved):
    client.cookies["django_language"] = "en"
    author = approved["author"]
    plan = plan_create(
        worksheet_id=approved["worksheet"].pk,
        statement_id=approved["idea"].pk,
        by=author,
        data=plan_data(author),
        steps=[PlanStepData("見積")],
    )
    plan_update(
        plan_id=plan.pk, by=city["dx_pro"], lock_version=0, data={}, steps=[PlanStepData("見積")]
    )
    client.force_login(author)
    response = client.post(
        reverse("courses:plan_edit", args=[plan.pk]),
        form_post(author, status="done", lock_version="0"),
    )
    assert response.status_code == 400
    assert "Someone else changed this plan" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


# --- the list ---------------------------------------------------------------------------------


def _plans_for(city, count, unit, status=PlanStatus.DRAFT):
    plans = []
    for _ in range(count):
        author = UserFactory(unit=unit)
        reviewer = (
            city["dx_pro"]
            if unit.path.startswith(city["tree"]["shimin_ka"].path)
            else city["other_pro"]
        )
        worksheet = worksheet_in("approved", author, city["exercise"], reviewer)
        plans.append(
            plan_create(
                worksheet_id=worksheet.pk,
                statement_id=worksheet.statements.first().pk,
                by=author,
                data=plan_data(author, status=status),
                steps=[PlanStepData("見積"), PlanStepData("試行", done=True)],
            )
        )
    return plans


def test_the_list_scopes_counts_filters_and_keeps_its_query_count(
    client, city, django_assert_max_num_queries
):
    tree = city["tree"]
    _plans_for(city, 2, tree["madoguchi"])
    _plans_for(city, 1, tree["madoguchi"], PlanStatus.IN_PROGRESS)
    _plans_for(city, 1, tree["kyuyo_kakari"], PlanStatus.DONE)
    url = reverse("courses:plan_list")

    client.force_login(city["dx_pro"])
    data = client.get(url).context["plans"]
    assert data.total == 3
    assert {v: n for v, _l, n in data.status_counts} == {
        "draft": 2, "in_progress": 1, "done": 0, "on_hold": 0
    }  # fmt: skip
    data = client.get(url, {"status": "in_progress"}).context["plans"]
    assert len(data.page.object_list) == 1 and data.total == 3
    assert data.page.object_list[0].steps_done == 1 and data.page.object_list[0].steps_total == 2

    client.force_login(city["hr"])
    data = client.get(url).context["plans"]
    assert data.total == 4
    assert [u.name for u in data.units] == [
        "総務部",
        "人事課",
        "給与係",
        "市民部",
        "市民課",
        "窓口係",
    ]
    data = client.get(url, {"unit": tree["jinji"].pk}).context["plans"]
    assert data.total == 1 and data.page.object_list[0].status == PlanStatus.DONE

    client.force_login(city["colleague"])
    assert client.get(url).context["plans"].total == 0

    client.force_login(city["hr"])
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    _plans_for(city, 4, tree["madoguchi"], PlanStatus.ON_HOLD)
    _plans_for(city, 2, tree["kyuyo_kakari"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["plans"].total == 10


def test_the_list_is_paginated(client, city, monkeypatch):
    monkeypatch.setattr("courses.plans.selectors.PLANS_PER_PAGE", 2)
    _plans_for(city, 3, city["tree"]["madoguchi"])
    client.force_login(city["dx_pro"])
    first = client.get(reverse("courses:plan_list"))
    assert len(first.context["plans"].page.object_list) == 2
    second = client.get(reverse("courses:plan_list"), {"page": 2})
    assert len(second.context["plans"].page.object_list) == 1
    assert 'rel="prev"' in second.content.decode()


def test_the_owner_finds_their_own_plans_at_plans(client, city, approved):
    """(c): staff who made a plan from their approved idea found 「0件の計画」 at /plans/."""
    author = approved["author"]
    plan_create(
        worksheet_id=approved["worksheet"].pk,
        statement_id=approved["idea"].pk,
        by=author,
        data=plan_data(author),
        steps=[PlanStepData("見積を取る", False)],
    )
    client.force_login(author)
    page = client.get(reverse("courses:plan_list")).text
    assert "証明書の本人確認をカード読取にする" in page
    home = client.get(reverse("lms:my_training")).text
    assert f'href="{reverse("courses:plan_list")}"' in home  # a way back to them


# --- the prefilled KPI --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "obj", "phrase"),
    [
        ("登録する", "公民館会議室の予約申込", "公民館会議室の予約申込の登録"),
        ("チェックする", "申請書の記入漏れ", "申請書の記入漏れのチェック"),
        ("受け付ける", "住民票の写し交付申請書", "住民票の写し交付申請書を受け付ける作業"),
        ("徴収し、領収書を発行する", "会議室使用料", "会議室使用料を徴収し、領収書を発行する作業"),
        ("照合する", "", "照合"),
    ],
)
def test_the_work_of_a_statement_reads_as_a_phrase(verb, obj, phrase):
    assert work_phrase(verb=verb, obj=obj) == phrase


def test_a_new_plan_is_prefilled_with_a_kpi_that_reads_as_a_sentence(client, city, approved):
    """The review saw 「年間作業時間：施設予約受付担当 公民館会議室の予約申込 登録する」."""
    client.force_login(approved["author"])
    url = reverse("courses:plan_new", args=[approved["worksheet"].pk, approved["idea"].pk])
    response = client.get(url)
    kpi = "住民票の写し交付申請書の本人確認欄と運転免許証の照合にかかる年間作業時間"
    assert response.context["form"].initial["kpi"] == kpi
    assert f'value="{kpi}"' in response.text
    assert GOOD_STATEMENT["subject"] not in response.context["form"].initial["kpi"]


def test_progress_is_a_bar_with_its_figures_in_words(client, city):
    """(Charts): the list showed only 「1 / 2」; now a bar beside it, and one on the plan."""
    plan = _plans_for(city, 1, city["tree"]["madoguchi"])[0]  # 2 steps, 1 done
    client.force_login(city["dx_pro"])
    page = client.get(reverse("courses:plan_list")).text
    row = page.split(f'href="{reverse("courses:plan_detail", args=[plan.pk])}"', 1)[1]
    row = row.split("</tr>", 1)[0]
    assert (
        f'<meter min="0" max="2" value="1" aria-label="{plan.title}の完了した手順">1 / 2</meter>'
        " 1 / 2" in row
    )
    detail = client.get(reverse("courses:plan_detail", args=[plan.pk])).text
    assert '<meter min="0" max="2" value="1" aria-labelledby="steps-h">' in detail
    assert "全2手順のうち1手順が完了" in detail
