"""``org.paths`` computes what treebeard stores: the tree's encoding is pinned here."""

import pytest
from treebeard.mp_tree import MP_Node

from org import paths
from org.models import OrgUnit
from tests.factories import make_org_tree

pytestmark = pytest.mark.django_db


def test_the_encoding_is_treebeards():
    assert (OrgUnit.steplen, OrgUnit.alphabet) == (paths.STEPLEN, paths.ALPHABET)
    assert (MP_Node.steplen, MP_Node.alphabet) == (paths.STEPLEN, paths.ALPHABET)
    for step in (1, 9, 10, 35, 36, 1295, 1296, 36**4 - 1):
        assert paths.child_path("0001", step) == OrgUnit._get_path("0001", 2, step)
        assert paths.step_of(paths.child_path("", step)) == OrgUnit._str2int(
            OrgUnit._get_path("", 1, step)
        )
    with pytest.raises(OverflowError):
        paths.child_path("", 36**4)


def test_paths_of_real_units_agree_with_treebeard():
    units = make_org_tree()
    section = units["jinji"]
    unit = units["jinji_kakari"]
    assert paths.parent_path(unit.path) == section.path
    assert [u.path for u in unit.get_ancestors()] + [unit.path] == paths.ancestor_paths(unit.path)
    assert paths.ancestor_paths(unit.path, include_self=False) == [
        u.path for u in unit.get_ancestors()
    ]
    assert paths.step_of(unit.path) == OrgUnit._str2int(unit.path[-OrgUnit.steplen :])
    child = section.add_child(kind="unit", name="新しい係")
    assert child.path == paths.child_path(section.path, paths.step_of(child.path))


def test_nearest_and_roll_up():
    by_path = {"0001": "部", "00010002": "課"}
    assert paths.nearest_in("000100020003", by_path) == "課"
    assert paths.nearest_in("000100030001", by_path) == "部"
    assert paths.nearest_in("0002", by_path) is None
    assert paths.sum_by_ancestor([("00010002", 3), ("00010003", 1), ("0002", 5)]) == {
        "0001": 4,
        "00010002": 3,
        "00010003": 1,
        "0002": 5,
    }
    figures = paths.sum_figures_by_ancestor(
        [("00010002", {"a": 1, "b": 2}), ("0001", {"a": 10, "b": 0})], ["a", "b"]
    )
    assert figures["0001"] == {"a": 11, "b": 2}
    assert figures["00010002"] == {"a": 1, "b": 2}


def test_minimal_paths_and_under():
    assert paths.minimal_paths(["00010002", "0001", "0002", "00020001"]) == ["0001", "0002"]
    assert paths.is_under("000100020001", ["0003", "0001"])
    assert not paths.is_under("0002", ["0001"])
    units = make_org_tree()
    subtree = OrgUnit.objects.filter(paths.under("path", [units["jinji"].path]))
    assert set(subtree) == set(OrgUnit.objects.subtree_of(units["jinji"]))
    assert not OrgUnit.objects.filter(paths.under("path", [])).exists()
