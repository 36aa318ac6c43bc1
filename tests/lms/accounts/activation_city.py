"""A small city for the activation code tests: HR, and roster people in every 課."""

from __future__ import annotations

from org.models import RoleGroup
from tests.factories import UserFactory, make_org_tree


def roster_person(number, unit, **fields):
    """A person the roster import brought in: no usable password yet."""
    return UserFactory(employee_number=number, unit=unit, from_roster=True, password=None, **fields)


def make_activation_city() -> dict:
    """``make_org_tree`` with HR in 人事係 and roster people 1000001-1000005 across the
    sections, one who left (1000006) and one who did not come from the roster (1000007)."""
    tree = make_org_tree()
    hr = UserFactory(employee_number="9000002", unit=tree["jinji_kakari"], groups=[RoleGroup.HR])
    return {
        "tree": tree,
        "hr": hr,
        "jinji_1": roster_person("1000001", tree["jinji_kakari"], kana="アオキ"),
        "kyuyo_1": roster_person("1000002", tree["kyuyo_kakari"], kana="イノウエ"),
        "jouhou_1": roster_person("1000003", tree["dx_kakari"], kana="ウエダ"),
        "madoguchi_1": roster_person("1000004", tree["madoguchi"], kana="エンドウ"),
        "shimin_ka": roster_person("1000005", tree["shimin_ka"], kana="オオタ"),
        "left": roster_person("1000006", tree["madoguchi"], is_active=False),
        "not_roster": UserFactory(employee_number="1000007", unit=tree["madoguchi"]),
    }
