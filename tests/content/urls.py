"""The project's URLs with the guidebook views included, until config/urls.py includes them."""

from django.urls import include, path

from config import urls as project_urls

_included = any(getattr(p, "namespace", None) == "content" for p in project_urls.urlpatterns)

urlpatterns = (
    list(project_urls.urlpatterns)
    if _included
    else [path("guide/", include("content.urls")), *project_urls.urlpatterns]
)
