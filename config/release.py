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
#: Folders that are not the build (environments, data, caches, tests).
_SKIPPED = {".venv", ".git", "node_modules", "media", "staticfiles", "tests", "__pycache__"}


@functools.cache
def release() -> str:
    """``settings.RELEASE`` (set from the environment when deploying: the image tag or the git
    commit), else a digest of every source file of the checkout, computed once a process."""
    if settings.RELEASE:
        return settings.RELEASE
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(base):
        folders[:] = sorted(name for name in folders if name not in _SKIPPED)
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in _SUFFIXES:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
