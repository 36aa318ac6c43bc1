"""Template tags of the SCORM lesson page: what the runtime loads for the learner.

The page model stays free of reads that span relations; its template asks the selector.
"""

from urllib.parse import quote

from django import template
from django.urls import reverse

from ..scorm.selectors import scorm_launch

register = template.Library()


@register.simple_tag(takes_context=True)
def scorm_launch_for_me(context, lesson):
    """The learner's launch: ``cmi`` to load, their record, and the package's launch URL."""
    user = context["request"].user
    if not user.is_authenticated or lesson.package is None:
        return None
    package = lesson.package
    launch = scorm_launch(user=user, lesson=lesson)
    url = reverse("courses:scorm_file", kwargs={"key": package.key, "path": "x"})[:-1]
    url += quote(package.launch_path)
    if package.launch_query:
        url += "?" + package.launch_query
    launch["url"] = url
    launch["runtime"] = "scorm12" if package.version == "1.2" else "scorm2004"
    return launch
