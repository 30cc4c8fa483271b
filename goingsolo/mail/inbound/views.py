"""Web pages of inbound mail: a group's email settings, confirming a message whose sender
was not proven, the group's archive, resuming delivery. Held messages are decided in the
group's review queue (goingsolo/moderation), which calls `services`."""

import itertools

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from goingsolo.groups.access import group_access
from goingsolo.groups.rules import Action

from ..models import ListSettings
from ..outbound import services as outbound_services
from ..reply_tokens import confirmation_token, former_token, resolve_confirmation_token
from . import confirmations, mbox, services
from .forms import ListSettingsForm
from .parsing import parse_message

HELD_PAGE_SIZE = 50


@login_required
def held_list(request, slug):
    """The former "Held mail" page: held email is in the group's one review queue now
    (goingsolo/moderation), as its "Held email" filter; older links lead there, for those
    who may see it (404 for a group one may not find, as every page of a group)."""
    access = group_access(request, slug, Action.MODERATE)
    return redirect(reverse("moderation:queue", args=[access.group.slug]) + "?kind=emails")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link of the email sent for a message whose sender was not proven: the page
    shows the message and posts it on a button, a POST, never on the GET itself — mail
    scanners open the links of the emails they check. The token, which only the member
    received, stands for logging in."""
    found = resolve_confirmation_token(token)
    if found is None:
        context = {"state": "invalid", "former": former_token("confirm", token)}
        return render(request, "mail/inbound_confirm.html", context, status=404)
    message, member = found
    refusal = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "post":
            try:
                outcome = confirmations.inbound_message_confirm(
                    message=message, by=member, via="link"
                )
            except ValidationError:
                pass  # used twice, or too late: the page says so
            else:
                if not outcome.refusal:
                    return redirect(request.path)
                refusal = outcome.refusal_context
        elif action == "disown":
            confirmations.inbound_message_disown(message=message, by=member)
            messages.success(request, _("Thank you: this message will not be posted."))
            return redirect(request.path)
        message.refresh_from_db()
    state = confirmations.confirmation_state(message)
    parsed = parse_message(bytes(message.raw))
    others = confirmations.waiting_messages(author=member, group=message.group, exclude=message)
    for other in others:
        other.confirm_path = reverse("mail:confirm", args=[confirmation_token(other.pk, member.pk)])
    context = {
        "state": state,
        "message": message,
        "member": member,
        "group": message.group,
        "preview": confirmations.preview(parsed.body_text),
        "attachments": confirmations.attachment_names(parsed),
        "days": confirmations.confirmation_lifetime().days,
        "refusal": refusal,
        "others": others,
    }
    return render(
        request, "mail/inbound_confirm.html", context, status=410 if state == "expired" else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def list_settings(request, slug):
    """The group's email settings (whether new threads by email wait for a moderator) and
    its archive, for its admins."""
    access = group_access(request, slug, Action.ADMINISTER)
    group = access.group
    list_settings = ListSettings.objects.filter(group=group).first() or ListSettings(group=group)
    form = ListSettingsForm(request.POST or None, instance=list_settings)
    if request.method == "POST" and form.is_valid():
        services.list_settings_update(
            group=group, by=request.user, hold_new_threads=form.cleaned_data["hold_new_threads"]
        )
        messages.success(request, _("The group’s email settings are saved."))
        return redirect("mail:settings", slug=group.slug)
    return render(
        request,
        "mail/list_settings.html",
        {"group": group, "access": access, "settings_form": form},
    )


@login_required
def archive_mbox(request, slug):
    """The group's discussions as one mbox file, streamed (admins only)."""
    access = group_access(request, slug, Action.ADMINISTER)
    messages_ = mbox.export_group(access.group)
    if isinstance(request, ASGIRequest):
        # Under ASGI a synchronous iterator would be read whole before the first byte.
        messages_ = _in_batches(messages_)
    response = StreamingHttpResponse(messages_, content_type="application/mbox")
    response["Content-Disposition"] = f'attachment; filename="{access.group.slug}.mbox"'
    return response


async def _in_batches(iterator, size=200):
    """Reads a synchronous iterator that queries the database, a batch at a time."""
    read = sync_to_async(lambda: list(itertools.islice(iterator, size)), thread_sensitive=True)
    while batch := await read():
        for item in batch:
            yield item


@require_POST
@login_required
def delivery_resume(request):
    outbound_services.delivery_resume(user=request.user)
    messages.success(request, _("Email delivery is on again."))
    return redirect("home")
