"""Private files: uploads that carry people's data (roster files) are kept outside
``MEDIA_ROOT``, which a deployment serves to anyone for the guidebook's images.

They live under ``PRIVATE_STORAGE_ROOT`` and have no URL: a view that checks who asks reads
them and sends them (``org.roster.views.download``).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="core.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """``FileSystemStorage`` rooted at ``PRIVATE_STORAGE_ROOT`` (read on every use, so tests
    and deployments may change it), readable by the application's user and group only, and
    without a public URL."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @property
    def base_location(self) -> str:
        return os.fspath(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; a view that checks permission sends them.")


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private files, for ``FileField(storage=private_storage)``."""
    return _private
