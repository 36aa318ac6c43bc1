"""Roster import screens: upload, preview with errors, apply, and the status the page polls.

HR only. The work runs in Celery tasks; these views store the upload, show the record and
queue the apply. The upload view checks the request size before Django reads the body, so
an oversized file is refused at once with a clear message.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.spreadsheets import csv_writer

from ..access import hr_required
from ..models import RosterImport
from . import selectors
from .processing import deactivation_needs_confirmation
from .services import (
    CANCELLABLE,
    RosterImportError,
    roster_import_cancel,
    roster_import_create,
    roster_import_file_open,
    roster_import_schedule_apply,
)

ERRORS_PER_PAGE = 50
LEAVERS_PER_PAGE = 50
# Multipart headers and the other form fields on top of the file itself.
_BODY_OVERHEAD = 64 * 1024


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy(
            "CSV (Shift_JIS or UTF-8) or Excel (.xlsx) with the columns 職員番号, 氏名, "
            "フリガナ, メールアドレス, 部, 課, 係, 職名 and 雇用区分 (フリガナ and 係 may be "
            "left empty). Optional: 部コード, 課コード, 係コード, DX PRO, 入庁日 and 言語 "
            "(日本語 or 英語, for the notices of people who have not chosen a language)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    # Unticked by default: a file of a few people must never switch off everyone else
    # because nobody noticed the box. Whoever sends the whole roster says so.
    full_roster = forms.BooleanField(
        label=gettext_lazy("This is the full roster: deactivate people who are not in it"),
        required=False,
        initial=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_too_large_message())
        return upload


def _too_large_message() -> str:
    return _("The file is larger than %(limit)s; split it or remove unused columns.") % {
        "limit": filesizeformat(settings.ROSTER_MAX_UPLOAD_BYTES)
    }


def _upload_page(request: HttpRequest, form: RosterUploadForm, status: int = 200):
    return render(
        request,
        "org/roster_import_upload.html",
        {"form": form, "imports": selectors.roster_import_recent()},
        status=status,
    )


@csrf_exempt  # Checked below by csrf_protect, once the size check has passed.
@hr_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ROSTER_MAX_UPLOAD_BYTES + _BODY_OVERHEAD:
            form = RosterUploadForm()
            form.cleaned_data = {}  # add_error on an unbound form expects it
            form.add_error(None, _too_large_message())
            return _upload_page(request, form, status=413)
    return _upload_protected(request)


@csrf_protect
def _upload_protected(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, RosterUploadForm())
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload_file = form.cleaned_data["file"]
    roster_import = roster_import_create(
        uploaded_by=request.user,
        file_name=upload_file.name,
        content=upload_file.read(),
        full_roster=form.cleaned_data["full_roster"],
    )
    return redirect("org:roster_import_detail", pk=roster_import.pk)


@hr_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    roster_import = get_object_or_404(RosterImport.objects.select_related("uploaded_by"), pk=pk)
    errors = Paginator(selectors.roster_import_error_list(roster_import), ERRORS_PER_PAGE)
    previewed = roster_import.status == RosterImport.Status.PREVIEWED
    leavers = roster_import.deactivated_count and roster_import.status in (
        RosterImport.Status.PREVIEWED,
        RosterImport.Status.APPLYING,
        RosterImport.Status.APPLIED,
    )
    return render(
        request,
        "org/roster_import_detail.html",
        {
            "roster_import": roster_import,
            "error_page": errors.get_page(request.GET.get("page")),
            "error_lines": selectors.roster_import_error_lines(roster_import),
            "leaver_page": (
                selectors.roster_import_deactivations(
                    roster_import, page=request.GET.get("page"), per_page=LEAVERS_PER_PAGE
                )
                if leavers
                else None
            ),
            "can_apply": previewed,
            "can_cancel": roster_import.status in CANCELLABLE,
            "confirm_deactivate": previewed
            and deactivation_needs_confirmation(roster_import.deactivated_count),
        },
    )


@hr_required
@require_GET
def status(request: HttpRequest, pk: int) -> JsonResponse:
    roster_import = get_object_or_404(RosterImport.objects.defer("deactivated_ids"), pk=pk)
    return JsonResponse(selectors.roster_import_state(roster_import))


@hr_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(RosterImport.objects.only("pk"), pk=pk)
    try:
        confirmed = int(request.POST.get("confirm_deactivate") or "")
    except ValueError:
        confirmed = None
    try:
        roster_import_schedule_apply(
            roster_import_id=pk, by=request.user, confirm_deactivate=confirmed
        )
    except RosterImportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The roster is being applied."))
    return redirect("org:roster_import_detail", pk=pk)


@hr_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """「キャンセル」: discard the import; it stays in the history as cancelled."""
    get_object_or_404(RosterImport.objects.only("pk"), pk=pk)
    try:
        roster_import_cancel(roster_import_id=pk, by=request.user)
    except RosterImportError as exc:
        messages.error(request, str(exc))
        return redirect("org:roster_import_detail", pk=pk)
    messages.success(request, _("The import was cancelled. Nothing was changed."))
    return redirect("org:roster_import_upload")


@hr_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded file as it was received. Roster files are private (``core.storage``):
    this view, for those ``access.can_read_roster_files`` allows, is the only way to them."""
    try:
        handle, file_name = roster_import_file_open(roster_import_id=pk, by=request.user)
    except (RosterImport.DoesNotExist, FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=file_name)
    response["Cache-Control"] = "private, no-store"
    return response


#: The sample file: the header HR's system should export, and two made-up people.
SAMPLE_ROWS = [
    ["職員番号", "氏名", "フリガナ", "メールアドレス", "部", "課", "係", "職名", "雇用区分"],
    [
        "1000001",
        "見本 一郎",
        "ミホン イチロウ",
        "mihon.ichiro@city.example.jp",
        "総務部",
        "人事課",
        "人事係",
        "主事",
        "正規",
    ],
    [
        "1000002",
        "見本 花子",
        "ミホン ハナコ",
        "mihon.hanako@city.example.jp",
        "市民生活部",
        "市民課",
        "",
        "課長",
        "再任用",
    ],
]


@hr_required
@require_GET
def sample(request: HttpRequest) -> HttpResponse:
    """A sample roster to start from: UTF-8 with a byte-order mark (Excel opens it as
    UTF-8), CRLF line ends, the header and two example lines."""
    buffer = io.StringIO()
    csv_writer(buffer, lineterminator="\r\n").writerows(SAMPLE_ROWS)
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="roster-sample.csv"'
    return response
