"""What the apps above lms add to the pages lms draws, through Wagtail hooks, so that lms
knows none of them (kolibri's plugin pattern; surveys registers its questionnaires here).

``my_training_completed``
    ``fn(request, enrollments) -> Extras | None``, called once with the person's completed
    enrollments when My training is built: a panel above the completed courses, and links
    on their rows (``Enrollment.extra_links``). My training is kept rendered per person
    (``cache``): an app that adds to it tells the cache when what it shows changes.

``hr_dashboard_links``
    ``fn(request, fiscal_year) -> list[(url, label)]``: further reports HR's dashboard links.

``course_completed_extras``
    ``fn(request, enrollment, course) -> str``: HTML added under "You have completed this
    course" on a course's page (lms draws that notice, with the certificate, through the
    courses app's ``course_page_panels`` hook).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail import hooks

from core.fiscal import current_fiscal_year

from ..models import Enrollment, EnrollmentStatus, in_current_cycle

COMPLETED_HOOK = "my_training_completed"
DASHBOARD_LINKS_HOOK = "hr_dashboard_links"
COURSE_COMPLETED_HOOK = "course_completed_extras"


@dataclass
class Extras:
    panel: str = ""
    links: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def completed_extras(request: HttpRequest, enrollments: Iterable[Enrollment]) -> list[str]:
    """The panels the apps add above the completed courses; their row links are put on the
    enrollments as ``extra_links``."""
    enrollments = list(enrollments)
    for enrollment in enrollments:
        enrollment.extra_links = []
    if not enrollments:
        return []
    panels = []
    by_pk = {enrollment.pk: enrollment for enrollment in enrollments}
    for hook in hooks.get_hooks(COMPLETED_HOOK):
        extras = hook(request, enrollments)
        if extras is None:
            continue
        if extras.panel:
            panels.append(extras.panel)
        for pk, links in extras.links.items():
            if pk in by_pk:
                by_pk[pk].extra_links.extend(links)
    return panels


def dashboard_links(request: HttpRequest, fiscal_year: int) -> list[tuple[str, str]]:
    return [
        link
        for hook in hooks.get_hooks(DASHBOARD_LINKS_HOOK)
        for link in hook(request, fiscal_year)
    ]


def course_completed_panel(request: HttpRequest, course) -> str:
    """On a course's page: "you have completed this course" with the date and the
    certificate, and what the apps above add (one query for anyone who has not completed
    it this fiscal year)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    enrollment = (
        Enrollment.objects.filter(
            in_current_cycle(),
            user_id=user.pk,
            course_id=course.pk,
            fiscal_year=current_fiscal_year(),
            status=EnrollmentStatus.COMPLETED,
        )
        .only("pk", "course_id", "fiscal_year", "status", "completed_at")
        .first()
    )
    if enrollment is None:
        return ""
    extras = [
        html
        for hook in hooks.get_hooks(COURSE_COMPLETED_HOOK)
        if (html := hook(request, enrollment, course))
    ]
    return render_to_string(
        "lms/includes/course_completed.html",
        {"enrollment": enrollment, "course": course, "extras": mark_safe("".join(extras))},
        request,
    )
