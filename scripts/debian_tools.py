"""Debian programs the test suite drives, found or installed: the body of
``scripts/run_tests.py``'s browser, video and directory steps.

Chromium (the e2e tests, Playwright driving it; never a downloaded browser), ffmpeg and
ffprobe (video lessons) and slapd with ldap-utils and openssl (the directory sign-in tests).
Each is looked for first; when missing and we are root on Debian it is installed from
Debian's archive (``apt-get install --no-install-recommends``), else the caller deselects
the tests that need it, loudly.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
from pathlib import Path


def say(message: str) -> None:
    print(f"[run_tests] {message}", flush=True)


# Chromium -------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


def chromium_path() -> str | None:
    """Debian's chromium, the browser of the e2e tests; None when it is not installed."""
    for candidate in (shutil.which("chromium"), str(CHROMIUM)):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def apt_install(packages: list[str], why: str, *, preseed: str = "") -> bool:
    """Install Debian packages when we may (root on Debian); False when we may not."""
    apt_get = shutil.which("apt-get")
    if os.geteuid() != 0 or apt_get is None or not Path("/etc/debian_version").exists():
        say(f"{' '.join(packages)} missing, and only root on Debian installs them here.")
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with contextlib.suppress(OSError):
        if preseed:
            subprocess.run(["debconf-set-selections"], input=preseed, text=True, env=env,
                           check=False)  # fmt: skip
        install = [apt_get, "install", "-y", "-qq", "--no-install-recommends", *packages]
        say(f"Installing {why}: " + shlex.join(install))
        if subprocess.run(install, env=env, stdin=subprocess.DEVNULL, check=False).returncode:
            # A fresh machine may have no package lists yet.
            subprocess.run([apt_get, "update", "-qq"], env=env, stdin=subprocess.DEVNULL,
                           check=False)  # fmt: skip
            subprocess.run(install, env=env, stdin=subprocess.DEVNULL, check=False)
    return True


def find_chromium() -> str | None:
    """Chromium, installed from Debian's archive when missing and we may (root on Debian)."""
    found = chromium_path()
    if found:
        say(f"Chromium: {found}")
        return found
    if not apt_install(["chromium"], "Debian's chromium for the e2e tests"):
        return None
    found = chromium_path()
    say(f"Chromium: {found}" if found else "Installing chromium failed; see above.")
    return found


# ffmpeg ---------------------------------------------------------------------------------------


def find_ffmpeg() -> str | None:
    """ffmpeg and ffprobe (video lessons), installed from Debian's archive when missing and we
    may (root on Debian)."""
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        say(f"ffmpeg: {shutil.which('ffmpeg')}")
        return shutil.which("ffmpeg")
    if not apt_install(["ffmpeg"], "Debian's ffmpeg for the video lessons"):
        return None
    found = shutil.which("ffmpeg") if shutil.which("ffprobe") else None
    say(f"ffmpeg: {found}" if found else "Installing ffmpeg failed; see above.")
    return found


# slapd ----------------------------------------------------------------------------------------

SLAPD = Path("/usr/sbin/slapd")
DIRECTORY_PACKAGES = ["slapd", "ldap-utils", "openssl"]
# The package would otherwise make a directory (dc=nodomain) and start it on port 389: the
# tests need neither, they start their own slapd on free loopback ports.
SLAPD_PRESEED = "slapd slapd/no_configuration boolean true\n"


def slapd_path() -> str | None:
    """Debian's slapd, when it and openssl (the tests make their certificates) are there."""
    if shutil.which("openssl") is None:
        return None
    for candidate in (shutil.which("slapd"), str(SLAPD)):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_slapd() -> str | None:
    """slapd for the directory sign-in tests, installed from Debian's archive when missing and
    we may (root on Debian), preseeded to leave no directory or daemon of its own."""
    found = slapd_path()
    if found:
        say(f"slapd: {found}")
        return found
    if not apt_install(
        DIRECTORY_PACKAGES, "slapd for the directory sign-in tests", preseed=SLAPD_PRESEED
    ):
        return None
    found = slapd_path()
    say(f"slapd: {found}" if found else "Installing slapd failed; see above.")
    return found
