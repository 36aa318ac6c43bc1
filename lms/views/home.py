"""The signed-in home page: "my training"."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from courses.svo_selectors import APPROVAL_NOTICE_DAYS, decision_notices

from .. import caching
from ..fiscal import current_fiscal_year, reiwa_label
from ..training_selectors import my_training as my_training_selector

BODY_TEMPLATE = "lms/my_training_body.html"


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """What is assigned to me, by when, what to do next, and what I have completed.

    The body (worksheet notices and training lists) is kept rendered per person
    (``lms.caching``) and built, with its queries, only when something on it changed. Its
    data are lazy, so a kept body costs no query; they stay in the context for tests.
    """
    year = current_fiscal_year()
    training = SimpleLazyObject(lambda: my_training_selector(user=request.user))
    # Returned worksheets (until resubmitted) and recent approvals, with comment counts.
    notices = SimpleLazyObject(lambda: decision_notices(user=request.user))

    def render_body() -> tuple[str, dt.datetime | None]:
        # No context processors: the body needs the request (links, offers) and nothing else.
        html = get_template(BODY_TEMPLATE).render(
            {"training": training, "worksheet_notices": notices, "request": request}
        )
        # An approval stops being a notice APPROVAL_NOTICE_DAYS after the decision.
        approvals = [n.worksheet.decided_at for n in notices if not n.returned]
        until = min(approvals) + dt.timedelta(days=APPROVAL_NOTICE_DAYS) if approvals else None
        return html, until

    if caching.enabled():
        body = caching.my_training_body(
            user_id=request.user.pk, host=request.get_host(), render=render_body
        )
    else:
        body, _until = render_body()
    return render(
        request,
        "lms/my_training.html",
        {
            "fiscal_year": year,
            "fiscal_year_label": reiwa_label(year),
            "training": training,
            "worksheet_notices": notices,
            "body_html": mark_safe(body),  # rendered by our own template, escaped there
        },
    )
