"""SVO worksheets on screen: the author's editor, the reviewer's queue and review screen.

The editor: WHAT -> WHY -> HOW per statement, autosave, submit.

Works without JavaScript (one form, buttons to save, move, remove and submit; an empty row
at the end, and an "add" button that saves and returns to a fresh one). With ``svo.js`` the
add button copies a ``<template>`` row in place, moving and removing happen at once, and
the same form autosaves as JSON to ``worksheet_autosave``; both paths go through
``services.worksheet_save`` and its ``lock_version`` check, so two tabs never silently
overwrite each other.

The review: the queue lists what the viewer may review (``org.access``: a DX PRO their units;
HR the units without one); the decision is ``services.worksheet_review_decide``, which checks
the same rule itself and refuses one's own worksheet and a second decision.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import int_param
from core.numbers import number_label
from org import access

from ..models import (
    DxPlan,
    Frequency,
    IdeaType,
    Medium,
    ReviewDecision,
    SvoExercisePage,
    SvoStatement,
    SvoWorksheet,
    WorksheetStatus,
)
from ..plans.selectors import can_create_plan, plan_for_idea
from .findings import current_findings
from .selectors import (
    latest_review,
    readable_worksheets,
    review_queue,
    submitted_statements,
    unit_worksheets,
    version_changes,
    worksheet_rows,
)
from .services import (
    STATEMENT_FIELDS,
    DecisionRefused,
    StatementFieldErrors,
    WorksheetConflict,
    WorksheetNotEditable,
    review_decision_problems,
    worksheet_for,
    worksheet_review_decide,
    worksheet_save,
    worksheet_submit,
    worksheet_submit_problems,
)

#: The most rows a posted form is read for: above any exercise's maximum of statements, so a
#: forged "rows" costs nothing.
MAX_POSTED_ROWS = 50


def _posted_rows(post) -> list[dict[str, Any]]:
    count = min(int_param(post, "rows") or 0, MAX_POSTED_ROWS)
    rows = []
    for index in range(count):
        prefix = f"s-{index}-"
        if post.get(prefix + "remove"):
            continue
        row = {name: post.get(prefix + name, "") for name in STATEMENT_FIELDS}
        row["id"] = post.get(prefix + "id") or None
        rows.append(row)
    return rows


def _move(rows: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """Apply an "up-N" / "down-N" button to the posted rows (N counts kept rows)."""
    direction, _sep, number = action.partition("-")
    try:
        index = int(number)
    except ValueError:
        return rows
    other = index - 1 if direction == "up" else index + 1
    if 0 <= index < len(rows) and 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows


def _facts(statement: SvoStatement) -> list[tuple[str, str]]:
    """The filled-in fields of a statement as (label, text), for the read-only view of a
    submitted or approved worksheet: wrapping text a phone shows whole, not inputs (B16)."""
    facts = []
    for name in STATEMENT_FIELDS:
        value = getattr(statement, name)
        if value in (None, ""):
            continue
        model_field = SvoStatement._meta.get_field(name)
        if model_field.choices:
            text = getattr(statement, f"get_{name}_display")()
        elif isinstance(value, int):
            text = f"{value:,}"
        else:
            text = value
        facts.append((model_field.verbose_name, text))
    return facts


def _shown(value: Any) -> Any:
    """Minutes as typed back into their field: 90 and 1.5, not 90.0."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


def _form_rows(
    worksheet: SvoWorksheet,
    posted: list[dict[str, Any]] | None = None,
    errors: dict[int, dict[str, str]] | None = None,
) -> list[dict]:
    review = latest_review(worksheet) if worksheet.version else None
    rows = []
    if posted is None:
        for row in worksheet_rows(worksheet, review=review):
            statement = row.statement
            rows.append(
                {
                    "id": statement.pk,
                    "values": {name: _shown(getattr(statement, name)) for name in STATEMENT_FIELDS},
                    "facts": None if worksheet.is_editable else _facts(statement),
                    "hours": statement.hours_per_year,
                    "findings": row.findings,
                    "comments": row.comments,
                    # After a resubmission the comments are the earlier round's: history.
                    "comments_version": (
                        review.version if review and review.version != worksheet.version else None
                    ),
                }
            )
    else:
        errors = errors or {}
        rows = [
            {
                "id": row["id"],
                "values": row,
                "hours": None,
                "findings": [],
                "comments": [],
                "errors": errors.get(index, {}),
            }
            for index, row in enumerate(posted)
        ]
    if worksheet.is_editable and len(rows) < worksheet.exercise.max_statements:
        rows.append({"id": "", "values": {}, "hours": None, "findings": [], "comments": []})
    return rows


