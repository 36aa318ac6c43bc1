"""How the audit log names the courses app's rows (registered in ``CoursesConfig.ready``)."""

from __future__ import annotations

from .models import CoursePage, SvoWorksheet


def _ids(ids: list[str]) -> list[int]:
    return [int(pk) for pk in ids if pk.isdigit()]


def describe_courses(ids: list[str]) -> dict[str, str]:
    rows = CoursePage.objects.filter(pk__in=_ids(ids)).values_list("pk", "title")
    return {str(pk): title for pk, title in rows}


def describe_worksheets(ids: list[str]) -> dict[str, str]:
    """Whose worksheet it is, one query."""
    rows = SvoWorksheet.objects.filter(pk__in=_ids(ids)).values_list("pk", "user__display_name")
    return {str(pk): person for pk, person in rows}
