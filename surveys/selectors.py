"""Reads of the surveys: offers on "my training", questionnaire results, maturity trends.

Every report here is a fixed number of grouped queries; departments are found by path prefix
in Python, so the number of queries does not grow with staff, units or answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from core.fiscal import current_fiscal_year
from lms.models import Enrollment, EnrollmentStatus, User
from org.access import is_hr, visible_units
from org.models import OrgUnit, OrgUnitKind
from org.paths import nearest_in

from .maturity import AXES
from .models import (
    LIKERT_MAX,
    LIKERT_MIN,
    ItemKind,
    MaturityAssessment,
    Questionnaire,
    QuestionnaireItem,
    SurveyAnswer,
    SurveyResponse,
)

#: Departments with fewer responses than this show no figures of their own, so that nobody's
#: answers can be told apart; they still count in the total.
MIN_GROUP = 3
#: Free-text answers listed per question at most.
TEXT_LIMIT = 300


def survey_offers(*, user: User, enrollments: Iterable[Enrollment]) -> dict[int, Questionnaire]:
    """Questionnaires to offer, by enrollment id: completed this fiscal year, with an active
    questionnaire for the course, not answered yet (two queries at most; none when nothing
    was completed this year). Older completions are not chased for impressions."""
    year = current_fiscal_year()
    completed = [
        e for e in enrollments if e.status == EnrollmentStatus.COMPLETED and e.fiscal_year == year
    ]
    if not completed or not user.is_authenticated:
        return {}
    by_course = {
        q.course_id: q
        for q in Questionnaire.objects.filter(
            is_active=True, course_id__in={e.course_id for e in completed}
        )
    }
    if not by_course:
        return {}
    answered = set(
        SurveyResponse.objects.filter(user_id=user.pk, course_id__in=by_course).values_list(
            "course_id", "fiscal_year"
        )
    )
    offers: dict[tuple[int, int], Enrollment] = {}
    for e in completed:  # once a year per course: the latest cycle's completion asks
        key = (e.course_id, e.fiscal_year)
        if e.course_id in by_course and key not in answered:
            if key not in offers or e.cycle > offers[key].cycle:
                offers[key] = e
    return {e.pk: by_course[e.course_id] for e in offers.values()}


@dataclass
class ItemResult:
    """One Likert item's figures for a group: the count of each rating 1-5 and the mean."""

    item_id: int
    counts: list[int] = field(default_factory=lambda: [0] * (LIKERT_MAX - LIKERT_MIN + 1))

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> float | None:
        if not self.answered:
            return None
        total = sum(
            rating * n
            for rating, n in zip(range(LIKERT_MIN, LIKERT_MAX + 1), self.counts, strict=True)
        )
        return round(total / self.answered, 2)

    def add(self, rating: int, n: int) -> None:
        self.counts[rating - LIKERT_MIN] += n

    @property
    def shares(self) -> list[tuple[int, int, int]]:
        """(rating, count, percent) for the distribution bars."""
        total = self.answered or 1
        return [
            (rating, n, round(100 * n / total))
            for rating, n in zip(range(LIKERT_MIN, LIKERT_MAX + 1), self.counts, strict=True)
        ]

    @property
    def segments(self) -> list[dict]:
        """Stacked-bar segments on a 0-100 scale: rating, count, percent, x and width."""
        total = self.answered or 1
        x = 0.0
        segments = []
        for rating, n in zip(range(LIKERT_MIN, LIKERT_MAX + 1), self.counts, strict=True):
            width = 100 * n / total
            segments.append(
                {
                    "rating": rating,
                    "count": n,
                    "percent": round(width),
                    "x": round(x, 2),
                    "width": round(width, 2),
                }
            )
            x += width
        return segments


@dataclass
class GroupResult:
    """A department (or the whole scope): responses and each Likert item's figures."""

    unit_id: int | None
    name: str
    responses: int = 0
    items: dict[int, ItemResult] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_GROUP

    def item(self, item_id: int) -> ItemResult:
        return self.items.setdefault(item_id, ItemResult(item_id))

    def averages(self, items: list[QuestionnaireItem]) -> list[float | None]:
        return [self.items[i.pk].average if i.pk in self.items else None for i in items]


@dataclass
class QuestionnaireResults:
    questionnaire: Questionnaire
    fiscal_year: int
    likert_items: list[QuestionnaireItem]
    text_items: list[QuestionnaireItem]
    total: GroupResult
    departments: list[GroupResult]
    texts: dict[int, list[tuple[str, int]]]
    hidden_departments: int = 0

    @property
    def withheld(self) -> bool:
        """Some answered, but fewer than ``MIN_GROUP``: nothing of them is shown (F6)."""
        return 0 < self.total.responses < MIN_GROUP


def questionnaires() -> list[Questionnaire]:
    """Every questionnaire with its course, for the results page's choice (one query)."""
    return list(Questionnaire.objects.select_related("course").order_by("title", "pk"))