def _render(
    request, worksheet, *, posted=None, problems=None, field_errors=None, status=200
) -> HttpResponse:
    exercise = worksheet.exercise
    statements = list(worksheet.statements.all())
    hours = [s.hours_per_year for s in statements if s.hours_per_year is not None]
    rows = _form_rows(worksheet, posted, field_errors)
    if worksheet.status == WorksheetStatus.APPROVED:
        # An approved worksheet's ideas can become DX execution plans (one each).
        plans = {plan.statement_id: plan for plan in DxPlan.objects.filter(worksheet=worksheet)}
        for row in rows:
            row["plan"] = plans.get(row["id"])
    context = {
        "page": exercise,
        "course": exercise.get_parent().specific,
        "worksheet": worksheet,
        "rows": rows,
        "review": latest_review(worksheet) if worksheet.version else None,
        "problems": problems or [],
        "total_hours": sum(hours) if hours else None,
        # What the <template> row that svo.js copies to add a statement is made of.
        "blank_row": {"id": "", "values": {}, "hours": None, "findings": [], "comments": []},
        "medium_choices": Medium.choices,
        "frequency_choices": Frequency.choices,
        "idea_type_choices": IdeaType.choices,
    }
    return render(request, "courses/svo_worksheet.html", context, status=status)


@login_required
def worksheet_edit(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """The author's own worksheet for the exercise this fiscal year (nobody else's)."""
    exercise = get_object_or_404(SvoExercisePage.objects.live(), pk=exercise_id)
    worksheet = worksheet_for(user=request.user, exercise=exercise)
    if request.method != "POST":
        return _render(request, worksheet)
    action = request.POST.get("action", "save")
    rows = _move(_posted_rows(request.POST), action)
    try:
        lock_version = int(request.POST.get("lock_version", -1))
        worksheet = worksheet_save(
            worksheet_id=worksheet.pk, user=request.user, lock_version=lock_version, statements=rows
        )
    except WorksheetConflict:
        messages.error(
            request,
            _(
                "This worksheet was changed in another window. Your text is shown below but "
                "not saved: copy what you need, then reload."
            ),
        )
        worksheet.refresh_from_db()
        return _render(request, worksheet, posted=rows, status=409)
    except WorksheetNotEditable:
        messages.error(request, _("This worksheet is waiting for review and cannot change now."))
        return redirect("courses:svo_worksheet", exercise_id=exercise.pk)
    except StatementFieldErrors as refused:
        # Nothing saved; the form again with what was typed and the error beside each field.
        messages.error(request, str(refused))
        return _render(request, worksheet, posted=rows, field_errors=refused.errors, status=400)
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _render(request, worksheet, posted=rows, status=400)
    if action == "submit":
        try:
            worksheet_submit(worksheet_id=worksheet.pk, user=request.user)
        except ValidationError as error:
            worksheet.refresh_from_db()
            return _render(request, worksheet, problems=error.messages, status=400)
        messages.success(request, _("Submitted for review. You will be notified of the result."))
    elif action == "add":
        # Without JavaScript "add" saves and comes back to a fresh empty row.
        messages.success(request, _("Saved. Write the new statement below."))
        url = reverse("courses:svo_worksheet", kwargs={"exercise_id": exercise.pk})
        return redirect(f"{url}#new-statement")
    else:
        messages.success(request, _("Saved."))
    return redirect("courses:svo_worksheet", exercise_id=exercise.pk)


@login_required
@require_POST
def worksheet_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """JSON autosave: ``{"lock_version": n, "statements": [...]}``. Answers the new
    lock_version and each statement's id and current hints; 409 on a conflict."""
    worksheet = get_object_or_404(SvoWorksheet, pk=pk)
    if worksheet.user_id != request.user.pk:
        raise PermissionDenied
    try:
        payload = json.loads(request.body or b"{}")
        statements = payload.get("statements") or []
        lock_version = int(payload.get("lock_version"))
        if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
            raise ValueError
    except (ValueError, TypeError, AttributeError, OverflowError):  # e.g. 1e400 as a version
        return JsonResponse({"error": _("Malformed request.")}, status=400)
    try:
        worksheet = worksheet_save(
            worksheet_id=worksheet.pk,
            user=request.user,
            lock_version=lock_version,
            statements=statements,
        )
    except WorksheetConflict as conflict:
        return JsonResponse(
            {"error": str(conflict), "lock_version": conflict.current_lock_version}, status=409
        )
    except WorksheetNotEditable:
        return JsonResponse({"error": _("This worksheet cannot change now.")}, status=409)
    except StatementFieldErrors as refused:
        return JsonResponse(
            {
                "error": str(refused),
                "field_errors": [
                    {"row": index, "field": name, "message": message}
                    for index, errors in sorted(refused.errors.items())
                    for name, message in errors.items()
                ],
            },
            status=400,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(
        {
            "lock_version": worksheet.lock_version,
            "statements": [
                {
                    "id": statement.pk,
                    # shown as text by the script: 「年間400時間」, not 400.0
                    "hours_per_year": (
                        number_label(statement.hours_per_year)
                        if statement.hours_per_year is not None
                        else None
                    ),
                    "findings": [
                        {"code": f.code, "field": f.field, "message": f.text}
                        for f in current_findings(statement)
                    ],
                }
                for statement in worksheet.statements.all()
            ],
            "can_submit": not worksheet_submit_problems(worksheet),
        }
    )


# --- review ----------------------------------------------------------------------------------


def _labelled(changes):
    """Changes with each field's label (as the author's form shows it) instead of its name."""
    if changes:
        for change in changes:
            change.fields = [
                (SvoStatement._meta.get_field(name).verbose_name, before, after)
                for name, before, after in change.fields
            ]
    return changes


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Submitted worksheets of the units the viewer reviews, oldest first."""
    data = review_queue(request.user)
    return render(request, "courses/review_queue.html", {"queue": data})


@login_required
def unit_worksheet_list(request: HttpRequest) -> HttpResponse:
    """The submitted worksheets of the people of a manager's units, to read (a manager who
    is also their DX PRO decides on them from the review queue). Nobody else has any."""
    if not access.is_manager(request.user):
        raise PermissionDenied
    page = unit_worksheets(request.user, page_number=request.GET.get("page"))
    return render(request, "courses/unit_worksheets.html", {"worksheets": page})


def _review_context(request: HttpRequest, worksheet: SvoWorksheet) -> dict[str, Any]:
    previous = latest_review(worksheet)
    may_review = access.can_review_worksheets_of(request.user, worksheet.user)
    rows = worksheet_rows(worksheet, review=previous, as_submitted=True)
    may_plan = can_create_plan(request.user, worksheet)
    if may_plan:
        plans = plan_for_idea(worksheet)
        for row in rows:
            row.plan = plans.get(row.statement.pk)
    return {
        "worksheet": worksheet,
        "rows": rows,
        "may_plan": may_plan,
        "previous_review": previous,
        "changes": _labelled(version_changes(worksheet)),
        # A manager who is not the author's DX PRO reads the worksheet, and no more.
        "may_review": may_review,
        "can_decide": may_review and worksheet.status == WorksheetStatus.SUBMITTED,
        "decisions": ReviewDecision,
    }


def _typed_comments(post) -> dict[int, str]:
    """The statement comments of a posted review form, by statement id."""
    return {
        int(key.removeprefix("c-")): value
        for key, value in post.items()
        if key.startswith("c-") and key.removeprefix("c-").isdigit()
    }


def _review_form_again(request, worksheet, comments, *, problems=(), status=200) -> HttpResponse:
    """The review screen with what the reviewer typed, to edit or to fix."""
    context = _review_context(request, worksheet)
    for row in context["rows"]:
        row.typed_comment = comments.get(row.statement.pk, "")
    context["typed_comment"] = request.POST.get("comment", "")
    for problem in problems:
        messages.error(request, problem)
    return render(request, "courses/review_detail.html", context, status=status)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One worksheet with its findings, the changes since the last version, and the form
    (for a manager of the author's unit who does not review it: the worksheet alone).

    A decision is taken in two steps: the form posts it, the screen asks to confirm it with
    the comments the author will read (or sends the form back when a return says nothing),
    and only the confirmed post (``confirmed=1``) decides. ``edit`` goes back to the form
    with the comments kept.
    """
    worksheet = get_object_or_404(
        readable_worksheets(request.user).select_related("user__unit", "exercise"), pk=pk
    )
    if request.method == "POST":
        if not access.can_review_worksheets_of(request.user, worksheet.user):
            raise PermissionDenied  # a manager reads; only a reviewer decides
        comments = _typed_comments(request.POST)
        decision = request.POST.get("decision", "")
        if request.POST.get("edit"):
            return _review_form_again(request, worksheet, comments)
        if request.POST.get("confirmed") != "1":
            problems = review_decision_problems(
                decision=decision,
                comment=request.POST.get("comment", ""),
                statement_comments=comments,
            )
            if problems:
                return _review_form_again(
                    request, worksheet, comments, problems=problems, status=400
                )
            statements = {s.pk: s for s in submitted_statements(worksheet)}
            context = {
                "worksheet": worksheet,
                "decision": decision,
                "decisions": ReviewDecision,
                "version": request.POST.get("version", ""),
                "comment": request.POST.get("comment", "").strip(),
                "statement_comments": [
                    (statement, comments[pk].strip())
                    for pk, statement in statements.items()
                    if comments.get(pk, "").strip()
                ],
                "posted_comments": sorted(comments.items()),
            }
            return render(request, "courses/review_confirm.html", context)
        try:
            worksheet_review_decide(
                worksheet_id=worksheet.pk,
                reviewer=request.user,
                decision=decision,
                version=int(request.POST.get("version", 0)),
                comment=request.POST.get("comment", ""),
                statement_comments=comments,
            )
        except DecisionRefused as refused:
            messages.error(request, str(refused))
            return redirect("courses:review_queue")
        except (ValidationError, ValueError) as error:
            problems = getattr(error, "messages", [str(error)])
            return _review_form_again(request, worksheet, comments, problems=problems, status=400)
        if decision == ReviewDecision.APPROVED:
            # Stay on the worksheet: its ideas can now become DX execution plans.
            messages.success(request, _("Approved."))
            return redirect("courses:review_detail", pk=worksheet.pk)
        messages.success(request, _("Returned to the author."))
        return redirect("courses:review_queue")
    return render(request, "courses/review_detail.html", _review_context(request, worksheet))
