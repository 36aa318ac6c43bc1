"""The CMS's test send of a notice template: the text as it stands in the edit form, filled
with examples, e-mailed to the editor (``core.notices.preview.notice_test_send``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import NoticeTemplate
from .preview import notice_test_send

EDITED_FIELDS = ("subject_ja", "body_ja", "subject_en", "body_en")


@require_POST
def notice_test_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the posted texts of template ``pk``; JSON for the edit screen's script, else back
    to the edit screen with a message (without script the edits are then not kept)."""
    template = get_object_or_404(NoticeTemplate, pk=pk)
    for field in EDITED_FIELDS:
        if field in request.POST:
            setattr(template, field, request.POST[field])
    language = "en" if request.POST.get("test_language") == "en" else "ja"
    try:
        notice_test_send(by=request.user, template=template, language=language)
    except PermissionDenied:
        raise
    except ValueError as error:
        ok, message = False, _("The test was not sent: %(reason)s") % {"reason": error}
    else:
        ok, message = (
            True,
            _("A test was sent to %(address)s. Nothing was saved.")
            % {"address": request.user.email},
        )
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": ok, "message": message})
    (messages.success if ok else messages.error)(request, message)
    return redirect("wagtailsnippets_core_noticetemplate:edit", pk)
