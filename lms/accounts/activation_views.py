"""Activation codes: HR's screen (choose, check, issue and print) and the person's first
sign-in (職員番号 + code, then a new password). The rules are in ``lms.accounts.activation``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from org.access import hr_required

from ..models import User
from .activation import (
    ActivationCodeUnusable,
    ActivationError,
    activation_audience,
    activation_code_use,
    activation_issue_list,
    activation_sheet_issue,
    activation_sheet_pdf,
)
from .forms import ActivationAudienceForm, ActivationCodeForm

ISSUES_PER_PAGE = 20
#: The person has this long after giving a good code to choose a password.
PENDING_SECONDS = 15 * 60
PENDING_KEY = "_activation_pending"
BACKEND = "lms.accounts.backends.ActivationCodeBackend"


# --- HR ---------------------------------------------------------------------------------------


@hr_required
@require_http_methods(["GET", "POST"])
def activation_codes(request: HttpRequest) -> HttpResponse:
    """Choose a unit or paste 職員番号, check who gets slips (「確認する」), then issue the codes
    and download the PDF in one step (「発行して印刷する」). The recent issues are listed
    below with how many codes were used."""
    form = ActivationAudienceForm(request.POST or None)
    audience = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                if request.POST.get("step") == "issue":
                    return _issue(request, form)
                audience = activation_audience(actor=request.user, **form.choice())
            except ActivationError as exc:
                form.add_error(None, str(exc))
                status = 400
    page = Paginator(activation_issue_list(), ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "lms/activation_issue_list.html",
        {
            "form": form,
            "audience": audience,
            "page": page,
            "max_people": settings.ACTIVATION_SHEET_MAX_PEOPLE,
            "days": settings.ACTIVATION_CODE_DAYS,
        },
        status=status,
    )


def _issue(request: HttpRequest, form: ActivationAudienceForm) -> HttpResponse:
    # Issued and printed together: if the PDF cannot be made, no code is left that nobody
    # holds on paper (and nobody's previous code is revoked).
    with transaction.atomic():
        sheet = activation_sheet_issue(
            actor=request.user, expected_count=form.cleaned_data.get("expected"), **form.choice()
        )
        document = activation_sheet_pdf(actor=request.user, sheet=sheet)
    response = HttpResponse(document, content_type="application/pdf")
    issued_on = sheet.issue.issued_at.strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="activation-codes-{issued_on}-{sheet.issue.pk}.pdf"'
    )
    # The codes are on it: no cache anywhere may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


# --- the person -------------------------------------------------------------------------------


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """Step 1: 職員番号 and the code. A good code leads to step 2 within ``PENDING_SECONDS``;
    the code itself is spent only when the password is set."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = ActivationCodeForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[PENDING_KEY] = {
            "user": form.user.pk,
            "code": form.user.activation_code.pk,
            "until": time.time() + PENDING_SECONDS,
        }
        return redirect("lms:activate_password")
    return render(
        request,
        "registration/activation_code.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _pending_person(request: HttpRequest) -> tuple[User, int] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    person = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return (person, pending.get("code")) if person is not None else None


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def activate_password(request: HttpRequest) -> HttpResponse:
    """Step 2: a new password that passes ``AUTH_PASSWORD_VALIDATORS`` (their messages shown);
    then the code is spent and the person is signed in."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending = _pending_person(request)
    if pending is None:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("Enter your employee number and activation code first."))
        return redirect("lms:activate")
    person, code_id = pending
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = activation_code_use(
                code_id=code_id, user=person, password=form.cleaned_data["new_password1"]
            )
        except ActivationCodeUnusable:
            request.session.pop(PENDING_KEY, None)
            messages.error(
                request,
                _(
                    "This activation code can no longer be used: it was used, replaced by a "
                    "new one, or has expired. Ask HR for a new slip."
                ),
            )
            return redirect("lms:activate")
        request.session.pop(PENDING_KEY, None)
        login(request, person, backend=BACKEND)  # a new session key: no fixation
        messages.success(
            request,
            _(
                "Your password is set and you are signed in. From now on, sign in with your "
                "employee number and this password."
            ),
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "registration/activation_password.html",
        {"form": form, "person": person},
        status=400 if form.is_bound else 200,
    )
