import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def healthz(request):
    """200 when the database answers, 503 otherwise; for load balancers and `make run`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# --- The installable app: manifest, service worker, offline page (docs/push.md) ----------

# The site's colours (static/goingsolo/site.css: --accent and --wash).
THEME_COLOUR = "#0b6e4f"
BACKGROUND_COLOUR = "#f4f6f8"
ICONS = [
    ("goingsolo/icons/app-192.png", "192x192", "any"),
    ("goingsolo/icons/app-512.png", "512x512", "any"),
    ("goingsolo/icons/app-maskable-512.png", "512x512", "maskable"),
]
# What the service worker keeps for when the network is gone, besides the offline pages.
OFFLINE_ASSETS = [
    "goingsolo/site.css",
    "goingsolo/icons/app-192.png",
    "goingsolo/icons/app-badge-96.png",
]


def manifest(request):
    """The web app manifest, in the language LocaleMiddleware chose (browsers fetch it
    without cookies, so that is the browser's Accept-Language)."""
    data = {
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": _("A community platform for independent workers."),
        "lang": translation.get_language(),
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    patch_cache_control(response, public=True, max_age=3600)
    return response


@cache
def _worker_source():
    path = finders.find("goingsolo/sw.js")
    return Path(path).read_text(encoding="utf-8")


def service_worker(request):
    """/sw.js: static/goingsolo/sw.js with what it must know about this instance first
    (the addresses of the offline pages and assets, which carry a hash in production). Its
    version changes with them, so browsers install the new worker and drop the old cache."""
    if settings.DEBUG:
        _worker_source.cache_clear()
    config = {
        "offline": {code: reverse("offline", args=[code]) for code, _name in settings.LANGUAGES},
        "name": settings.SITE_NAME,
        "defaultLanguage": settings.LANGUAGE_CODE,
        "assets": [static(path) for path in OFFLINE_ASSETS],
        "icon": static("goingsolo/icons/app-192.png"),
        "badge": static("goingsolo/icons/app-badge-96.png"),
    }
    source = _worker_source()
    version = hashlib.sha256((json.dumps(config, sort_keys=True) + source).encode()).hexdigest()
    config["version"] = version[:12]
    body = f"self.GOINGSOLO = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on navigations; no cache keeps the old one.
    response["Cache-Control"] = "no-cache"
    return response


def offline(request, language):
    """The page the service worker shows when a page cannot be reached. Nothing about the
    visitor is in it: it is stored in the browser and shown to whoever is there."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        response = render(request, "core/offline.html", {"language": language})
    response["Content-Language"] = language
    return response
