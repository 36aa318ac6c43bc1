"""A checked package's files in private storage: extraction and reading.

Extraction follows ``courses.scorm.package.inspect_package`` and trusts nothing of the
central directory it already checked: each member is read in chunks and refused the moment
it gives more bytes than its header declared, so a lying header cannot fill the disk. The
paths written are the cleaned member paths under ``ScormPackage.folder``.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from core.storage import private_storage

from ..models.scorm import ScormPackage
from .package import Member, PackageError, PackageInfo

CHUNK = 64 * 1024


def member_name(package: ScormPackage, path: str) -> str:
    return f"{package.folder}/{path}"


def _copy_member(archive: zipfile.ZipFile, member: Member, into: IO[bytes]) -> None:
    """Decompress ``member`` into ``into``, refusing it the moment it gives more bytes than
    its header declared; the zip's CRC check runs at its end."""
    declared = member.info.file_size
    size = 0
    try:
        with archive.open(member.info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > declared:
                    raise PackageError(
                        _("%(name)s holds more than its zip header says; refused.")
                        % {"name": member.path}
                    )
                into.write(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as error:
        raise PackageError(
            _("%(name)s cannot be read from the zip (%(reason)s).")
            % {"name": member.path, "reason": str(error)[:80]}
        ) from error


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def package_verify(*, upload: IO[bytes], info: PackageInfo) -> None:
    """Decompress every member without keeping it (the editor's form, before anything is
    stored): a member that cannot be read or lies about its size is refused here, where the
    form can show it, rather than half-way through the extraction."""
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for member in info.members:
            _copy_member(archive, member, _Discard())


def package_extract(*, package: ScormPackage, upload: IO[bytes], info: PackageInfo) -> None:
    """Write every member of ``info`` under the package's folder."""
    storage = private_storage()
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for member in info.members:
            # Large members (videos) go through a temporary file, not memory.
            with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as copy:
                _copy_member(archive, member, copy)
                copy.seek(0)
                name = member_name(package, member.path)
                saved = storage.save(name, File(copy, name=name))
            if saved != name:  # the storage renamed it: the folder was not empty
                raise PackageError(_("The package's folder is not empty."))


def package_files_delete(package: ScormPackage) -> None:
    """Remove what an upload that failed half-way wrote (best effort)."""
    storage = private_storage()

    def remove(folder: str) -> None:
        if not storage.exists(folder):
            return
        folders, files = storage.listdir(folder)
        for name in files:
            storage.delete(f"{folder}/{name}")
        for name in folders:
            remove(f"{folder}/{name}")

    remove(package.folder)
    if package.file:
        package.file.delete(save=False)


def package_member(package: ScormPackage, path: str) -> tuple[Storage, str]:
    """The storage and stored name of the file at ``path`` of ``package``
    (FileNotFoundError when there is none)."""
    storage = private_storage()
    name = member_name(package, path)
    if not storage.exists(name):
        raise FileNotFoundError(name)
    return storage, name
