"""The product's URLs plus one bare view, the baseline the web server's throughput is
compared with. Only ``devtools.benchmark.settings`` uses this URLconf."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BARE_PATH = "__benchmark__/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    """A view that does nothing: the same server, middleware and session, no work."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path(BARE_PATH, bare, name="benchmark_bare"),
    path("", include("config.urls")),
]
