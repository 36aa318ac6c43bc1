"""Demo data of the surveys: the questionnaire after DX基礎研修 with answers, and a few years
of digital-maturity self-assessments per department.

Called by ``seed_demo`` after the training demo (it needs the completions). Idempotent: the
questionnaire is made once, answers only where there are none for the year, assessments only
for department-years without one. Bulk writes, so a few dozen queries whatever the staff size.
"""

from __future__ import annotations

import random

from django.db import transaction

from core.fiscal import current_fiscal_year
from courses.models import CoursePage
from lms.models import Enrollment, EnrollmentStatus
from org.models import OrgUnit, OrgUnitKind
from surveys.models import (
    ItemKind,
    MaturityAssessment,
    Questionnaire,
    QuestionnaireItem,
    SurveyAnswer,
    SurveyResponse,
)

COURSE_TITLE = "DX基礎研修"
QUESTIONNAIRE_TITLE = "DX基礎研修 受講後アンケート"
# The page itself says that answering is optional and that answers are counted per department
# without names; an introduction that says it again prints it twice (B19).
INTRO = (
    "研修おつかれさまでした。"
    "今後の研修と職場での取組の参考にするため、率直なご意見をお聞かせください。"
)
ITEMS = [
    ("DXはシステム導入ではなく、仕事のやり方の見直しだと理解できた", ItemKind.LIKERT, True),
    ("自分の担当業務で、小さなことから見直しを始めてみたい", ItemKind.LIKERT, True),
    ("職場で「なぜこの手順なのか」と質問しやすい雰囲気がある", ItemKind.LIKERT, False),
    ("研修の分量と所要時間は適切だった", ItemKind.LIKERT, False),
    ("職場で最初に見直してみたい業務は何ですか", ItemKind.TEXT, False),
    ("研修への意見・要望があればお書きください", ItemKind.TEXT, False),
]
FIRST_STEPS = [
    "窓口で受け取る申請書の記入例を見直し、書き直しの件数を減らしたい。",
    "毎月手作業で集計している実績表を、共有の表計算ファイルにまとめたい。",
    "同じ内容を紙と電子で二重に記録している作業をやめられないか確認したい。",
    "電話で受けている問い合わせのうち、よくある質問をホームページに載せたい。",
    "会議資料の印刷をやめ、画面共有で済ませられないか係で話し合いたい。",
    "決裁の回付に時間がかかる書類を洗い出し、電子決裁に移せるか調べたい。",
    "現場から持ち帰った写真の整理方法を統一して、探す時間を減らしたい。",
    "住民への通知文の作成手順を主語・述語・目的語で書き出してみたい。",
]
COMMENTS = [
    "動画が短く区切られていて、業務の合間にも進めやすかった。",
    "SVOの書き方の例がもっとあると、自分の業務に当てはめやすいと思う。",
    "係のメンバーと一緒に受講して、話し合う時間があるとよい。",
    "小テストの解説が分かりやすかった。",
    "繁忙期と重なったので、期限にもう少し余裕がほしい。",
    "他の自治体や他の課の取組事例をもっと知りたい。",
]

#: Levels of the oldest assessed year per axis, before a department's own variation.
START_LEVELS = (2, 1, 1, 2)
ASSESSED_YEARS = 4


@transaction.atomic
def surveys_demo_seed(*, seed: int = 2026) -> dict[str, int]:
    """Create the demo questionnaire, its answers and the maturity history (idempotent)."""
    course = CoursePage.objects.filter(title=COURSE_TITLE).first()
    result = {"questionnaires": 0, "responses": 0, "assessments": 0}
    if course is not None:
        questionnaire, created = _questionnaire(course)
        result["questionnaires"] = int(created)
        result["responses"] = _responses(questionnaire, random.Random(seed))
    result["assessments"] = _assessments(random.Random(seed + 1))
    return result


