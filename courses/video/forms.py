"""The CMS form of a video: a file that is not a playable video, or captions that are not
WebVTT, are refused at upload with a sentence saying why, before anything is stored. The
files are private, so the inputs name the current file without linking it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import ClearableFileInput
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .probe import ProbeError, probe

#: Captions are text; anything this large is not captions of a lesson.
MAX_CAPTIONS_BYTES = 2 * 1024 * 1024


def _probe_upload(upload: UploadedFile) -> None:
    if hasattr(upload, "temporary_file_path"):
        probe(upload.temporary_file_path())
        return
    suffix = Path(upload.name or "").suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        probe(copy.name)
    upload.seek(0)


class PrivateFileInput(ClearableFileInput):
    """The file input without a link to the current file: private files have no URL (the
    lesson's media view sends them to the people who may see them)."""

    template_name = "courses/widgets/private_file_input.html"

    def is_initial(self, value) -> bool:
        # Django asks the file for its URL here; a private file has a name and no URL.
        return bool(value and getattr(value, "name", None))


class VideoForm(WagtailAdminModelForm):
    class Meta:
        widgets = {
            "file": PrivateFileInput(attrs={"accept": ".mp4,.webm,video/mp4,video/webm"}),
            "captions": PrivateFileInput(attrs={"accept": ".vtt,text/vtt"}),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            try:
                _probe_upload(upload)
            except ProbeError as error:
                raise ValidationError(str(error), code="not_video") from error
        return upload

    def clean_captions(self):
        upload = self.cleaned_data.get("captions")
        if isinstance(upload, UploadedFile):
            if upload.size > MAX_CAPTIONS_BYTES:
                raise ValidationError(_("The captions file is too large."), code="too_large")
            head = upload.read(64)
            upload.seek(0)
            text = head.decode("utf-8-sig", errors="ignore")  # 64 bytes may cut a character
            if not text.startswith("WEBVTT"):
                raise ValidationError(
                    _("The captions must be a WebVTT file in UTF-8 (the first line reads WEBVTT)."),
                    code="not_webvtt",
                )
        return upload
