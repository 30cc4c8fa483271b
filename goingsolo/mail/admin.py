"""Inbound mail in the Django admin: every message kept, with what became of it."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .inbound.routing import inbound_process
from .models import BounceEvent, DeliveryPause, InboundMessage, ListSettings


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "status",
        "kind",
        "sender",
        "proof",
        "subject",
        "group",
        "size",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["sender", "mail_from", "subject", "message_id", "note", "client_address"]
    date_hierarchy = "received_at"
    readonly_fields = [
        field.name for field in InboundMessage._meta.fields if field.name != "raw"
    ] + ["raw_text"]
    exclude = ["raw"]
    actions = ["process_again"]
    list_select_related = ["group"]

    @admin.display(description=_("sender proven"))
    def proof(self, message):
        """ "proven by dkim", "not proven"…: the head of what authentication found; the
        whole of it is on the message's page. Empty when no proof was needed (a reply by
        token, a bounce)."""
        return message.authentication.split(";")[0]

    @admin.display(description=_("message as received"))
    def raw_text(self, message):
        return bytes(message.raw)[:200_000].decode("utf-8", "replace")

    @admin.action(description=_("Process again (failed messages)"))
    def process_again(self, request, queryset):
        count = 0
        for message in queryset.filter(status=InboundMessage.Status.FAILED):
            InboundMessage.objects.filter(pk=message.pk).update(
                status=InboundMessage.Status.RECEIVED, note=""
            )
            inbound_process(message.pk)
            count += 1
        self.message_user(
            request, _("%(count)d messages processed again.") % {"count": count}, messages.SUCCESS
        )

    def has_add_permission(self, request):
        return False


@admin.register(BounceEvent)
class BounceEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "address", "kind", "status", "counted", "user"]
    list_filter = ["kind", "counted"]
    search_fields = ["address", "diagnostic"]
    raw_id_fields = ["user", "inbound"]


@admin.register(DeliveryPause)
class DeliveryPauseAdmin(admin.ModelAdmin):
    list_display = ["user", "address", "score", "paused_at"]
    raw_id_fields = ["user"]


@admin.register(ListSettings)
class ListSettingsAdmin(admin.ModelAdmin):
    list_display = ["group", "hold_new_threads"]
    raw_id_fields = ["group"]
