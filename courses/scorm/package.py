"""Checking a SCORM package zip before anything is extracted, and reading its manifest.

Pure: it reads a file object and returns a ``PackageInfo`` or raises ``PackageError`` with a
message for the editor that names the file and the element at fault. Nothing is written.

The zip is refused, from its central directory alone and before one byte is decompressed,
when it has too many members, too many bytes once uncompressed, a member compressed more than
``SCORM_MAX_COMPRESSION_RATIO`` times (a zip bomb), an absolute path, a ``..`` component, a
symbolic link, an encrypted member or a compression method Python cannot read. Extraction
(``courses.scorm.storage``) then counts the bytes it really gets, so a header that lies about
a member's size is caught too.

Member names without the zip's UTF-8 flag are read as Shift_JIS (cp932) when they decode as
such: Japanese vendors' packages are often zipped on Windows, which writes names that way.

The manifest is parsed with defusedxml (no DTDs, entities or external references). A package
is one SCO: the default organization's first item that points at a resource is launched, and
a package with more than one SCO is refused (each SCO would need its own runtime data and
navigation between them, which a lesson of ours does not offer).
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
import zlib
from dataclasses import dataclass
from itertools import islice
from typing import IO
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.utils.translation import gettext as _

from ..models.scorm import ScormVersion

MANIFEST = "imsmanifest.xml"
# A manifest is a few kilobytes; one of megabytes is not a manifest.
MANIFEST_MAX_BYTES = 2 * 1024 * 1024
# Small members compress far beyond any sane ratio (a file of spaces); a bomb is large.
RATIO_FLOOR_BYTES = 1024 * 1024


class PackageError(ValueError):
    """A package that cannot be used; the message is for the editor who uploaded it."""


@dataclass(frozen=True)
class Member:
    """A file of the package: its name inside the zip, and the clean path we serve it at."""

    info: zipfile.ZipInfo
    path: str


@dataclass(frozen=True)
class PackageInfo:
    """What the manifest says, once the zip and the manifest passed every check."""

    version: str
    title: str
    launch_path: str  # a member path, e.g. "course/index.html"
    launch_query: str  # the item's parameters, without "?"
    mastery_score: int | None  # SCORM 1.2 adlcp:masteryscore (0-100)
    members: tuple[Member, ...]
    uncompressed_bytes: int


def limits() -> dict[str, int]:
    """The limits in force (settings read on every use, so tests and deployments set them)."""
    return {
        "max_upload": settings.SCORM_MAX_UPLOAD_BYTES,
        "max_files": settings.SCORM_MAX_FILES,
        "max_bytes": settings.SCORM_MAX_UNCOMPRESSED_BYTES,
        "max_ratio": settings.SCORM_MAX_COMPRESSION_RATIO,
    }


# --- the zip -----------------------------------------------------------------------------


def _decoded_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def clean_member_path(name: str) -> str:
    """The member's path, with ``\\`` read as ``/``; PackageError for a path that could leave
    the package's folder (absolute, a drive, ``..``) or that no file system can hold."""
    path = name.replace("\\", "/")
    if "\x00" in path or any(ord(char) < 32 for char in path):
        raise PackageError(
            _("The zip has a file name with control characters: %(name)s.") % {"name": repr(name)}
        )
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise PackageError(_("The zip has a file with an absolute path: %(name)s") % {"name": name})
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts):
        raise PackageError(
            _("The zip has a file whose path leaves the package (“..”): %(name)s") % {"name": name}
        )
    if not parts or any(len(part.encode()) > 255 for part in parts) or len(path) > 1000:
        raise PackageError(
            _("The zip has a file name that is too long or empty: %(name)s") % {"name": name}
        )
    return "/".join(parts)


