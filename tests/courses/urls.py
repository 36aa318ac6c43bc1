"""The project's URLs with the courses views included, until config/urls.py includes them."""

from django.urls import include, path

from config import urls as project_urls

_included = any(getattr(p, "namespace", None) == "courses" for p in project_urls.urlpatterns)

urlpatterns = (
    list(project_urls.urlpatterns)
    if _included
    else [path("learn/", include("courses.urls")), *project_urls.urlpatterns]
)
