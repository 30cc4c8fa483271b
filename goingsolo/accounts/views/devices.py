"""The member's devices that receive notifications by Web Push, and the endpoints the
page's script (static/goingsolo/push.js) calls. Docs: docs/push.md."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import push, selectors, services
from ..forms import PushSubscriptionForm


@login_required
def device_list(request):
    return render(
        request,
        "accounts/devices.html",
        {"devices": selectors.push_devices_of(user=request.user)},
    )


@require_POST
@login_required
def device_remove(request, pk):
    """Works without JavaScript: the browser's own subscription simply stops receiving."""
    if not services.push_subscription_remove(user=request.user, subscription_id=pk):
        raise Http404
    messages.success(request, _("That device no longer receives your notifications."))
    return redirect("accounts:devices")


@require_GET
def push_key(request):
    """The public key browsers subscribe with."""
    return JsonResponse({"publicKey": push.vapid_public_key()})


def _json_body(request):
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _refused(message, status=400, errors=None):
    return JsonResponse({"error": message, "errors": errors or {}}, status=status)


@require_POST
def push_subscribe(request):
    """Saves the browser's subscription (POSTed as `PushSubscription.toJSON()`)."""
    if not request.user.is_authenticated:
        return _refused(_("Log in to receive notifications on this device."), status=403)
    data = _json_body(request)
    if data is None:
        return _refused(_("This is not a push subscription: the browser sent no JSON object."))
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    form = PushSubscriptionForm(
        {"endpoint": data.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    )
    if not form.is_valid():
        errors = {name: [str(message) for message in found] for name, found in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return _refused(first, errors=errors)
    subscription, created = services.push_subscription_save(
        user=request.user, user_agent=request.headers.get("User-Agent", ""), **form.cleaned_data
    )
    return JsonResponse(
        {"id": subscription.pk, "label": subscription.label}, status=201 if created else 200
    )


@require_POST
def push_unsubscribe(request):
    """Forgets the browser's subscription, named by its endpoint."""
    if not request.user.is_authenticated:
        return _refused(_("Log in to receive notifications on this device."), status=403)
    data = _json_body(request)
    endpoint = data.get("endpoint") if data is not None else None
    if not isinstance(endpoint, str) or not endpoint:
        return _refused(_("Say which subscription to remove: its endpoint is missing."))
    removed = services.push_subscription_remove(user=request.user, endpoint=endpoint)
    return JsonResponse({"removed": removed})
