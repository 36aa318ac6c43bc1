"""The synthetic city: an organisation tree, its staff, courses and a year of enrolments.

Everything is generated deterministically from the requested size and written set-based:
units and staff by ``COPY``, enrolments by one ``INSERT ... SELECT`` over the staff table per
course (the statuses come from a hash of the person and the course, so the spread is stable
from run to run), the per-unit figures by the product's own rebuild. The staff rows and the
roster file of the same people come from the same generator, so re-importing the file is a
true "nothing changed" import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone

from core.fiscal import current_fiscal_year
from courses.models import CourseIndexPage, CoursePage, QuizPage
from lms.completion.figures import stats_rebuild
from lms.models import Assignment, FanOutStatus, User
from org.models import OrgUnit, OrgUnitKind, RoleGroup
from org.people import EmploymentType, Position

from ..demo.courses import courses_seed
from .progress import Progress, note

DEPARTMENT_NAMES = (
    "総務部", "企画政策部", "財政部", "税務部", "市民生活部", "区政推進部", "福祉部",
    "障がい福祉部", "高齢者支援部", "子ども未来部", "健康部", "保険年金部", "環境部",
    "資源循環部", "経済部", "観光交流部", "農林水産部", "都市計画部", "建設部", "道路部",
    "住宅部", "上下水道部", "危機管理部", "文化スポーツ部", "人権推進部", "教育総務部",
    "学校教育部", "生涯学習部", "議会事務局", "会計管理部",
)  # fmt: skip
SECTION_NAMES = (
    "総務課", "企画課", "管理課", "業務課", "調整課", "推進課", "計画課", "指導課", "支援課",
    "相談課", "窓口課", "事業課",
)  # fmt: skip
UNIT_NAMES = ("庶務係", "事業係", "窓口係", "調査係", "審査係")
SURNAMES = (
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
    ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
    ("木村", "キムラ"), ("林", "ハヤシ"), ("清水", "シミズ"), ("森", "モリ"),
)  # fmt: skip
GIVEN_NAMES = (
    ("翔太", "ショウタ"), ("陽菜", "ヒナ"), ("大輔", "ダイスケ"), ("美咲", "ミサキ"),
    ("健一", "ケンイチ"), ("結衣", "ユイ"), ("直樹", "ナオキ"), ("彩", "アヤ"),
    ("拓也", "タクヤ"), ("真由美", "マユミ"), ("浩二", "コウジ"), ("恵", "メグミ"),
    ("亮", "リョウ"), ("千尋", "チヒロ"), ("誠", "マコト"), ("由紀", "ユキ"),
    ("悠斗", "ユウト"), ("葵", "アオイ"), ("和也", "カズヤ"), ("菜々子", "ナナコ"),
)  # fmt: skip
POSITION_LABELS = {
    Position.DIRECTOR: "部長", Position.SECTION_CHIEF: "課長", Position.UNIT_CHIEF: "係長",
    Position.SENIOR_STAFF: "主任", Position.CLERK: "主事", Position.ENGINEER: "技師",
}  # fmt: skip
EMPLOYMENT_LABELS = {
    EmploymentType.REGULAR: "正規職員",
    EmploymentType.REAPPOINTED: "再任用",
    EmploymentType.FIXED_TERM: "会計年度任用職員",
}
ROSTER_HEADER = (
    "職員番号", "氏名", "フリガナ", "メールアドレス", "部コード", "部", "課コード", "課",
    "係コード", "係", "職名", "雇用区分",
)  # fmt: skip
HR_EMPLOYEE_NUMBER = "9900001"
#: Employee numbers of the people a roster import adds (the "joiners" file).
JOINER_BASE = 5_000_000


@dataclass(frozen=True)
class Shape:
    """How big the city is. 30 x 10 x 3 gives the 30 / 300 / 900 of a designated city."""

    staff: int
    courses: int
    departments: int = 30
    sections_per_department: int = 10
    units_per_section: int = 3


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent_code: str | None


@dataclass(frozen=True)
class Person:
    employee_number: str
    display_name: str
    kana: str
    email: str
    position: str
    employment_type: str
    unit_code: str


@dataclass
class City:
    """What the scenarios need to find again."""

    shape: Shape
    fiscal_year: int
    units: dict[str, OrgUnit]
    leaf_codes: list[str]
    hr_user: User
    courses: list[CoursePage]
    quiz: QuizPage
    enrollments: int = 0
    figures_rows: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def departments(self) -> list[OrgUnit]:
        return [u for u in self.units.values() if u.kind == OrgUnitKind.DEPARTMENT]


def unit_specs(shape: Shape) -> list[UnitSpec]:
    """部 ``DD0000``, 課 ``DDSS00``, 係 ``DDSSUU``; parents before children."""
    specs = []
    for d in range(1, shape.departments + 1):
        base = DEPARTMENT_NAMES[(d - 1) % len(DEPARTMENT_NAMES)]
        dept_name = base if d <= len(DEPARTMENT_NAMES) else f"{base}{d}"
        dept = f"{d:02d}0000"
        specs.append(UnitSpec(dept, dept_name, OrgUnitKind.DEPARTMENT, None))
        for s in range(1, shape.sections_per_department + 1):
            section = f"{d:02d}{s:02d}00"
            section_name = SECTION_NAMES[(s - 1) % len(SECTION_NAMES)]
            if s > len(SECTION_NAMES):
                section_name = f"第{s}{section_name}"
            specs.append(UnitSpec(section, section_name, OrgUnitKind.SECTION, dept))
            for u in range(1, shape.units_per_section + 1):
                unit_name = UNIT_NAMES[(u - 1) % len(UNIT_NAMES)]
                if u > len(UNIT_NAMES):
                    unit_name = f"第{u}{unit_name}"
                specs.append(UnitSpec(f"{d:02d}{s:02d}{u:02d}", unit_name, OrgUnitKind.UNIT,
                                      section))  # fmt: skip
    return specs


def _allocate(total: int, count: int) -> list[int]:
    """People per 係: sizes vary 1:2:3:4 around the mean, summing exactly to ``total``."""
    weights = [1 + (i * 7) % 4 for i in range(count)]
    weight_sum = sum(weights)
    sizes = [total * w // weight_sum for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % count] += 1
    return sizes


def people(shape: Shape, *, base: int = 1_000_001, count: int | None = None) -> list[Person]:
    """The staff, 係 by 係 in HR code order, as HR's export lists them.

    The first person of a 部 is its 部長, the first of each other 課 its 課長, the first of each
    other 係 its 係長; one in nine is fixed-term and one in thirty re-appointed.
    """
    leaves = [spec for spec in unit_specs(shape) if spec.kind == OrgUnitKind.UNIT]
    sizes = _allocate(count if count is not None else shape.staff, len(leaves))
    result = []
    number = base
    for leaf, size in zip(leaves, sizes, strict=True):
        for k in range(size):
            n = number - base
            surname, surname_kana = SURNAMES[n % len(SURNAMES)]
            given, given_kana = GIVEN_NAMES[(n // len(SURNAMES) + n) % len(GIVEN_NAMES)]
            if k == 0 and leaf.code.endswith("0101"):
                position = Position.DIRECTOR
            elif k == 0 and leaf.code.endswith("01"):
                position = Position.SECTION_CHIEF
            elif k == 0:
                position = Position.UNIT_CHIEF
            elif k % 4 == 1:
                position = Position.SENIOR_STAFF
            else:
                position = Position.ENGINEER if n % 11 == 0 else Position.CLERK
            employment = EmploymentType.REGULAR
            if k > 0 and n % 9 == 4:
                employment = EmploymentType.FIXED_TERM
            elif k > 0 and n % 30 == 7:
                employment = EmploymentType.REAPPOINTED
            result.append(
                Person(
                    employee_number=str(number),
                    display_name=f"{surname} {given}",
                    kana=f"{surname_kana} {given_kana}",
                    email=f"s{number}@city.example.jp",
                    position=position,
                    employment_type=employment,
                    unit_code=leaf.code,
                )
            )
            number += 1
    return result


def roster_csv(shape: Shape, persons: list[Person]) -> bytes:
    """The people as HR's system exports them: CP932 CSV with codes and Japanese labels."""
    by_code = {spec.code: spec for spec in unit_specs(shape)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_HEADER)
    for person in persons:
        leaf = by_code[person.unit_code]
        section = by_code[leaf.parent_code]
        dept = by_code[section.parent_code]
        writer.writerow(
            (
                person.employee_number, person.display_name, person.kana, person.email,
                dept.code, dept.name, section.code, section.name, leaf.code, leaf.name,
                POSITION_LABELS[person.position], EMPLOYMENT_LABELS[person.employment_type],
            )
        )  # fmt: skip
    return buffer.getvalue().encode("cp932")


