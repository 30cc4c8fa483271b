"""Pages every site has, whatever its features: the error pages and /favicon.ico.

The error pages (templates/400.html, 403.html, 404.html, 429.html; 413.html is answered by
core/limits.py before any view runs) look like every other page and speak the visitor's
language: the locale and member middlewares have run when a
view raises. Each offers a way back: the home page, and the previous page when the browser
said which one it was (the Referer, sent for this site's own pages only). The 500 page is
rendered without the request (no context processor, no query): whatever broke may break it
too. docs/operating.md lists them.
"""

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token

FAVICON = Path(__file__).resolve().parent.parent / "static" / "goingsolo" / "icons" / "favicon.ico"


def previous_page(request):
    """The page the visitor came from on this site, or "" (unknown, foreign, or the page
    that failed)."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return ""
    if request.method == "GET" and urlsplit(referer).path == request.path:
        # A link to the page that just failed; a refused form, though, was shown by a GET
        # of the address it posts to, and going back to it is the point.
        return ""
    return referer


def _error_page(request, template, status, **context):
    return render(request, template, {"back_url": previous_page(request), **context}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    # The rules say why in words meant for the visitor (e.g. group_access); other
    # refusals carry no message and the page says it in general terms.
    reason = ""
    if isinstance(exception, PermissionDenied) and exception.args:
        reason = str(exception.args[0])
    # A refusal for a while (a moderator's sanction) gives back what the form held.
    for_now = getattr(exception, "gives_back_typed_text", False)
    typed = typed_text(request.POST) if for_now and request.method == "POST" else []
    response = _error_page(request, "403.html", 403, reason=reason, typed=typed, for_now=for_now)
    if for_now and getattr(request, "htmx", False):
        # A form sent by htmx (a reply) would show nothing of a 4xx answer: the page is
        # swapped in whole instead, so the member reads why and gets their text back.
        response.status_code = 200
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "innerHTML"
    return response


# Fields of our forms that hold no text a person typed.
_MACHINE_FIELDS = {"csrfmiddlewaretoken", "started", "quoted_post", "page"}


def typed_text(data):
    """The texts a refused form held (its title, its body…), in order, so that the page
    that refuses it can give them back."""
    texts = []
    for name, values in data.lists():
        if name in _MACHINE_FIELDS:
            continue
        for value in values:
            value = value.strip()
            if value and not value.isdigit() and value != "on":
                texts.append(value)
    return texts


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def too_many_requests_page(request, *, wait=""):
    """The 429 page; WAIT says how long in words ("25 seconds"), when it is known
    (core/rate_limits.py adds Retry-After)."""
    return _error_page(request, "429.html", 429, wait=wait)


@requires_csrf_token
def too_many_requests(request, exception=None):
    """What allauth's rate limits answer (login, sign-up, codes, password reset); it does
    not say how long they last."""
    return too_many_requests_page(request)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token (CSRF_FAILURE_VIEW): most often
    a page left open for a long time. The way back is the form itself."""
    return _error_page(request, "403_csrf.html", 403)


def server_error(request):
    """The 500 page, from its template alone: no request, no context processor."""
    try:
        template = loader.get_template("500.html")
    except TemplateDoesNotExist:
        return HttpResponseServerError(b"<h1>Server Error (500)</h1>", content_type="text/html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))


@cache
def _favicon_bytes():
    return FAVICON.read_bytes()


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """/favicon.ico, asked for by browsers and feed readers whatever the page says."""
    return HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")
