"""Writes around SCORM lessons: uploading a package, saving a learner's runtime data.

Keyword-only and atomic. ``scorm_package_create`` asks ``org.access`` (editors only) before it
touches anything; ``scorm_attempt_commit`` writes only the caller's own record, found by the
signed-in user, so no request can save into someone else's. When a save makes the lesson's
rule hold, the lesson is recorded read through ``courses.services.lesson_read_record`` in the
same transaction, which sends ``courses.signals.lesson_read`` as a read lesson does.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org import access

from ..models import LessonRead
from ..models.scorm import ScormAttempt, ScormLessonPage, ScormPackage
from ..services import lesson_read_record
from ..years import course_path_of, training_period
from . import runtime
from .package import PackageError, inspect_package
from .storage import package_extract, package_files_delete

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)


class CommitError(Exception):
    """A save of runtime data that is refused; the message is for the learner."""


def scorm_package_create(
    *, by: AbstractBaseUser | None, upload: IO[bytes], name: str
) -> ScormPackage:
    """Check the zip in ``upload``, keep it and extract its files; PackageError (nothing
    kept) when it is refused. A zip already kept (the same bytes) gives its package again.
    ``by=None`` is the system (tests, commands)."""
    if by is not None:
        access.require(access.is_editor(by), _("Only editors may upload SCORM packages."))
    digest = _sha256(upload)
    existing = ScormPackage.objects.filter(sha256=digest).order_by("pk").first()
    if existing is not None:
        return existing
    info = inspect_package(upload)
    package = ScormPackage(
        title=info.title,
        original_name=name[:255],
        version=info.version,
        launch_path=info.launch_path,
        launch_query=info.launch_query,
        mastery_score=info.mastery_score,
        file_count=len(info.members),
        size=info.uncompressed_bytes,
        sha256=digest,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            upload.seek(0)
            package.file.save("package.zip", File(upload, name="package.zip"), save=False)
            package_extract(package=package, upload=upload, info=info)
            package.save()
    except Exception:
        package_files_delete(package)
        raise
    logger.info(
        "SCORM package %s uploaded (%s, %d files)", package.key, package.version, package.file_count
    )
    return package


def _sha256(upload: IO[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(1024 * 1024):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _cmi_from(payload: str) -> dict:
    if len(payload.encode()) > settings.SCORM_MAX_CMI_BYTES:
        raise CommitError(_("The lesson's data is too large to save."))
    try:
        data = json.loads(payload)
    except ValueError as error:
        raise CommitError(_("The lesson's data could not be read.")) from error
    cmi = data.get("cmi") if isinstance(data, dict) else None
    if not isinstance(cmi, dict):
        raise CommitError(_("The lesson's data could not be read."))
    return cmi


@transaction.atomic
def scorm_attempt_commit(
    *,
    user: AbstractBaseUser,
    lesson: ScormLessonPage,
    payload: str,
    session_key: str,
    sequence: int,
    elapsed_seconds: int = 0,
) -> ScormAttempt:
    """Save the runtime data ``payload`` (``{"cmi": {...}}`` as JSON) of ``user``'s launch
    ``session_key``; saves of a launch arrive numbered by ``sequence`` and an older one than
    the last kept is ignored. The launch's time is the package's ``session_time``, or, for a
    package that reports none, ``elapsed_seconds`` the page was open. Records the lesson read
    once its rule holds."""
    access.require(bool(user and user.is_authenticated))
    if lesson.package_id is None:
        raise CommitError(_("This lesson has no SCORM package."))
    session_key = session_key[:64]
    if not session_key:
        raise CommitError(_("The lesson's data could not be read."))
    cmi = _cmi_from(payload)
    period = training_period(user_id=user.pk, course_path=course_path_of(lesson))
    attempt, _created = ScormAttempt.objects.select_for_update().get_or_create(
        user=user,
        lesson=lesson,
        **period.fields(),
        defaults={"package_id": lesson.package_id},
    )
    if attempt.session_key == session_key and sequence <= attempt.sequence:
        return attempt  # a late duplicate of a save already kept
    progress = runtime.progress_of(cmi, is_2004=lesson.package.is_2004)
    if attempt.session_key != session_key:
        # A new launch: the time of the last one is kept for good.
        attempt.total_seconds += attempt.session_seconds
        attempt.session_seconds = 0
        attempt.session_key = session_key
    attempt.sequence = sequence
    attempt.cmi = cmi
    attempt.package_id = lesson.package_id
    attempt.lesson_status = progress.lesson_status
    attempt.completion_status = progress.completion_status
    attempt.success_status = progress.success_status
    attempt.score = progress.score
    attempt.location = progress.location
    reported = progress.session_seconds or min(max(elapsed_seconds, 0), runtime.MAX_SESSION_SECONDS)
    attempt.session_seconds = max(attempt.session_seconds, reported)
    attempt.commits += 1
    if attempt.done_at is None and runtime.rule_met(
        progress, rule=lesson.rule, pass_score=lesson.pass_score
    ):
        attempt.done_at = timezone.now()
        lesson_read_record(user=user, lesson=lesson, via=LessonRead.Via.SCORM)
    attempt.save()
    return attempt


__all__ = ["CommitError", "PackageError", "scorm_attempt_commit", "scorm_package_create"]
