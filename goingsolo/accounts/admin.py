"""Members, and the audit log of the instance admins, in the Django admin.

Every change an instance admin makes in the admin is a `LogEntry` (Django's own log: who,
when, which object, what changed), written by the admin itself for saves and deletions,
and by the actions below for theirs. The audit log shows those entries, read-only, to
superusers (docs/privacy.md, "Audit log of instance admins").
"""

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "is_active", "is_staff", "date_joined", "deleted_at"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "display_name", "handle"]
    fields = [
        "email",
        "display_name",
        "handle",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
        "last_login",
        "deleted_at",
    ]
    readonly_fields = ["date_joined", "last_login", "deleted_at"]
    actions = ["deactivate", "delete_account_keeping_posts"]

    def has_add_permission(self, request):
        return False  # members sign up; an admin invites them to a group

    def has_delete_permission(self, request, obj=None):
        # Deleting the row would skip what deleting an account does (seats to the waiting
        # lists, counts of members): the action below goes through the service.
        return False

    @admin.action(description=_("Deactivate (cannot sign in any more)"))
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True):
            User.objects.filter(pk=user.pk).update(is_active=False)
            self.log_change(request, user, [{"changed": {"fields": ["is_active"]}}])
        self.message_user(request, _("The members are deactivated."), messages.SUCCESS)

    @admin.action(description=_("Delete their account, keeping their posts"))
    def delete_account_keeping_posts(self, request, queryset):
        for user in queryset.filter(deleted_at__isnull=True):
            name = str(user.email)
            try:
                services.account_delete(user=user, keep_posts=True)
            except ValidationError as error:
                self.message_user(request, f"{name}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.log_change(request, user, _("Account of %(email)s deleted") % {"email": name})


@admin.register(LogEntry)
class AuditLogAdmin(admin.ModelAdmin):
    """What instance admins did in the admin: read-only, for superusers."""

    list_display = ["action_time", "user", "action_flag", "content_type", "object_repr", "change"]
    list_filter = ["action_flag", "content_type", "user"]
    search_fields = ["object_repr", "change_message"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]

    @admin.display(description=_("what changed"))
    def change(self, entry):
        return entry.get_change_message()

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
