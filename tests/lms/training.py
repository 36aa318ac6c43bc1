"""Shared helpers of the training tests: a small city with staff and an assigned course."""

import datetime as dt

from core.fiscal import current_fiscal_year
from org.people import EmploymentType, Position
from tests.factories import UserFactory, make_course, make_org_tree


def make_city() -> dict:
    """The factory tree with two people in each of its four units (係), one fixed-term."""
    tree = make_org_tree()
    people = {}
    for key in ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "madoguchi"):
        people[key] = [
            UserFactory(unit=tree[key]),
            UserFactory(unit=tree[key], employment_type=EmploymentType.FIXED_TERM),
        ]
    people["chief"] = [UserFactory(unit=tree["jinji"], position=Position.SECTION_CHIEF)]
    return {"tree": tree, "people": people, **make_course(lessons=2)}


def dates(year: int | None = None) -> dict:
    year = year or current_fiscal_year()
    return {
        "fiscal_year": year,
        "opens_on": dt.date(year, 4, 1),
        "due_on": dt.date(year + 1, 3, 31),
    }
