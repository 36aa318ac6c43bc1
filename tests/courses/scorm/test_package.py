"""The package check: the two real packages pass, and each refusal names the file and the
element, before anything is extracted."""

import io
import stat
import zipfile

import pytest

from courses.models.scorm import ScormVersion
from courses.scorm.package import PackageError, clean_member_path, inspect_package

from .helpers import manifest_of, package_zip


def inspect(data: bytes):
    return inspect_package(io.BytesIO(data))


def test_scorm12_package_is_read():
    info = inspect(package_zip("scorm12"))
    assert info.version == ScormVersion.SCORM_12
    assert info.launch_path == "index.html"
    assert info.mastery_score == 80
    assert info.title == "情報セキュリティ基礎（SCORM 1.2）"
    assert {member.path for member in info.members} == {
        "imsmanifest.xml", "index.html", "lesson.js", "lesson.css"
    }  # fmt: skip


def test_scorm2004_4th_package_is_read():
    info = inspect(package_zip("scorm2004"))
    assert info.version == ScormVersion.SCORM_2004_4
    assert info.launch_path == "content/start.html"
    assert info.mastery_score is None


def test_2004_3rd_edition_and_version_from_namespace():
    manifest = manifest_of("scorm2004").replace("2004 4th Edition", "2004 3rd Edition")
    assert inspect(package_zip("scorm2004", replace={"imsmanifest.xml": manifest})).version == (
        ScormVersion.SCORM_2004_3
    )
    manifest = manifest_of("scorm12").replace("<schemaversion>1.2</schemaversion>", "")
    manifest = manifest.replace('type="webcontent"', 'type="webcontent" adlcp:scormtype="sco" x=""')
    manifest = manifest.replace(' adlcp:scormtype="sco" x=""', "", 1)
    assert inspect(package_zip("scorm12", replace={"imsmanifest.xml": manifest})).version == (
        ScormVersion.SCORM_12
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("</item>", "</notitem>", "imsmanifest.xml: <organization> has no <item>."),
        ('identifierref="res1"', 'identifierref="nothing"', 'identifierref="nothing"'),
        ('href="index.html">', 'href="missing.html">', "missing.html named in <resource>"),
        ('href="index.html">', 'href="https://evil.example/x.html">', "outside the package"),
        ('href="index.html">', 'href="../../etc/passwd">', "leaves the package"),
        ("<schemaversion>1.2</schemaversion>", "<schemaversion>CMI5</schemaversion>", "CMI5"),
        ("<adlcp:masteryscore>80<", "<adlcp:masteryscore>180<", "masteryscore"),
        ('<organizations default="org1">', "<nothing>", "not well-formed"),
    ],
)
def test_manifest_errors_name_the_file_and_element(old, new, message):
    manifest = manifest_of("scorm12").replace(old, new)
    if old == "</item>":
        manifest = manifest.replace('<item identifier="item1" identifierref="res1">', "<notitem>")
    with pytest.raises(PackageError) as error:
        inspect(package_zip("scorm12", replace={"imsmanifest.xml": manifest}))
    assert message in str(error.value)


def test_missing_organizations_and_resources():
    manifest = manifest_of("scorm12")
    start, end = manifest.index("<organizations"), manifest.index("</organizations>") + 16
    with pytest.raises(PackageError, match="<manifest> has no <organizations>"):
        inspect(
            package_zip("scorm12", replace={"imsmanifest.xml": manifest[:start] + manifest[end:]})
        )
    start, end = manifest.index("<resources>"), manifest.index("</resources>") + 12
    with pytest.raises(PackageError, match="<manifest> has no <resources>"):
        inspect(
            package_zip("scorm12", replace={"imsmanifest.xml": manifest[:start] + manifest[end:]})
        )


def test_two_scos_are_refused():
    manifest = manifest_of("scorm12").replace(
        "</organization>",
        '<item identifier="item2" identifierref="res1"><title>2</title></item></organization>',
    )
    with pytest.raises(PackageError, match="launches 2 SCOs"):
        inspect(package_zip("scorm12", replace={"imsmanifest.xml": manifest}))


def test_entities_and_dtds_are_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>'
    )
    with pytest.raises(PackageError, match="not well-formed XML"):
        inspect(package_zip("scorm12", replace={"imsmanifest.xml": bomb}))


def test_a_zip_without_manifest_or_not_a_zip():
    with pytest.raises(PackageError, match=r"no imsmanifest\.xml at its top level"):
        inspect(package_zip("scorm12", drop=("imsmanifest.xml",)))
    with pytest.raises(PackageError, match="not a zip archive"):
        inspect(b"PK\x03\x04 this is not a zip at all")


def _zip_with(info: zipfile.ZipInfo, data: bytes = b"x") -> bytes:
    buffer = io.BytesIO(package_zip("scorm12"))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.js", "leaves the package"),
        ("a/../../evil.js", "leaves the package"),
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/evil.js", "absolute path"),
        ("..\\evil.js", "leaves the package"),
    ],
)
def test_path_traversal_is_refused(name, message):
    with pytest.raises(PackageError, match=message):
        inspect(_zip_with(zipfile.ZipInfo(name)))


def test_symlink_is_refused():
    info = zipfile.ZipInfo("link")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(PackageError, match="symbolic link"):
        inspect(_zip_with(info, b"/etc/passwd"))


def test_zip_bomb_and_limits_are_refused_before_extraction(settings):
    info = zipfile.ZipInfo("bomb.bin")
    info.compress_type = zipfile.ZIP_DEFLATED
    with pytest.raises(PackageError, match="zip bomb"):
        inspect(_zip_with(info, b"\0" * (8 * 1024 * 1024)))
    settings.SCORM_MAX_FILES = 3
    with pytest.raises(PackageError, match="at most 3 are allowed"):
        inspect(package_zip("scorm12"))
    settings.SCORM_MAX_FILES = 100
    settings.SCORM_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(PackageError, match="once unzipped"):
        inspect(package_zip("scorm12"))
    settings.SCORM_MAX_UPLOAD_BYTES = 100
    with pytest.raises(PackageError, match="at most 0 MB"):
        inspect(package_zip("scorm12"))


def test_japanese_names_zipped_on_windows_are_read():
    buffer = io.BytesIO(package_zip("scorm12"))
    with zipfile.ZipFile(buffer, "a") as archive:
        info = zipfile.ZipInfo("教材/画像.png")
        archive.writestr(info, b"png")
    # Rewrite the name as Windows' zip does: Shift_JIS bytes, no UTF-8 flag.
    data = buffer.getvalue()
    utf8, sjis = "教材/画像.png".encode(), "教材/画像.png".encode("cp932")
    assert len(sjis) < len(utf8)
    sjis_padded = sjis + b"_" * (len(utf8) - len(sjis))
    data = data.replace(utf8, sjis_padded)
    patched = bytearray(data)
    # clear the UTF-8 flag (bit 11) of both headers of that member
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = -1
        while (at := data.find(header, at + 1)) != -1:
            offset = 6 if header == b"PK\x03\x04" else 8
            flags = int.from_bytes(patched[at + offset : at + offset + 2], "little")
            patched[at + offset : at + offset + 2] = (flags & ~0x800).to_bytes(2, "little")
    info = inspect(bytes(patched))
    assert "教材/画像.png" + "_" * (len(utf8) - len(sjis)) in {m.path for m in info.members}


def test_clean_member_path():
    assert clean_member_path("a\\b/./c.html") == "a/b/c.html"
    with pytest.raises(PackageError):
        clean_member_path("a/\x00b")