def questionnaire_results(
    *, viewer: User, questionnaire: Questionnaire, fiscal_year: int
) -> QuestionnaireResults:
    """Per department: responses, distribution and mean of each Likert item; free texts
    without names or units. Only answers from units the viewer may see. Five queries.

    The minimum of ``MIN_GROUP`` answers holds for every group the viewer sees (F6): a
    department below it is not shown on its own; the whole scope below it shows nothing,
    neither distribution nor free text; and when the departments not shown add up to fewer
    than ``MIN_GROUP``, the smallest shown ones are held back too, so that the totals minus
    the shown departments never give away a small group's answers.
    """
    items = list(questionnaire.items.all())
    scope = visible_units(viewer, fiscal_year=fiscal_year)
    responses = SurveyResponse.objects.filter(
        questionnaire=questionnaire, fiscal_year=fiscal_year, unit__in=scope
    )
    department_paths = {
        unit.path: unit
        for unit in OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT).only("pk", "name", "path")
    }
    total = GroupResult(unit_id=None, name="")
    groups: dict[int, GroupResult] = {}

    def group_of(path: str) -> GroupResult:
        department = nearest_in(path, department_paths)
        key = department.pk if department else 0
        if key not in groups:
            groups[key] = GroupResult(
                unit_id=key or None, name=department.name if department else ""
            )
        return groups[key]

    for row in responses.values("unit__path").annotate(n=Count("pk")).order_by():
        total.responses += row["n"]
        group_of(row["unit__path"]).responses += row["n"]
    ratings = (
        SurveyAnswer.objects.filter(response__in=responses, rating__isnull=False)
        .values("response__unit__path", "item_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in ratings:
        total.item(row["item_id"]).add(row["rating"], row["n"])
        group_of(row["response__unit__path"]).item(row["item_id"]).add(row["rating"], row["n"])
    # The same sentence written by several people is listed once with its count.
    texts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    text_rows = (
        SurveyAnswer.objects.filter(response__in=responses, item__kind=ItemKind.TEXT)
        .exclude(text="")
        .values("item_id", "text")
        .annotate(n=Count("pk"))
        .order_by("item_id", "-n", "text")
    )
    for row in text_rows[: TEXT_LIMIT * max(1, len(items))]:
        if len(texts[row["item_id"]]) < TEXT_LIMIT:
            texts[row["item_id"]].append((row["text"], row["n"]))
    departments = sorted(groups.values(), key=lambda g: (g.unit_id is None, g.name))
    shown = [g for g in departments if g.shown]
    if total.responses < MIN_GROUP:
        total = GroupResult(unit_id=None, name="", responses=total.responses)
        texts = defaultdict(list)
        shown = []
    hidden = total.responses - sum(g.responses for g in shown)
    while shown and 0 < hidden < MIN_GROUP:
        smallest = min(shown, key=lambda g: (g.responses, g.name))
        shown.remove(smallest)
        hidden += smallest.responses
    return QuestionnaireResults(
        questionnaire=questionnaire,
        fiscal_year=fiscal_year,
        likert_items=[i for i in items if i.kind == ItemKind.LIKERT],
        text_items=[i for i in items if i.kind == ItemKind.TEXT],
        total=total,
        departments=shown,
        texts=dict(texts),
        hidden_departments=len(departments) - len(shown),
    )


def assessable_departments(viewer: User) -> list[OrgUnit]:
    """Current departments whose maturity the viewer may see (two queries).

    HR: all. Others: every department that contains or lies inside a unit they may see, so a
    section manager sees the department their section belongs to.
    """
    departments = list(
        OrgUnit.objects.current()
        .filter(kind=OrgUnitKind.DEPARTMENT)
        .only("pk", "name", "code", "path", "kind", "depth")
    )
    if is_hr(viewer):
        return sorted(departments, key=lambda d: (d.code, d.path))
    visible_paths = list(visible_units(viewer).values_list("path", flat=True))

    def overlaps(department: OrgUnit) -> bool:
        return any(
            p.startswith(department.path) or department.path.startswith(p) for p in visible_paths
        )

    return sorted(filter(overlaps, departments), key=lambda d: (d.code, d.path))


@dataclass
class TrendPoint:
    fiscal_year: int
    levels: tuple[float, ...]
    assessments: int = 1


@dataclass
class MaturityTrend:
    """Levels per fiscal year for one department, or the average over several."""

    name: str
    department: OrgUnit | None
    points: list[TrendPoint]

    @property
    def years(self) -> list[int]:
        return [p.fiscal_year for p in self.points]


def maturity_overview(
    *, departments: list[OrgUnit]
) -> tuple[dict[int, list[MaturityAssessment]], list[int]]:
    """Every assessment of the departments by department id (oldest first), and the years
    that have any (one query)."""
    by_department: dict[int, list[MaturityAssessment]] = defaultdict(list)
    years: set[int] = set()
    rows = MaturityAssessment.objects.filter(department__in=[d.pk for d in departments]).order_by(
        "fiscal_year"
    )
    for assessment in rows:
        by_department[assessment.department_id].append(assessment)
        years.add(assessment.fiscal_year)
    return dict(by_department), sorted(years)


def maturity_trend(
    *,
    departments: list[OrgUnit],
    assessments: dict[int, list[MaturityAssessment]],
    department: OrgUnit | None,
    average_label: str,
) -> MaturityTrend:
    """The trend of one department, or the mean of all given departments per year."""
    if department is not None:
        points = [
            TrendPoint(a.fiscal_year, tuple(float(v) for v in a.levels()))
            for a in assessments.get(department.pk, [])
        ]
        return MaturityTrend(name=department.name, department=department, points=points)
    sums: dict[int, list[float]] = {}
    counts: dict[int, int] = defaultdict(int)
    for d in departments:
        for a in assessments.get(d.pk, []):
            bucket = sums.setdefault(a.fiscal_year, [0.0] * len(AXES))
            for index, value in enumerate(a.levels()):
                bucket[index] += value
            counts[a.fiscal_year] += 1
    points = [
        TrendPoint(year, tuple(round(v / counts[year], 1) for v in sums[year]), counts[year])
        for year in sorted(sums)
    ]
    return MaturityTrend(name=average_label, department=None, points=points)
