"""The signed-in home page: "my training"."""

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from core.fiscal import current_fiscal_year, fiscal_year_label
from courses.svo.selectors import decision_notices, notices_valid_until

from ..context_processors import current_member
from . import cache as caching
from .panels import completed_extras
from .selectors import my_training as my_training_selector

PAGE_TEMPLATE = "lms/my_training.html"
#: Stands for the CSRF token in a kept page; each response gets its own token in its place.
CSRF_PLACEHOLDER = "__lms_my_training_csrf_token__"


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """What is assigned to me, by when, what to do next, and what I have completed.

    The page is kept rendered per person (``lms.my_training.cache``) and built, with its
    queries, only when something on it changed; its data are lazy, so a kept page costs no
    query. What the layout shows per request is handled here: the CSRF token is put in on
    every response, the header (roles, name) and the path name the kept variant, and a page
    with messages to show is not kept.
    """
    training = SimpleLazyObject(lambda: my_training_selector(user=request.user))
    # Returned worksheets (until resubmitted) and recent approvals, with comment counts.
    notices = SimpleLazyObject(lambda: decision_notices(user=request.user))

    def render_page(csrf_token: str | None = None) -> tuple[str, dt.datetime | None]:
        context = {
            "fiscal_year_label": fiscal_year_label(current_fiscal_year()),
            "training": training,
            "worksheet_notices": notices,
            # What other apps add (surveys: the questionnaires), before the rows it marks.
            "completed_panels": SimpleLazyObject(
                lambda: completed_extras(request, training.completed)
            ),
        }
        if csrf_token is not None:
            context["csrf_token"] = csrf_token  # over the context processor's
        return render_to_string(PAGE_TEMPLATE, context, request), notices_valid_until(notices)

    if not caching.enabled() or len(messages.get_messages(request)):
        html, _until = render_page()
        return HttpResponse(html)
    user = request.user
    header = current_member(request).get("member")
    variant = json.dumps(
        [dict(header), user.display_name, user.employee_number, request.get_full_path()],
        sort_keys=True,
        default=str,
    )
    html = caching.my_training_page(
        user_id=user.pk,
        host=request.get_host(),
        variant=variant,
        render=lambda: render_page(csrf_token=CSRF_PLACEHOLDER),
    )
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
