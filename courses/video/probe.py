"""Debian's ffprobe and ffmpeg: what is in a video file, and a poster frame from it.

Both run as subprocesses on a local path with a timeout; their messages stay in the logs and
the editor gets a plain sentence (``ProbeError``). ``.ci/run`` and ``scripts/run_tests.py``
install the ``ffmpeg`` package when it is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

PROBE_TIMEOUT = 60
POSTER_TIMEOUT = 120


class ProbeError(Exception):
    """The file is not a video we can serve; the message is for the editor."""


@dataclass(frozen=True, slots=True)
class VideoInfo:
    duration: float
    width: int
    height: int
    codec: str


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else "")
    if not found:
        raise ProbeError(
            _("The server cannot read videos (%(tool)s is not installed). Tell the system team.")
            % {"tool": name}
        )
    return found


def probe(path: str | Path) -> VideoInfo:
    """Duration and first video stream of ``path``; ``ProbeError`` when it has no video."""
    command = [
        _tool("ffprobe"),
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        str(path),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, timeout=PROBE_TIMEOUT, check=False, text=True
        )
    except subprocess.TimeoutExpired as error:
        raise ProbeError(_("Reading the video took too long. Check the file.")) from error
    not_video = ProbeError(
        _(
            "This file is not a video that can be played (no video stream found). "
            "Upload an MP4 (H.264) or WebM file."
        )
    )
    if result.returncode != 0:
        raise not_video
    try:
        data = json.loads(result.stdout or "{}")
    except ValueError as error:
        raise not_video from error
    stream = next(
        (s for s in data.get("streams", []) if s.get("codec_type") == "video"),
        None,
    )
    if stream is None or stream.get("disposition", {}).get("attached_pic"):
        raise not_video
    duration = _float(data.get("format", {}).get("duration")) or _float(stream.get("duration"))
    if not duration or duration <= 0:
        raise ProbeError(_("The length of this video cannot be read. Check the file."))
    return VideoInfo(
        duration=duration,
        width=int(stream.get("width") or 0),
        height=int(stream.get("height") or 0),
        codec=str(stream.get("codec_name") or ""),
    )


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def poster_frame(path: str | Path, *, at_seconds: float, out: str | Path) -> None:
    """Write one JPEG frame of ``path`` taken at ``at_seconds`` to ``out``."""
    command = [
        _tool("ffmpeg"),
        "-v",
        "error",
        "-y",
        "-ss",
        f"{max(0.0, at_seconds):.3f}",
        "-i",
        str(path),
        "-frames:v",
        "1",
        "-vf",
        "scale='min(1280,iw)':-2",
        "-q:v",
        "3",
        str(out),
    ]
    try:
        result = subprocess.run(command, capture_output=True, timeout=POSTER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as error:
        raise ProbeError(_("Taking the poster frame took too long.")) from error
    if result.returncode != 0 or not Path(out).exists() or Path(out).stat().st_size == 0:
        raise ProbeError(_("No poster frame could be taken from this video."))
