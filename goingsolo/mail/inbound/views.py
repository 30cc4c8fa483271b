"""Web pages of inbound mail: held messages, confirming a message whose sender was not
proven, the group's archive, resuming delivery."""

import itertools

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from goingsolo.groups.access import group_access
from goingsolo.groups.rules import Action

from ..models import InboundMessage, ListSettings
from ..outbound import services as outbound_services
from ..reply_tokens import confirmation_token, former_token, resolve_confirmation_token
from . import confirmations, mbox, services
from .forms import ListSettingsForm
from .parsing import parse_message

HELD_PAGE_SIZE = 50


@login_required
def held_list(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    group = access.group
    held = list(
        InboundMessage.objects.filter(group=group, status=InboundMessage.Status.HELD)
        .select_related("author")
        .order_by("received_at")[:HELD_PAGE_SIZE]
    )
    for message in held:
        message.preview = parse_message(bytes(message.raw)).body_text
    # Not the moderators' to decide: counted, so that they know why a post may come late.
    awaiting = InboundMessage.objects.filter(
        group=group,
        status=InboundMessage.Status.AWAITING,
        received_at__gte=timezone.now() - confirmations.confirmation_lifetime(),
    ).count()
    list_settings = ListSettings.objects.filter(group=group).first() or ListSettings(group=group)
    return render(
        request,
        "mail/inbound_held.html",
        {
            "group": group,
            "access": access,
            "held": held,
            "awaiting": awaiting,
            "settings_form": ListSettingsForm(instance=list_settings),
        },
    )


@require_POST
@login_required
def held_decide(request, slug, message_id, decision):
    if decision not in ("approve", "reject"):
        raise Http404
    access = group_access(request, slug, Action.MODERATE)
    message = get_object_or_404(InboundMessage, pk=message_id, group=access.group)
    if decision == "approve":
        try:
            services.held_message_approve(message=message, by=request.user)
            messages.success(request, _("The message is posted."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        services.held_message_reject(message=message, by=request.user)
        messages.success(request, _("The message is rejected; nothing was posted."))
    return redirect("mail:held", slug=access.group.slug)


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


@require_POST
@login_required
def list_settings(request, slug):
    access = group_access(request, slug, Action.ADMINISTER)
    form = ListSettingsForm(request.POST)
    if form.is_valid():
        services.list_settings_update(
            group=access.group,
            by=request.user,
            hold_new_threads=form.cleaned_data["hold_new_threads"],
        )
        messages.success(request, _("The group’s email settings are saved."))
    return redirect("mail:held", slug=access.group.slug)


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
