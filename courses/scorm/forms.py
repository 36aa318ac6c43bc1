"""The SCORM lesson's editor form: the package zip is uploaded with the page.

The zip is checked in ``clean``, every member decompressed once without being kept (errors
under the field, naming the file and the element), and stored when the page is saved; a page
keeps its package when no new zip is given. Publishing (or submitting for review) a lesson
without a package is refused; a draft may wait for it.
Wired as ``ScormLessonPage.base_form_class`` in ``CoursesConfig.ready`` (the form needs the
services, which need the models).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

from .package import PackageError, inspect_package
from .services import scorm_package_create
from .storage import package_verify


class ScormLessonPageForm(WagtailAdminPageForm):
    package_upload = forms.FileField(
        label=gettext_lazy("SCORM package (zip)"),
        required=False,
        help_text=gettext_lazy(
            "A SCORM 1.2 or SCORM 2004 (3rd or 4th edition) zip with imsmanifest.xml at its "
            "top level. Uploading a new zip replaces the package from the next launch on."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        package = self.instance.package if self.instance.package_id else None
        if package is not None:
            field = self.fields["package_upload"]
            field.help_text = _(
                "Now: %(name)s (%(version)s, %(count)d files, launches %(launch)s). %(help)s"
            ) % {
                "name": package.original_name or package.title,
                "version": package.get_version_display(),
                "count": package.file_count,
                "launch": package.launch_path,
                "help": field.help_text,
            }

    def clean(self) -> dict:
        cleaned_data = super().clean()
        upload = cleaned_data.get("package_upload")
        if upload:
            try:
                package_verify(upload=upload, info=inspect_package(upload))
            except PackageError as error:
                self.add_error(
                    "package_upload",
                    _("%(file)s: %(error)s") % {"file": upload.name, "error": error},
                )
        elif not self.instance.package_id and not self.is_deferred_validation:
            self.add_error("package_upload", _("Upload the SCORM package zip of this lesson."))
        return cleaned_data

    def save(self, commit: bool = True):
        page = super().save(commit=False)
        upload = self.cleaned_data.get("package_upload")
        if upload:
            page.package = scorm_package_create(by=self.for_user, upload=upload, name=upload.name)
        if commit:
            page.save()
        return page