def check_zip(archive: zipfile.ZipFile) -> tuple[tuple[Member, ...], int]:
    """Every member checked against the limits from the central directory alone."""
    limit = limits()
    infos = archive.infolist()
    if len(infos) > limit["max_files"]:
        raise PackageError(
            _("The zip has %(count)d files; at most %(limit)d are allowed.")
            % {"count": len(infos), "limit": limit["max_files"]}
        )
    members: list[Member] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = _decoded_name(info)
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise PackageError(
                _("The zip has a symbolic link, which is refused: %(name)s") % {"name": name}
            )
        if info.flag_bits & 0x1:
            raise PackageError(_("The zip has an encrypted file: %(name)s") % {"name": name})
        path = clean_member_path(name)
        if info.is_dir() or name.endswith(("/", "\\")):
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(
                _(
                    "The zip compresses %(name)s with a method we cannot read; zip it again "
                    "with the usual (deflate) compression."
                )
                % {"name": name}
            )
        if path.casefold() in seen:
            raise PackageError(_("The zip has the file %(name)s twice.") % {"name": name})
        seen.add(path.casefold())
        if info.file_size >= RATIO_FLOOR_BYTES and (
            info.file_size > limit["max_ratio"] * max(info.compress_size, 1)
        ):
            raise PackageError(
                _(
                    "The zip compresses %(name)s more than %(ratio)d times, as a zip bomb "
                    "does; it is refused."
                )
                % {"name": name, "ratio": limit["max_ratio"]}
            )
        total += info.file_size
        if total > limit["max_bytes"]:
            raise PackageError(
                _("The package would take more than %(limit)d MB once unzipped.")
                % {"limit": limit["max_bytes"] // (1024 * 1024)}
            )
        members.append(Member(info=info, path=path))
    return tuple(members), total


# --- the manifest ------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _attribute(element: Element, name: str) -> str:
    """An attribute by local name, whatever its namespace (``adlcp:scormtype`` and kin)."""
    for key, value in element.attrib.items():
        if _local(key).casefold() == name.casefold():
            return value.strip()
    return ""


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _missing(inside: str, element: str) -> PackageError:
    return PackageError(
        _("%(file)s: <%(inside)s> has no <%(element)s>.")
        % {"file": MANIFEST, "inside": inside, "element": element}
    )


def _version(root: Element) -> str:
    metadata = next(iter(_children(root, "metadata")), None)
    schema = (
        next(iter(_children(metadata, "schemaversion")), None) if metadata is not None else None
    )
    declared = _text(schema)
    # Without <schemaversion>, the ADL namespace of the elements and attributes tells.
    namespaces = " ".join(
        " ".join([str(element.tag), *map(str, element.attrib)])
        for element in islice(root.iter(), 500)
    )
    if declared == "1.2" or (not declared and "adlcp_rootv1p2" in namespaces):
        return ScormVersion.SCORM_12
    if declared in ("2004 4th Edition",):
        return ScormVersion.SCORM_2004_4
    if declared in ("2004 3rd Edition", "CAM 1.3") or (not declared and "adlcp_v1p3" in namespaces):
        return ScormVersion.SCORM_2004_3
    if declared:
        raise PackageError(
            _(
                "%(file)s: <schemaversion> says “%(value)s”; we run SCORM 1.2, 2004 3rd "
                "Edition and 2004 4th Edition."
            )
            % {"file": MANIFEST, "value": declared[:60]}
        )
    raise _missing("metadata", "schemaversion")


def _resource_href(resources: Element, resource: Element) -> str:
    href = _attribute(resource, "href")
    base = (_attribute(resources, "base") + _attribute(resource, "base")).strip()
    return posixpath.join(base, href) if base and href else href


def _items(element: Element):
    for item in _children(element, "item"):
        yield item
        yield from _items(item)


def parse_manifest(data: bytes, member_paths: set[str]) -> dict:
    """Version, title, launch and mastery score from the manifest's bytes; ``member_paths``
    are the package's files, which the launch must be one of."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise PackageError(
            _("%(file)s is not well-formed XML (%(reason)s).")
            % {"file": MANIFEST, "reason": str(error)[:120]}
        ) from error
    if _local(root.tag) != "manifest":
        raise PackageError(
            _("%(file)s: the root element is <%(element)s>, not <manifest>.")
            % {"file": MANIFEST, "element": _local(root.tag)[:40]}
        )
    version = _version(root)
    organizations = next(iter(_children(root, "organizations")), None)
    if organizations is None:
        raise _missing("manifest", "organizations")
    candidates = _children(organizations, "organization")
    if not candidates:
        raise _missing("organizations", "organization")
    default = _attribute(organizations, "default")
    organization = next(
        (org for org in candidates if _attribute(org, "identifier") == default), candidates[0]
    )
    resources_element = next(iter(_children(root, "resources")), None)
    if resources_element is None:
        raise _missing("manifest", "resources")
    resources = {
        _attribute(resource, "identifier"): resource
        for resource in _children(resources_element, "resource")
    }
    items = list(_items(organization))
    if not items:
        raise _missing("organization", "item")
    launched = [item for item in items if _attribute(item, "identifierref")]
    if not launched:
        raise PackageError(
            _("%(file)s: no <item> of the <organization> has an identifierref to launch.")
            % {"file": MANIFEST}
        )
    scos = []
    for item in launched:
        ref = _attribute(item, "identifierref")
        resource = resources.get(ref)
        if resource is None:
            raise PackageError(
                _('%(file)s: <item identifierref="%(ref)s"> points to no <resource>.')
                % {"file": MANIFEST, "ref": ref[:80]}
            )
        scos.append((item, resource))
    if len(scos) > 1:
        raise PackageError(
            _(
                "%(file)s: the <organization> launches %(count)d SCOs; a lesson runs a "
                "package of one SCO. Upload each SCO as a lesson of its own."
            )
            % {"file": MANIFEST, "count": len(scos)}
        )
    item, resource = scos[0]
    href = _resource_href(resources_element, resource)
    if not href:
        raise PackageError(
            _('%(file)s: <resource identifier="%(ref)s"> has no href.')
            % {"file": MANIFEST, "ref": _attribute(resource, "identifier")[:80]}
        )
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise PackageError(
            _(
                "%(file)s: the package launches %(href)s, outside the package; it must "
                "launch a file of its own."
            )
            % {"file": MANIFEST, "href": href[:120]}
        )
    try:
        launch_path = clean_member_path(unquote(parts.path))
    except PackageError as error:
        raise PackageError(f"{MANIFEST}: {error}") from error
    if launch_path not in member_paths:
        raise PackageError(
            _("%(file)s: the launch file %(href)s named in <resource> is not in the zip.")
            % {"file": MANIFEST, "href": launch_path[:120]}
        )
    query = "&".join(
        piece for piece in (parts.query, _attribute(item, "parameters").lstrip("?&")) if piece
    )
    mastery: int | None = None
    raw_mastery = _text(next(iter(_children(item, "masteryscore")), None))
    if version == ScormVersion.SCORM_12 and raw_mastery:
        try:
            mastery = round(float(raw_mastery))
        except ValueError:
            mastery = None
        if mastery is None or not 0 <= mastery <= 100:
            raise PackageError(
                _("%(file)s: <item> has adlcp:masteryscore “%(value)s”; it must be 0 to 100.")
                % {"file": MANIFEST, "value": raw_mastery[:20]}
            )
    title = _text(next(iter(_children(organization, "title")), None)) or _text(
        next(iter(_children(item, "title")), None)
    )
    return {
        "version": version,
        "title": title[:255],
        "launch_path": launch_path,
        "launch_query": query[:1000],
        "mastery_score": mastery,
    }


def inspect_package(upload: IO[bytes]) -> PackageInfo:
    """Check the zip in ``upload`` and read its manifest; PackageError when it is refused."""
    limit = limits()
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size > limit["max_upload"]:
        raise PackageError(
            _("The zip is %(size)d MB; at most %(limit)d MB are allowed.")
            % {"size": size // (1024 * 1024), "limit": limit["max_upload"] // (1024 * 1024)}
        )
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise PackageError(_("The file is not a zip archive that can be read.")) from error
    with archive:
        members, total = check_zip(archive)
        by_path = {member.path: member for member in members}
        manifest = by_path.get(MANIFEST)
        if manifest is None:
            raise PackageError(
                _("The zip has no %(file)s at its top level; it is not a SCORM package.")
                % {"file": MANIFEST}
            )
        if manifest.info.file_size > MANIFEST_MAX_BYTES:
            raise PackageError(_("%(file)s is too large.") % {"file": MANIFEST})
        try:
            with archive.open(manifest.info) as stream:
                data = stream.read(MANIFEST_MAX_BYTES + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            ValueError,
            EOFError,
            RuntimeError,
        ) as error:
            raise PackageError(
                _("%(file)s cannot be read from the zip.") % {"file": MANIFEST}
            ) from error
        if len(data) > MANIFEST_MAX_BYTES:
            raise PackageError(_("%(file)s is too large.") % {"file": MANIFEST})
        found = parse_manifest(data, set(by_path))
    return PackageInfo(members=members, uncompressed_bytes=total, **found)
