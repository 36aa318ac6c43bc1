"""Property tests of the SCORM package check and the runtime data reader: malformed manifests,
zips with hostile names, corrupted bytes and any JSON give a package or a PackageError (or
plain progress), never a crash, and an accepted package never names a path outside itself."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.scorm.package import PackageError, inspect_package
from courses.scorm.runtime import launch_data, progress_of, rule_met
from tests.courses.scorm.helpers import package_zip

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = [
    "manifest",
    "metadata",
    "schemaversion",
    "organizations",
    "organization",
    "item",
    "title",
    "resources",
    "resource",
    "file",
    "adlcp:masteryscore",
    "imsss:sequencing",
]
ATTRIBUTES = [
    "identifier",
    "identifierref",
    "href",
    "default",
    "adlcp:scormtype",
    "adlcp:scormType",
    "xml:base",
    "parameters",
]
VALUES = [
    "index.html",
    "res1",
    "org1",
    "item1",
    "../index.html",
    "/etc/passwd",
    "C:/x.html",
    "http://evil.example/",
    "",
    "sco",
    "asset",
    "a/../../b",
    "lesson.js",
    "?x=1",
    "教材.html",
    "%2e%2e/index.html",
    "1.2",
    "2004 4th Edition",
    "80",
    "-5",
    "abc",
]
TEXTS = [
    "",
    "1.2",
    "2004 3rd Edition",
    "2004 4th Edition",
    "CAM 1.3",
    "80",
    "x",
    "研修",
    "&amp;",
    "<![CDATA[x]]>",
]
NAMESPACES = (
    ' xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"'
    ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
    ' xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)


def _render(node) -> str:
    tag, attributes, children = node
    attrs = "".join(f" {name}={quoteattr(value)}" for name, value in attributes)
    inner = "".join(child if isinstance(child, str) else _render(child) for child in children)
    return f"<{tag}{attrs}>{inner}</{tag}>"


elements = st.recursive(
    st.sampled_from(TEXTS),
    lambda children: st.tuples(
        st.sampled_from(TAGS),
        st.lists(
            st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)),
            max_size=3,
            unique_by=lambda pair: pair[0],
        ),
        st.lists(children, max_size=4),
    ),
    max_leaves=25,
)


@st.composite
def manifests(draw) -> bytes:
    children = draw(st.lists(elements, max_size=4))
    body = "".join(child if isinstance(child, str) else _render(child) for child in children)
    text = f'<?xml version="1.0" encoding="UTF-8"?><manifest{NAMESPACES}>{body}</manifest>'
    if draw(st.booleans()):  # break it somewhere
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["", "<", "&", "]]>", "\x00", "<!DOCTYPE x>"]))
    return text.encode()


member_names = st.sampled_from(
    [
        "index.html",
        "lesson.js",
        "../x.js",
        "/abs.js",
        "a/../../b.js",
        "dir/",
        "教材/画像.png",
        "a\\..\\..\\c",
        "C:/win.js",
        "ok/./f.txt",
        "x" * 300,
        "imsmanifest.xml",
        "IMSMANIFEST.XML",
    ]
)


def _check(data: bytes) -> None:
    try:
        info = inspect_package(io.BytesIO(data))
    except PackageError as error:
        assert str(error)
        return
    paths = {member.path for member in info.members}
    assert info.launch_path in paths
    for path in paths:
        assert not path.startswith("/") and ".." not in path.split("/") and "\\" not in path


@FAST
@given(manifest=manifests())
def test_any_manifest_gives_a_package_or_an_error(manifest):
    _check(package_zip("scorm12", replace={"imsmanifest.xml": manifest}))


@pytest.mark.filterwarnings("ignore:Duplicate name")  # a zip with a name twice is a case
@FAST
@given(
    names=st.lists(member_names, max_size=5),
    data=st.binary(max_size=64),
    manifest=st.one_of(st.none(), manifests()),
)
def test_any_zip_members_give_a_package_or_an_error(names, data, manifest):
    buffer = io.BytesIO(
        package_zip("scorm12", replace={"imsmanifest.xml": manifest} if manifest else None)
    )
    with zipfile.ZipFile(buffer, "a") as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name), data)
    _check(buffer.getvalue())


@FAST
@given(
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8),
    truncate=st.one_of(st.none(), st.integers(0, 4000)),
)
def test_corrupted_zips_give_a_package_or_an_error(flips, truncate):
    data = bytearray(package_zip("scorm2004"))
    for at, value in flips:
        data[at % len(data)] = value
    if truncate is not None:
        data = data[:truncate]
    _check(bytes(data))


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_give_an_error(data):
    _check(data)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.sampled_from(["passed", "completed", "1e309", "NaN", "-0.5", "0:1:2", "PT1H"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "core",
                    "score",
                    "raw",
                    "min",
                    "max",
                    "scaled",
                    "lesson_status",
                    "completion_status",
                    "success_status",
                    "location",
                    "lesson_location",
                    "session_time",
                    "suspend_data",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


@FAST
@given(
    cmi=st.dictionaries(
        st.sampled_from(
            [
                "core",
                "score",
                "completion_status",
                "success_status",
                "location",
                "session_time",
                "suspend_data",
            ]
        ),
        json_values,
        max_size=6,
    ),
    is_2004=st.booleans(),
    rule=st.sampled_from(["completed", "passed", "score"]),
)
def test_any_runtime_data_reads_as_progress(cmi, is_2004, rule):
    progress = progress_of(cmi, is_2004=is_2004)
    assert progress.score is None or 0 <= progress.score <= 100
    assert 0 <= progress.session_seconds <= 24 * 3600
    assert isinstance(rule_met(progress, rule=rule, pass_score=80), bool)
    loaded = launch_data(
        saved=cmi,
        is_2004=is_2004,
        learner_id="1",
        learner_name="x",
        total_seconds=5,
        mastery_score=None,
    )
    assert isinstance(loaded, dict)
