"""The signed-in home page: "my training"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..fiscal import current_fiscal_year, reiwa_label


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """What is assigned to me and by when. Assignments arrive with the completion issue."""
    year = current_fiscal_year()
    return render(
        request,
        "lms/my_training.html",
        {"fiscal_year": year, "fiscal_year_label": reiwa_label(year), "enrollments": []},
    )
