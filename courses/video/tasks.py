"""The video processing task (thin: the work is ``courses.video.processing``).

Queued by ``courses.video.services.video_processing_request`` after the upload commits;
``courses.tasks`` imports this module so that the worker registers it.
"""

from __future__ import annotations

from core.tasks import task

from ..models import Video, VideoStatus
from .processing import video_process


def _given_up(self, video_id: int, *, reason: str, **kwargs) -> None:
    Video.objects.filter(pk=video_id).exclude(status=VideoStatus.READY).update(
        status=VideoStatus.FAILED, progress=100, error=reason
    )


@task(
    name="courses.video_process",
    soft_time_limit=600,
    max_retries=3,
    given_up=_given_up,
)
def video_process_task(self, video_id: int) -> str:
    """Read the duration of a video and take its poster frame (ffprobe, ffmpeg)."""
    return video_process(video_id=video_id)
