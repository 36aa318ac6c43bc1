"""Top-level URLs: the LMS screens, the CMS admin, and Wagtail's page tree last."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import health

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("guide/", include("content.urls")),
    path("surveys/", include("surveys.urls")),
    path("hr/audit/", include("audit.urls")),
    path("health/", health.ready, name="health"),
    path("health/live", health.live, name="health_live"),
    path("", include("org.urls")),
    path("", include("courses.urls")),
    path("", include("lms.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
