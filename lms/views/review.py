"""DX PRO review of SVO worksheets: the queue and the review screen.

Scope comes from ``lms.review_selectors`` (a DX PRO's units; HR for units without one);
the decision itself is ``courses.svo_services.worksheet_review_decide``, which also refuses
one's own worksheet and a second decision.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courses.models import ReviewDecision, SvoStatement, WorksheetStatus
from courses.svo_selectors import latest_review, version_changes, worksheet_rows
from courses.svo_services import DecisionRefused, worksheet_review_decide

from ..plan_selectors import can_create_plan, plan_for_idea
from ..review_selectors import review_queue, reviewable_worksheets


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
def queue(request: HttpRequest) -> HttpResponse:
    """Submitted worksheets of the units the viewer reviews, oldest first."""
    data = review_queue(request.user)
    return render(request, "lms/review_queue.html", {"queue": data})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One worksheet with its findings, the changes since the last version, and the form."""
    worksheet = get_object_or_404(
        reviewable_worksheets(request.user).select_related("user__unit", "exercise"), pk=pk
    )
    if request.method == "POST":
        comments = {
            int(key.removeprefix("c-")): value
            for key, value in request.POST.items()
            if key.startswith("c-") and key.removeprefix("c-").isdigit()
        }
        try:
            worksheet_review_decide(
                worksheet_id=worksheet.pk,
                reviewer=request.user,
                decision=request.POST.get("decision", ""),
                version=int(request.POST.get("version", 0)),
                comment=request.POST.get("comment", ""),
                statement_comments=comments,
            )
        except DecisionRefused as refused:
            messages.error(request, str(refused))
            return redirect("lms:review_queue")
        except PermissionDenied as denied:
            raise PermissionDenied from denied
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("lms:review_detail", pk=worksheet.pk)
        if request.POST.get("decision") == ReviewDecision.APPROVED:
            # Stay on the worksheet: its ideas can now become DX execution plans.
            messages.success(request, _("Approved."))
            return redirect("lms:review_detail", pk=worksheet.pk)
        messages.success(request, _("Returned to the author."))
        return redirect("lms:review_queue")
    previous = latest_review(worksheet)
    rows = worksheet_rows(worksheet, review=previous)
    may_plan = can_create_plan(request.user, worksheet)
    if may_plan:
        plans = plan_for_idea(worksheet)
        for row in rows:
            row.plan = plans.get(row.statement.pk)
    context = {
        "worksheet": worksheet,
        "rows": rows,
        "may_plan": may_plan,
        "previous_review": previous,
        "changes": _labelled(version_changes(worksheet)),
        "can_decide": worksheet.status == WorksheetStatus.SUBMITTED,
        "decisions": ReviewDecision,
    }
    return render(request, "lms/review_detail.html", context)
