"""SCORM packages for tests: the two real packages under tests/data/scorm zipped on demand,
with files replaced, added or left out, and SCORM lessons that run them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from courses.models import CoursePage, ScormLessonPage
from courses.scorm.services import scorm_package_create

DATA = Path(__file__).resolve().parents[2] / "data" / "scorm"


def package_zip(
    name: str = "scorm12",
    *,
    replace: dict[str, bytes | str] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """The package folder ``name`` as a zip; ``replace`` sets (or adds) members by path."""
    members: dict[str, bytes] = {}
    root = DATA / name
    for path in sorted(root.rglob("*")):
        if path.is_file():
            members[path.relative_to(root).as_posix()] = path.read_bytes()
    for path, data in (replace or {}).items():
        members[path] = data.encode() if isinstance(data, str) else data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            if path not in drop:
                archive.writestr(path, data)
    return buffer.getvalue()


def manifest_of(name: str) -> str:
    return (DATA / name / "imsmanifest.xml").read_text(encoding="utf-8")


def make_scorm_lesson(
    course: CoursePage, name: str = "scorm12", *, slug: str | None = None, **fields
) -> ScormLessonPage:
    """A published SCORM lesson under ``course`` running the package ``name``."""
    package = scorm_package_create(
        by=None, upload=io.BytesIO(package_zip(name)), name=f"{name}.zip"
    )
    page = ScormLessonPage(
        title=fields.pop("title", package.title or name),
        slug=slug or name,
        package=package,
        **fields,
    )
    course.add_child(instance=page)
    page.save_revision().publish()
    return ScormLessonPage.objects.get(pk=page.pk)
