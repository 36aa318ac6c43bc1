"""The work of the processing task: read an uploaded video's duration and take its poster.

Runs in a Celery worker (``courses.video.tasks.video_process_task``), outside any request.
The progress the CMS shows moves as it goes (probed, poster taken, ready); a file that is
not a video ends as ``failed`` with a sentence for the editor. Idempotent: a video whose
current file was already processed is left alone, and a file replaced while the task ran
is not overwritten with the old file's results (the update names the file it processed).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation

from ..models import Video, VideoStatus
from .probe import ProbeError, poster_frame, probe

logger = logging.getLogger(__name__)


def _set_progress(video: Video, *, name: str, status: str, progress: int, **fields) -> bool:
    """Write the status of ``video`` while its file is still ``name``; False once replaced."""
    return bool(
        Video.objects.filter(pk=video.pk, file=name).update(
            status=status, progress=progress, updated_at=timezone.now(), **fields
        )
    )


def _local_copy(video: Video, folder: Path) -> Path:
    """A path ffmpeg can read: the stored file itself, or a copy of it for remote storage."""
    try:
        return Path(video.file.path)
    except NotImplementedError:
        copy = folder / Path(video.file.name).name
        with video.file.open("rb") as source, copy.open("wb") as target:
            for chunk in source.chunks():
                target.write(chunk)
        return copy


def video_process(*, video_id: int) -> str:
    """Probe the video's file for its duration and take a poster frame; returns the status."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None or not video.file:
        return "missing"
    name = video.file.name
    if video.processed_file == name and video.status in (VideoStatus.READY, VideoStatus.FAILED):
        return video.status
    _set_progress(video, name=name, status=VideoStatus.PROCESSING, progress=10, error="")
    with (
        tempfile.TemporaryDirectory(prefix="video-") as tmp,
        translation.override(settings.LANGUAGE_CODE),
    ):
        folder = Path(tmp)
        try:
            path = _local_copy(video, folder)
            info = probe(path)
            _set_progress(
                video,
                name=name,
                status=VideoStatus.PROCESSING,
                progress=50,
                duration_seconds=info.duration,
            )
            poster = folder / f"{Path(name).stem}.jpg"
            # A frame a little into the video: the first is often black.
            poster_frame(path, at_seconds=min(info.duration * 0.1, 5.0), out=poster)
        except ProbeError as error:
            logger.info("Video %s could not be processed: %s", video_id, error)
            _set_progress(
                video,
                name=name,
                status=VideoStatus.FAILED,
                progress=100,
                error=str(error),
                processed_file=name,
            )
            return VideoStatus.FAILED
        with poster.open("rb") as handle:
            stored = video.poster.storage.save(
                video.poster.field.generate_filename(video, poster.name), File(handle)
            )
    if not _set_progress(
        video,
        name=name,
        status=VideoStatus.READY,
        progress=100,
        poster=stored,
        processed_file=name,
    ):
        video.poster.storage.delete(stored)  # the file was replaced meanwhile
        return "replaced"
    return VideoStatus.READY
