"""SVO exercise pages and worksheets for tests."""

from __future__ import annotations

from core.fiscal import fiscal_year_of
from courses.models import CoursePage, SvoExercisePage, SvoStatement, SvoWorksheet

GOOD_STATEMENT = {
    "subject": "市民課窓口担当職員",
    "verb": "照合する",
    "object": "住民票の写し交付申請書の本人確認欄と運転免許証",
    "medium": "paper",
    "frequency": "daily",
    "count_per_year": 12000,
    "minutes_per_case": 2,
    "purpose": "なりすましによる不正な交付を防ぐため",
    "beneficiary": "住民",
    "idea": "マイナンバーカードの券面読取で照合する",
    "idea_type": "digitise",
    "expected_effect": "照合時間を1件1分短縮",
}


def make_svo_exercise(course: CoursePage, **fields) -> SvoExercisePage:
    """A published SVO exercise under ``course``."""
    page = SvoExercisePage(
        title=fields.pop("title", "SVOワークシート"),
        slug=fields.pop("slug", "svo"),
        min_statements=fields.pop("min_statements", 2),
        max_statements=fields.pop("max_statements", 6),
        **fields,
    )
    course.add_child(instance=page)
    page.save_revision().publish()
    return SvoExercisePage.objects.get(pk=page.pk)


def make_worksheet(user, exercise, *, statements: int = 2, **fields) -> SvoWorksheet:
    """A worksheet with ``statements`` good statements (not submitted)."""
    worksheet = SvoWorksheet.objects.create(
        user=user,
        exercise=exercise,
        fiscal_year=fields.pop("fiscal_year", fiscal_year_of()),
        **fields,
    )
    for position in range(1, statements + 1):
        SvoStatement.objects.create(worksheet=worksheet, position=position, **GOOD_STATEMENT)
    return worksheet
