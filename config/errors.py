"""Error views Django would otherwise render without the site's layout."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form: the site's page with its header, in the person's language.

    Django's own view renders ``403_csrf.html`` without the request, so the layout would lose
    the signed-in person and the language switch.
    """
    return TemplateResponse(request, "403_csrf.html", {"reason": reason}, status=403)
