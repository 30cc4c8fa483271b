"""The site's URLs, the same error handlers, and one page that fails: for the 500 page."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler429, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("A bug in a view")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