def _units_write(shape: Shape, valid_from: dt.date) -> dict[str, OrgUnit]:
    """The tree in one bulk insert, paths encoded as treebeard would (parents first)."""
    specs = unit_specs(shape)
    children: dict[str | None, int] = {}
    paths: dict[str, str] = {}
    depth: dict[str, int] = {}
    rows = []
    for spec in specs:
        step = children.get(spec.parent_code, 0) + 1
        children[spec.parent_code] = step
        parent_path = paths[spec.parent_code] if spec.parent_code else ""
        depth[spec.code] = 1 if spec.parent_code is None else depth[spec.parent_code] + 1
        paths[spec.code] = OrgUnit._get_path(parent_path, depth[spec.code], step)
        rows.append(
            OrgUnit(path=paths[spec.code], depth=depth[spec.code], numchild=0, kind=spec.kind,
                    code=spec.code, name=spec.name, valid_from=valid_from)
        )  # fmt: skip
    for row in rows:
        row.numchild = children.get(row.code, 0)
    OrgUnit.objects.bulk_create(rows, batch_size=2000)
    return {unit.code: unit for unit in OrgUnit.objects.filter(code__in=paths)}


USER_COLUMNS = (
    "employee_number", "email", "display_name", "kana", "position", "employment_type",
    "unit_id", "password", "is_superuser", "is_staff", "is_active", "from_roster",
    "date_joined",
)  # fmt: skip


