"""How a wiki view finds what its address names: the page, following renames, and the
revision the visitor may see.

A page's former address (before a rename) answers with a redirect to the same view of
the page under its current address (`follows_renames`): 302 for reading, 307 for a form
sent from a tab opened before the rename, so the text it carries reaches the page.
Not 301: a former title can be taken back or over later, and browsers keep a 301 for good.
"""

import functools

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from goingsolo.groups.access import group_access, login_when_needed

from .. import selectors


class PageMoved(Exception):
    """The address names a page by a former title's address."""

    def __init__(self, page):
        self.page = page


class HttpResponseTemporaryRedirect(HttpResponseRedirect):
    status_code = 307


def follows_renames(view):
    """Answers a page's former address with a redirect to its current one, the rest of
    the request (view, revision number, query string) unchanged."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PageMoved as moved:
            match = request.resolver_match
            url = reverse(
                f"{match.namespace}:{match.url_name}",
                kwargs={**match.kwargs, "page_slug": moved.page.slug},
            )
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            if request.method in ("GET", "HEAD"):
                return HttpResponseRedirect(url)
            return HttpResponseTemporaryRedirect(url)

    return wrapper


def find_page(access, page_slug):
    """The page of ACCESS's group at PAGE_SLUG; PageMoved for a former address, else 404."""
    page = selectors.page_by_slug(group=access.group, slug=page_slug)
    if page is None:
        moved = selectors.page_by_former_slug(group=access.group, slug=page_slug)
        if moved is not None:
            raise PageMoved(moved)
        raise Http404
    page.group = access.group
    return page


def visible_revision(request, access, page):
    """What the visitor sees of PAGE, or 404 when nothing."""
    revision = selectors.visible_revision(
        page=page, user=request.user, is_moderator=access.can_moderate
    )
    if revision is None:
        raise Http404
    return revision


def find_revision(request, access, page, number):
    """Revision NUMBER of PAGE, or 404 when there is none the visitor may see."""
    revision = selectors.revision_by_number(
        page=page, number=number, user=request.user, is_moderator=access.can_moderate
    )
    if revision is None:
        raise Http404
    return revision


def context(access, **extra):
    return {"group": access.group, "access": access, **extra}


def tell_refusal(request, error):
    """Shows on the next page the messages of a service's ValidationError, for the actions
    that have no form to put them on (a button that goes back to where it was)."""
    for message in error.messages:
        messages.error(request, message)


def page_view(action, *, post_only=False):
    """Decorates the view of one page: the visitor needs ACTION in the group (else 404,
    login or 403), a former address redirects (`follows_renames`), and the view is called
    as view(request, access, page, **the rest of the address). POST_ONLY: a button's view,
    which answers 405 to anything but POST."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, slug, page_slug, **kwargs):
            access = group_access(request, slug, action)
            return view(request, access, find_page(access, page_slug), **kwargs)

        if post_only:
            wrapper = require_POST(wrapper)
        return follows_renames(login_when_needed(wrapper))

    return decorate


def page_action(action):
    """Decorates the view of a button that acts on a page and goes back to it (watch,
    lock, discard a draft), as `page_view(ACTION, post_only=True)`: the view gets the
    request and the page, acts, and returns the message that says what it did."""

    def decorate(act):
        @page_view(action, post_only=True)
        @functools.wraps(act)
        def view(request, access, page):
            messages.success(request, act(request, page))
            return redirect(page)

        return view

    return decorate


def page_switch(action, name, *, on, off):
    """Decorates the view of a button that turns something about a page on or off
    (watching it, locking it), as `page_action(ACTION)`: the form sends NAME=1 to turn it
    on, anything else to turn it off; the view gets the request, the page and True or
    False, and the message shown is ON or OFF."""

    def decorate(switch):
        @page_action(action)
        @functools.wraps(switch)
        def act(request, page):
            turn_on = request.POST.get(name) == "1"
            switch(request, page, turn_on)
            return on if turn_on else off

        return act

    return decorate
