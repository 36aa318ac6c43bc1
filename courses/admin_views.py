"""Wagtail admin screens of the question bank: import with a dry-run preview, export to GIFT
and to Moodle XML.

The preview parses the upload and lists what would be created and every problem with its
line; the confirm step posts the same text back and parses it again, so what is imported is
exactly what was previewed. A file with problems cannot be imported, unless the editor ticks
"skip the refused questions": then the valid ones are offered and the refused ones listed.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .interchange import FORMATS, parse_questions, questions_to_gift, questions_to_moodle_xml
from .interchange.importing import ImportRefused, questions_import
from .models import Question, QuestionCategory

#: Multipart boundaries and the other fields around the file.
_BODY_OVERHEAD = 64 * 1024


def _too_large_message() -> str:
    return _("The file is larger than %(limit)s.") % {
        "limit": filesizeformat(settings.QUESTION_IMPORT_MAX_UPLOAD_BYTES)
    }


class QuestionImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("GIFT or Moodle XML file"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("Detect")), *[(name, name) for name in sorted(FORMATS)]],
        required=False,
    )
    category = forms.CharField(
        label=gettext_lazy("Category for questions without one"), required=False, max_length=120
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Skip the refused questions"),
        required=False,
        help_text=gettext_lazy(
            "Import the questions that can be read and list the refused ones by line. "
            "Without it, a file with any problem imports nothing."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.QUESTION_IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_too_large_message())
        try:
            return upload.read().decode("utf-8-sig"), upload.name
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm("courses.add_question"):
        raise PermissionDenied


def _body_too_large(request: HttpRequest) -> bool:
    """Judged on the declared length, before Django reads the body or the file."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.QUESTION_IMPORT_MAX_UPLOAD_BYTES + _BODY_OVERHEAD


def question_import(request: HttpRequest) -> HttpResponse:
    _check(request)
    context: dict = {"form": QuestionImportForm(), "categories": categories()}
    if request.method == "POST" and _body_too_large(request):
        messages.error(request, _too_large_message())
        return TemplateResponse(request, "courses/admin/question_import.html", context, status=413)
    if request.method == "POST" and "confirm" in request.POST:
        text = request.POST.get("text", "")
        parsed = parse_questions(text, fmt=request.POST.get("format") or None)
        skip = request.POST.get("skip_invalid") == "1"
        try:
            created = questions_import(
                parsed=parsed, category=request.POST.get("category", ""), skip_invalid=skip
            )
        except ImportRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Imported %(count)d question(s).") % {"count": len(created)}
            )
            if parsed.problems:
                messages.warning(
                    request,
                    _("%(count)d question(s) were refused and not imported.")
                    % {"count": len(parsed.problems)},
                )
            return redirect("wagtailsnippets_courses_question:list")
    elif request.method == "POST":
        form = QuestionImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            text, name = form.cleaned_data["file"]
            fmt = form.cleaned_data["format"] or None
            parsed = parse_questions(text, fmt=fmt, file_name=name)
            context.update(
                parsed=parsed,
                text=text,
                format=fmt or "",
                category=form.cleaned_data["category"],
                file_name=name,
                skip_invalid=form.cleaned_data["skip_invalid"],
                importable=parsed.ok
                or (form.cleaned_data["skip_invalid"] and bool(parsed.questions)),
            )
    return TemplateResponse(request, "courses/admin/question_import.html", context)


def _exported(request: HttpRequest):
    if not request.user.has_perm("courses.view_question"):
        raise PermissionDenied
    questions = Question.objects.select_related("category").prefetch_related("answers")
    category_id = request.GET.get("category")
    if category_id and category_id.isdigit():
        questions = questions.filter(category_id=int(category_id))
    return questions.order_by("category__name", "pk")


def question_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        questions_to_gift(_exported(request)), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="questions.gift"'
    return response


def question_export_moodle_xml(request: HttpRequest) -> HttpResponse:
    """The bank (or one category, ``?category=<id>``) as Moodle XML, to take elsewhere."""
    response = HttpResponse(
        questions_to_moodle_xml(_exported(request)), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="questions-moodle.xml"'
    return response


def categories() -> list[QuestionCategory]:
    return list(QuestionCategory.objects.all())