def copy_people(persons: list[Person], units: dict[str, OrgUnit], bar: Progress | None) -> None:
    """Write people with one ``COPY`` (what an import of them would store)."""
    now = timezone.now()
    columns = ", ".join(f'"{c}"' for c in USER_COLUMNS)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {User._meta.db_table} ({columns}) FROM STDIN") as copy:
            for n, p in enumerate(persons, start=1):
                copy.write_row(
                    (p.employee_number, p.email, p.display_name, p.kana, p.position,
                     p.employment_type, units[p.unit_code].pk, "!benchmark", False, False,
                     True, True, now)
                )  # fmt: skip
                if bar and n % 5000 == 0:
                    bar.advance(5000)
    if bar:
        bar.advance(len(persons) % 5000)


def _courses_write(count: int) -> tuple[list[CoursePage], QuizPage]:
    """The demo's two real courses (lessons, a 15-question quiz) and plain ones up to
    ``count``, published through Wagtail as an editor would."""
    courses_seed()
    index = CourseIndexPage.objects.first()
    existing = list(CoursePage.objects.child_of(index).order_by("path"))
    for k in range(len(existing) + 1, count + 1):
        page = CoursePage(title=f"業務改善研修 {k:02d}", slug=f"benchmark-course-{k:02d}",
                          estimated_minutes=30, require_lessons=True)  # fmt: skip
        index.add_child(instance=page)
        page.save_revision().publish()
    courses = list(CoursePage.objects.child_of(index).order_by("path"))[:count]
    basics = next(c for c in courses if c.slug == "dx-basics")
    quiz = QuizPage.objects.child_of(basics).live().get()
    return courses, quiz