def _questionnaire(course: CoursePage) -> tuple[Questionnaire, bool]:
    questionnaire = Questionnaire.objects.filter(course=course, is_active=True).first()
    if questionnaire is not None:
        return questionnaire, False
    questionnaire = Questionnaire.objects.create(
        title=QUESTIONNAIRE_TITLE, intro=INTRO, course=course
    )
    QuestionnaireItem.objects.bulk_create(
        QuestionnaireItem(
            questionnaire=questionnaire, text=text, kind=kind, required=required, sort_order=index
        )
        for index, (text, kind, required) in enumerate(ITEMS)
    )
    return questionnaire, True


def _responses(questionnaire: Questionnaire, rng: random.Random) -> int:
    """About 40 % of those who completed answer; departments lean differently."""
    items = list(questionnaire.items.all())
    answered_years = set(
        SurveyResponse.objects.filter(questionnaire=questionnaire)
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    completed = list(
        Enrollment.objects.filter(
            course_id=questionnaire.course_id, status=EnrollmentStatus.COMPLETED
        )
        .exclude(fiscal_year__in=answered_years)
        .select_related("user", "unit_at_completion")
        .only("pk", "user_id", "fiscal_year", "unit_at_completion__path")
        .order_by("pk")
    )
    # The department decides the mood: a path prefix of department depth.
    department_paths = list(
        OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT).values_list("path", flat=True)
    )
    lean = {path: rng.uniform(-0.8, 0.6) for path in department_paths}
    current = current_fiscal_year()
    responses, answer_plan = [], []
    for enrollment in completed:
        if rng.random() > 0.4 or enrollment.unit_at_completion is None:
            continue
        path = enrollment.unit_at_completion.path
        mood = next((v for p, v in lean.items() if path.startswith(p)), 0.0)
        # Later years feel better about it: the course improved with the feedback.
        mood += 0.25 * (enrollment.fiscal_year - current + 2)
        responses.append(
            SurveyResponse(
                questionnaire=questionnaire,
                course_id=questionnaire.course_id,
                fiscal_year=enrollment.fiscal_year,
                user_id=enrollment.user_id,
                unit_id=enrollment.unit_at_completion_id,
            )
        )
        answer_plan.append(mood)
    created = SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    answers = []
    for response, mood in zip(created, answer_plan, strict=True):
        for item in items:
            if item.kind == ItemKind.LIKERT:
                rating = round(3.4 + mood + rng.gauss(0, 0.9))
                answers.append(
                    SurveyAnswer(response=response, item=item, rating=min(5, max(1, rating)))
                )
            elif rng.random() < 0.3:
                pool = FIRST_STEPS if item.sort_order == 4 else COMMENTS
                answers.append(SurveyAnswer(response=response, item=item, text=rng.choice(pool)))
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
    return len(created)


def _assessments(rng: random.Random) -> int:
    """Four years per department, levels creeping up; a few departments skip this year."""
    departments = list(
        OrgUnit.objects.current().filter(kind=OrgUnitKind.DEPARTMENT).order_by("path")
    )
    year = current_fiscal_year()
    rows = []
    for index, department in enumerate(departments):
        levels = [max(1, min(5, start + rng.choice([-1, 0, 0, 1]))) for start in START_LEVELS]
        for offset in range(ASSESSED_YEARS):
            fiscal_year = year - ASSESSED_YEARS + 1 + offset
            if fiscal_year == year and index % 3 == 2:
                continue  # not entered yet this year: the page shows who still has to
            if offset:
                levels = [min(5, level + (rng.random() < 0.45)) for level in levels]
            rows.append(
                MaturityAssessment(
                    department=department,
                    fiscal_year=fiscal_year,
                    **dict(zip(MaturityAssessment.AXES, levels, strict=True)),
                )
            )
    existing = set(
        MaturityAssessment.objects.filter(department__in=departments).values_list(
            "department_id", "fiscal_year"
        )
    )
    new = [r for r in rows if (r.department_id, r.fiscal_year) not in existing]
    MaturityAssessment.objects.bulk_create(new)
    return len(new)
