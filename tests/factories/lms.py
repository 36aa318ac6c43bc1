"""Factories for people, units and roles."""

import factory
from django.contrib.auth.models import Group

from core.fiscal import current_fiscal_year
from lms.models import User
from org.models import DxProAssignment, ManagerAssignment, OrgUnit, OrgUnitKind
from org.people import EmploymentType, Position


class OrgUnitFactory:
    """Units are tree nodes: create them through treebeard, not ``Model.objects.create``."""

    _counter = 0

    @classmethod
    def create(cls, *, parent: OrgUnit | None = None, **fields) -> OrgUnit:
        cls._counter += 1
        fields.setdefault("name", f"単位{cls._counter}")
        fields.setdefault("code", f"U{cls._counter:05d}")
        if "kind" not in fields:
            depth = 1 if parent is None else parent.depth + 1
            fields["kind"] = [
                OrgUnitKind.DEPARTMENT,
                OrgUnitKind.SECTION,
                OrgUnitKind.UNIT,
                OrgUnitKind.UNIT,
            ][min(depth - 1, 3)]
        if parent is None:
            return OrgUnit.add_root(**fields)
        return OrgUnit.objects.get(pk=parent.pk).add_child(**fields)


def make_org_tree() -> dict[str, OrgUnit]:
    """A small city: two departments, three sections, four units.

    総務部 > 人事課 > 人事係, 給与係
           > 情報政策課 > DX推進係
    市民部 > 市民課 > 窓口係
    """
    soumu = OrgUnitFactory.create(name="総務部", code="D01")
    jinji = OrgUnitFactory.create(parent=soumu, name="人事課", code="S0101")
    jouhou = OrgUnitFactory.create(parent=soumu, name="情報政策課", code="S0102")
    shimin_bu = OrgUnitFactory.create(name="市民部", code="D02")
    shimin_ka = OrgUnitFactory.create(parent=shimin_bu, name="市民課", code="S0201")
    return {
        "soumu": soumu,
        "jinji": jinji,
        "jinji_kakari": OrgUnitFactory.create(parent=jinji, name="人事係", code="U010101"),
        "kyuyo_kakari": OrgUnitFactory.create(parent=jinji, name="給与係", code="U010102"),
        "jouhou": jouhou,
        "dx_kakari": OrgUnitFactory.create(parent=jouhou, name="DX推進係", code="U010201"),
        "shimin_bu": shimin_bu,
        "shimin_ka": shimin_ka,
        "madoguchi": OrgUnitFactory.create(parent=shimin_ka, name="窓口係", code="U020101"),
    }


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    employee_number = factory.Sequence(lambda n: f"{100000 + n}")
    email = factory.LazyAttribute(lambda o: f"staff{o.employee_number}@city.example.jp")
    display_name = factory.Sequence(lambda n: f"職員 {n}")
    kana = factory.Sequence(lambda n: f"ショクイン {n}")
    position = Position.CLERK
    employment_type = EmploymentType.REGULAR
    unit = None
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class DxProAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DxProAssignment

    user = factory.SubFactory(UserFactory)
    fiscal_year = factory.LazyFunction(current_fiscal_year)


class ManagerAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagerAssignment

    user = factory.SubFactory(UserFactory)