ENROLL_SQL = """
INSERT INTO lms_enrollment (user_id, course_id, fiscal_year, assignment_id, status, progress,
    due_on, started_at, completed_at, unit_at_completion_id, created_at, updated_at)
SELECT p.id, %(course)s, %(year)s, %(assignment)s,
    CASE WHEN p.h < %(completed)s THEN 'completed'
         WHEN p.h < %(open)s THEN 'in_progress' ELSE 'not_started' END,
    CASE WHEN p.h < %(completed)s THEN 100
         WHEN p.h < %(open)s THEN 10 + p.h %% 80 ELSE 0 END,
    %(due)s,
    CASE WHEN p.h < %(open)s THEN %(opens)s + make_interval(hours => p.h %% 500) END,
    CASE WHEN p.h < %(completed)s THEN %(opens)s + make_interval(hours => 500 + p.h %% 700) END,
    CASE WHEN p.h < %(completed)s THEN p.unit_id END,
    %(opens)s, %(opens)s
FROM (SELECT id, unit_id, hashtext(id::text || ':' || %(salt)s) & 1023 AS h
      FROM lms_user WHERE from_roster AND is_active AND unit_id IS NOT NULL) AS p
"""


def _enrollments_write(city: City, bar: Progress) -> int:
    """Every active person in every course: completion falls from 90% for the first
    course to about 20% for the last, 15% more are in progress; half the courses are past
    their due date, so there is an overdue list."""
    today = timezone.localdate()
    opens = timezone.now() - dt.timedelta(days=90)
    total = 0
    m = len(city.courses)
    for k, course in enumerate(city.courses):
        completed_share = 0.9 - 0.7 * k / max(m - 1, 1)
        assignment = Assignment.objects.create(
            course=course, fiscal_year=city.fiscal_year, opens_on=opens.date(),
            due_on=today + dt.timedelta(days=14 * (k - m // 2)), mandatory=True,
            fan_out_status=FanOutStatus.DONE, fan_out_total=1, fan_out_done=1,
            fanned_out_at=opens,
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                ENROLL_SQL,
                {
                    "course": course.pk, "year": city.fiscal_year, "assignment": assignment.pk,
                    "completed": int(1024 * completed_share),
                    "open": int(1024 * min(completed_share + 0.15, 1.0)),
                    "due": assignment.due_on, "opens": opens, "salt": str(k),
                },
            )  # fmt: skip
            inserted = cursor.rowcount
        Assignment.objects.filter(pk=assignment.pk).update(enrolled_count=inserted)
        total += inserted
        bar.advance(1)
    return total


def hr_user(units: dict[str, OrgUnit]) -> User:
    """The HR officer whose dashboard is measured (人事課, whole city)."""
    user = User.objects.create_user(
        HR_EMPLOYEE_NUMBER, display_name="人事 担当", unit=next(iter(units.values())),
        email="hr@city.example.jp",
    )  # fmt: skip
    user.groups.add(Group.objects.get(name=RoleGroup.HR))
    return user


def session_for(user: User) -> str:
    """A signed-in session for ``user``, as the login view would store it; its key."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "lms.accounts.backends.EmployeeNumberOrEmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def build_city(shape: Shape) -> City:
    """Create the whole city in the (empty, migrated) benchmark database."""
    year = current_fiscal_year()
    note(f"Building a city of {shape.staff:,} staff and {shape.courses} courses")
    with Progress("units and staff", shape.staff) as bar:
        units = _units_write(shape, valid_from=dt.date(year - 5, 4, 1))
        copy_people(people(shape), units, bar)
    hr = hr_user(units)
    with Progress("courses", shape.courses) as bar:
        courses, quiz = _courses_write(shape.courses)
        bar.advance(shape.courses)
    city = City(
        shape=shape, fiscal_year=year, units=units, hr_user=hr, courses=courses, quiz=quiz,
        leaf_codes=[code for code, u in units.items() if u.kind == OrgUnitKind.UNIT],
    )  # fmt: skip
    with Progress("enrolments (per course)", len(courses)) as bar:
        city.enrollments = _enrollments_write(city, bar)
    with Progress("unit figures", 1) as bar:
        city.figures_rows = stats_rebuild(fiscal_year=year)
        bar.advance(1)
    with Progress("vacuum analyze", 1) as bar:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        bar.advance(1)
    note(f"  {city.enrollments:,} enrolments, {city.figures_rows:,} figure rows")
    return city
