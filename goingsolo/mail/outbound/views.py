"""Web pages of the mailing list: a member's email choice for a group, with or without
logging in (the link in every email), the one-click unsubscribe (RFC 8058), and stopping
watching a wiki page from the link in its emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from goingsolo.groups.access import group_access
from goingsolo.groups.rules import Action
from goingsolo.wiki import rules as wiki_rules
from goingsolo.wiki import services as wiki_services

from ..reply_tokens import (
    delivery_url,
    former_token,
    resolve_delivery_token,
    resolve_unsubscribe_token,
    resolve_unwatch_token,
)
from . import services
from .forms import DeliveryForm
from .list_headers import list_address


def _link_refused(request, kind, token):
    """The page of a link that is not (or no longer) valid: revoked by a reset of private
    links, by leaving the group or deleting the account, or of the former kind of token."""
    context = {"former": former_token(kind, token)}
    return render(request, "mail/link_invalid.html", context, status=404)


def _delivery_page(request, *, user, group, template, extra):
    subscription = services.subscription_of(user=user, group=group)
    form = DeliveryForm(request.POST or None, initial={"delivery": subscription.delivery})
    if request.method == "POST" and form.is_valid():
        subscription = services.subscription_set_delivery(
            user=user, group=group, delivery=form.cleaned_data["delivery"]
        )
        messages.success(
            request,
            _("Saved: %(choice)s.") % {"choice": subscription.get_delivery_display()},
        )
        return redirect(request.path)
    context = {
        "group": group,
        "form": form,
        "subscription": subscription,
        "list_address": list_address(group),
        **extra,
    }
    return render(request, template, context)


@login_required
def group_email(request, slug):
    """/g/<slug>/email/: a member chooses how the group reaches them by email."""
    access = group_access(request, slug, Action.POST)
    if access.membership is None:
        raise PermissionDenied
    return _delivery_page(
        request,
        user=request.user,
        group=access.group,
        template="mail/group_email.html",
        extra={"access": access},
    )


@never_cache
def delivery_by_link(request, token):
    """The same choice from the link in an email, without logging in: the signed token
    says whose choice and which group."""
    found = resolve_delivery_token(token)
    if found is None:
        return _link_refused(request, "delivery", token)
    user, group = found
    return _delivery_page(
        request, user=user, group=group, template="mail/delivery_link.html", extra={"member": user}
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a confirmation with a button and changes nothing (mail scanners follow
    links). POST, from that button or from a mail client's one-click unsubscribe (RFC 8058,
    no cookie, no CSRF token), stops every email from the group."""
    found = resolve_unsubscribe_token(token)
    if found is None:
        return _link_refused(request, "unsubscribe", token)
    user, group = found
    context = {"group": group, "member": user, "delivery_url": delivery_url(user.pk, group.pk)}
    if request.method == "POST":
        services.subscription_unsubscribe(user=user, group=group)
        return render(request, "mail/unsubscribed.html", context)
    return render(request, "mail/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def wiki_unwatch(request, token):
    """GET asks to confirm and changes nothing (mail scanners follow links); POST stops
    the member watching the page. The signed token says who and which page. The page's
    title is shown only to a member who may still read it."""
    found = resolve_unwatch_token(token)
    if found is None:
        return _link_refused(request, "unwatch", token)
    user, page = found
    context = {
        "member": user,
        "group": page.group,
        "page": page if wiki_rules.can_read(user, page.group) else None,
        "delivery_url": delivery_url(user.pk, page.group_id),
    }
    if request.method == "POST":
        wiki_services.page_watch(page=page, user=user, watching=False)
        return render(request, "mail/wiki_unwatched.html", context)
    return render(request, "mail/wiki_unwatch.html", context)
