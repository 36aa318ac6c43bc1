"""The signed-in home page: "my training"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courses.svo_selectors import decision_notices

from ..fiscal import current_fiscal_year, reiwa_label
from ..training_selectors import my_training as my_training_selector


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """What is assigned to me, by when, what to do next, and what I have completed."""
    year = current_fiscal_year()
    training = my_training_selector(user=request.user)
    return render(
        request,
        "lms/my_training.html",
        {
            "fiscal_year": year,
            "fiscal_year_label": reiwa_label(year),
            "training": training,
            "enrollments": training.to_do + training.completed,
            # Returned worksheets (until resubmitted) and recent approvals, with comment counts.
            "worksheet_notices": decision_notices(user=request.user),
        },
    )
