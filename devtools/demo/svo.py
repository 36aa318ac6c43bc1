"""Demo SVO content: an exercise in "DX基礎研修" and worksheets in every state.

``svo_demo_seed()`` is idempotent: the exercise is found by slug and a worksheet by (author,
exercise, fiscal year), so a second run creates nothing. Worksheets are written through the
same services staff and DX PROs use (save, submit, return with comments, approve), so they
carry versions, findings and reviews like real ones. Authors are colleagues in the 課 of the
demo DX PRO (employee number 9000005); the demo staff account (9000006) is left without a
worksheet so that the walkthrough starts from an empty one. The approved worksheet's first two
ideas become DX execution plans (one owned by its author, one by the DX PRO). All statements
are original.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from core.fiscal import fiscal_year_of
from courses.models import (
    CoursePage,
    DxPlan,
    PlanStatus,
    Quarter,
    ReviewDecision,
    SvoExercisePage,
    SvoWorksheet,
    WorksheetStatus,
)
from courses.plans.services import PlanStepData, plan_create
from courses.svo.services import (
    worksheet_for,
    worksheet_review_decide,
    worksheet_save,
    worksheet_submit,
)

from .courses import courses_seed
from .durations import course_minutes_sync

DX_PRO_NUMBER = "9000005"
STAFF_NUMBER = "9000006"

INSTRUCTIONS = (
    "<p>自分の仕事を「誰が（主語・役割）」「何を（目的語）」「どうする（述語）」の一文で書きます。"
    "一文に動作は一つだけ。個人名ではなく役割で書きます。</p>"
    "<p>次に、その仕事は何のためか（WHY）を、住民や組織にとっての成果で書きます。"
    "最後に、そのWHYのためにやり方をどう変えられるか（HOW）を考えます。</p>"
)
WORKED_EXAMPLE = (
    "<p><b>WHAT</b> 市民課窓口担当職員が / 住民票の写し交付申請書の本人確認欄と運転免許証を / "
    "照合する（紙、毎日、年12,000件、1件2分 → 年400時間）</p>"
    "<p><b>WHY</b> なりすましによる不正な交付を防ぎ、住民の個人情報を守るため（受益者：住民）</p>"
    "<p><b>HOW</b> マイナンバーカードの券面情報を読み取って照合する（デジタル化）→ 1件1分短縮</p>"
)


def _s(subject, verb, obj, purpose, **more):
    return {"subject": subject, "verb": verb, "object": obj, "purpose": purpose, **more}


STATEMENTS = {
    "draft": [
        _s("市民課窓口担当職員", "受け付ける", "住民票の写し交付申請書",
           "住民が必要な証明書を一度の来庁で受け取れるようにするため",
           medium="counter", frequency="daily", count_per_year=12000, minutes_per_case=3),
        _s("市民課窓口担当職員", "対応する", "証明書関係", "",
           medium="counter", frequency="daily"),
    ],
    "submitted": [
        _s("施設予約受付担当", "登録する", "公民館会議室の予約申込",
           "利用者が希望する日時に会議室を使えるようにするため",
           medium="phone", frequency="daily", count_per_year=3600, minutes_per_case=5,
           beneficiary="利用団体", idea="オンライン予約で利用者が直接登録する",
           idea_type="digitise", expected_effect="電話受付を年300時間削減"),
        _s("施設予約受付担当", "照合する", "予約申込と当日の利用者名簿",
           "予約していない団体による無断利用を防ぐため",
           medium="paper", frequency="daily", count_per_year=3600, minutes_per_case=2),
        _s("施設予約受付担当", "徴収し、領収書を発行する", "会議室使用料", "決まりだから",
           medium="counter", frequency="daily", count_per_year=3000, minutes_per_case=4),
    ],
    "returned": [
        _s("水道開栓受付担当", "入力する", "開栓申込書の使用開始日と検針番号",
           "引っ越してきた住民が入居日から水道を使えるようにするため",
           medium="system", frequency="daily", count_per_year=4800, minutes_per_case=6,
           beneficiary="転入者", idea="転入届の情報を開栓申込に引き継ぐ",
           idea_type="combine", expected_effect="二重記入をなくす"),
        _s("山田さん", "処理する", "開栓業務", "前任者から引き継いだため",
           medium="paper", frequency="daily"),
        _s("上下水道課業務係", "送付する", "給水開始のお知らせと口座振替依頼書",
           "使用者が料金の支払方法を早く選べるようにするため",
           medium="paper", frequency="weekly", count_per_year=4800, minutes_per_case=2),
    ],
    "approved": [
        _s("出張する職員", "作成する", "旅行命令簿",
           "出張の目的と日程を事前に上司が確認できるようにするため",
           medium="paper", frequency="monthly", count_per_year=24, minutes_per_case=20,
           beneficiary="所属長", idea="旅費システムの申請画面で作成する",
           idea_type="digitise", expected_effect="転記をなくし年6時間短縮"),
        _s("時間外勤務をする職員", "入力する", "勤怠システムの時間外勤務申請画面",
           "上司が事前に必要性を判断し、長時間労働を防ぐため",
           medium="system", frequency="weekly", count_per_year=80, minutes_per_case=3,
           beneficiary="職員", idea="紙の命令簿への押印をやめる",
           idea_type="eliminate", expected_effect="押印の待ち時間をなくす"),
        _s("会計課審査担当", "照合する", "旅費請求書の経路と運賃表",
           "過大な旅費の支払を防ぐため",
           medium="paper", frequency="daily", count_per_year=2400, minutes_per_case=5,
           idea="経路検索の結果を請求に添付する", idea_type="simplify",
           expected_effect="照合時間を半分に"),
    ],
}  # fmt: skip

RETURN_COMMENTS = {
    2: "主語は個人名ではなく役割で書きましょう。「処理する」では何をしているか分かりません。"
    "また「前任者から引き継いだため」は目的ではありません。この仕事がないと誰が困りますか。",
}


#: DX execution plans grown from the approved demo worksheet, by statement position.
PLANS = {
    1: {
        "title": "旅行命令簿を旅費システムの申請画面に一本化する",
        "purpose": "出張の目的と日程を上司が事前に確かめられる状態を保ったまま、紙への転記をなくす",
        "problem_events": "旅行命令簿を手書きした後、同じ内容を旅費システムに入力し直している\n"
        "押印のために上司の在席を待ち、出発前日に慌てて回付することがある",
        "kpi": "旅行命令の作成にかかる時間",
        "kpi_unit": "時間/年",
        "current_value": "8",
        "target_value": "2",
        "quarter": Quarter.Q2,
        "status": PlanStatus.IN_PROGRESS,
        "owner": "author",
        "steps": [
            ("旅費システムの申請画面で入力できる項目と命令簿の項目を突き合わせる", True),
            ("会計課と、紙の命令簿を廃止できるか規程を確認する", True),
            ("課内で1か月試行し、作成時間を記録する", False),
            ("試行結果を課長に報告し、全庁展開を提案する", False),
        ],
    },
    2: {
        "title": "時間外勤務の命令簿への押印をやめ、勤怠システムの承認に一本化する",
        "purpose": "上司が事前に必要性を判断できる仕組みを残しつつ、"
        "押印の待ち時間と二重管理をなくす",
        "problem_events": "勤怠システムで申請した後、紙の命令簿にも押印をもらっている\n"
        "月末に命令簿とシステムの記録を突き合わせる作業が発生している",
        "kpi": "命令簿とシステムの突合にかかる時間",
        "kpi_unit": "時間/年",
        "current_value": "12",
        "target_value": "0",
        "quarter": Quarter.Q4,
        "status": PlanStatus.DRAFT,
        "owner": "dx_pro",
        "steps": [
            ("人事課に紙の命令簿を残している理由を確認する", False),
            ("勤怠システムの承認記録で監査に対応できるか確認する", False),
            ("課内で押印を省略する試行を始める", False),
        ],
    },
}


def _plans(worksheet: SvoWorksheet, dx_pro) -> int:
    """Plans for the approved demo worksheet; skipped for ideas that already have one."""
    if worksheet.status != WorksheetStatus.APPROVED:
        return 0
    created = 0
    year = fiscal_year_of()
    for statement in worksheet.statements.filter(position__in=list(PLANS)):
        if DxPlan.objects.filter(statement=statement).exists():
            continue
        spec = PLANS[statement.position]
        owner = worksheet.user if spec["owner"] == "author" else dx_pro
        plan_create(
            worksheet_id=worksheet.pk,
            statement_id=statement.pk,
            by=owner,
            data={
                "title": spec["title"],
                "purpose": spec["purpose"],
                "problem_events": spec["problem_events"],
                "kpi": spec["kpi"],
                "kpi_unit": spec["kpi_unit"],
                "current_value": spec["current_value"],
                "target_value": spec["target_value"],
                "deadline_fiscal_year": year,
                "deadline_quarter": spec["quarter"],
                "owner": owner,
                "status": spec["status"],
            },
            steps=[PlanStepData(text, done) for text, done in spec["steps"]],
        )
        created += 1
    return created


def _exercise(course: CoursePage) -> SvoExercisePage:
    existing = SvoExercisePage.objects.child_of(course).filter(slug="svo-worksheet").first()
    if existing is not None:
        return existing
    page = SvoExercisePage(
        title="SVOワークシート：自分の仕事を書く",
        slug="svo-worksheet",
        instructions=INSTRUCTIONS,
        worked_example=WORKED_EXAMPLE,
        min_statements=2,
        max_statements=8,
    )
    course.add_child(instance=page)
    page.save_revision().publish()
    course_minutes_sync(course)  # the exercise adds to the course's stated minutes
    return SvoExercisePage.objects.get(pk=page.pk)


def _authors(dx_pro) -> list:
    """Colleagues under the DX PRO's 課 (not the DX PRO, not the demo staff account)."""
    User = get_user_model()
    unit = getattr(dx_pro, "unit", None)
    if unit is None:
        return []
    section = unit.get_parent() or unit
    unit_ids = [section.pk, *section.get_descendants().values_list("pk", flat=True)]
    return list(
        User.objects.filter(unit_id__in=unit_ids, is_active=True)
        .exclude(employee_number__in=[DX_PRO_NUMBER, STAFF_NUMBER])
        .order_by("employee_number")[:4]
    )


