from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from goingsolo.core import site_pages
from goingsolo.core.views import healthz, manifest, offline, service_worker
from goingsolo.groups.views.groups import home

# The admin's own login form would take a password without allauth's rate limits or second
# factor: its login page sends to the site's (docs/security.md).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service_worker"),
    path("offline/<str:language>/", offline, name="offline"),
    path("favicon.ico", site_pages.favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("goingsolo.accounts.urls")),
    path("", include("goingsolo.groups.urls")),
    path("", include("goingsolo.discussions.urls")),
    path("", include("goingsolo.events.urls")),
    path("", include("goingsolo.barcamp.urls")),
    path("", include("goingsolo.mail.urls")),
    path("", include("goingsolo.wiki.urls")),
    path("", include("goingsolo.moderation.urls")),
    path("", home, name="home"),
]

# Error pages in the site's look and the visitor's language (goingsolo/core/site_pages.py).
# allauth's rate limits answer with handler429 of this module.
handler400 = site_pages.bad_request
handler403 = site_pages.permission_denied
handler404 = site_pages.page_not_found
handler500 = site_pages.server_error
handler429 = site_pages.too_many_requests

if settings.DEBUG or settings.MEDIA_URL.startswith("/"):
    # Uploads are served by the application in the embedded run; at scale, object storage
    # or the front server serves them (docs/scaling.md).
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
