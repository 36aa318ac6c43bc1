"""Which build of the product is running: what a kept page is stamped with, so that a
deployment never serves another build's HTML."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

#: What a build is made of: code, templates, texts and compiled catalogues, assets.
_SUFFIXES = {".py", ".html", ".txt", ".mo", ".js", ".css"}
#: Folders that are not the build (data, caches, tests); hidden folders and virtual
#: environments (a ``pyvenv.cfg`` inside), whatever their names, are not either.
_SKIPPED = {"node_modules", "media", "staticfiles", "tests", "__pycache__"}


def _is_build(folder: Path) -> bool:
    return not (
        folder.name in _SKIPPED or folder.name.startswith(".") or (folder / "pyvenv.cfg").exists()
    )


@functools.cache
def release() -> str:
    """``settings.RELEASE`` (set from the environment when deploying: the image tag or the git
    commit), else a digest of every source file of the checkout, computed once a process."""
    if settings.RELEASE:
        return settings.RELEASE
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(base):
        folders[:] = sorted(name for name in folders if _is_build(Path(folder) / name))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in _SUFFIXES:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