def _write(author, exercise, state: str, dx_pro) -> SvoWorksheet:
    worksheet = worksheet_for(user=author, exercise=exercise)
    statements = STATEMENTS[state]
    worksheet = worksheet_save(
        worksheet_id=worksheet.pk,
        user=author,
        lock_version=worksheet.lock_version,
        statements=statements,
    )
    if state == "draft":
        return worksheet
    worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
    if state == "submitted":
        return worksheet
    ids = list(worksheet.statements.values_list("pk", flat=True))
    if state == "returned":
        worksheet_review_decide(
            worksheet_id=worksheet.pk,
            reviewer=dx_pro,
            decision=ReviewDecision.RETURNED,
            version=worksheet.version,
            comment="1つ目と3つ目はよく書けています。2つ目を直して再提出してください。",
            statement_comments={ids[n - 1]: text for n, text in RETURN_COMMENTS.items()},
        )
    else:
        worksheet_review_decide(
            worksheet_id=worksheet.pk,
            reviewer=dx_pro,
            decision=ReviewDecision.APPROVED,
            version=worksheet.version,
            comment="どの文も役割・動作・対象が具体的で、WHYとHOWがつながっています。",
        )
    return worksheet


def svo_demo_seed() -> dict:
    """Add the SVO exercise to DX基礎研修 and demo worksheets (draft, submitted, returned,
    approved) by colleagues of the demo DX PRO. Returns what exists afterwards."""
    courses_seed()
    course = CoursePage.objects.get(slug="dx-basics")
    with transaction.atomic():
        exercise = _exercise(course)
    User = get_user_model()
    dx_pro = User.objects.filter(employee_number=DX_PRO_NUMBER).first()
    created: dict[str, int] = {}
    plans_created = 0
    if dx_pro is not None:
        year = fiscal_year_of()
        for author, state in zip(_authors(dx_pro), STATEMENTS, strict=False):
            if SvoWorksheet.objects.filter(
                user=author, exercise=exercise, fiscal_year=year
            ).exists():
                continue
            with transaction.atomic():
                created[state] = _write(author, exercise, state, dx_pro).pk
        approved = SvoWorksheet.objects.filter(
            exercise=exercise,
            fiscal_year=year,
            status=WorksheetStatus.APPROVED,
            user__employee_number__in=[a.employee_number for a in _authors(dx_pro)],
        ).first()
        if approved is not None:
            with transaction.atomic():
                plans_created = _plans(approved, dx_pro)
    return {
        "exercise": exercise,
        "created": created,
        "worksheets": SvoWorksheet.objects.filter(exercise=exercise).count(),
        "plans": DxPlan.objects.filter(worksheet__exercise=exercise).count(),
        "plans_created": plans_created,
    }
