"""Groups in the Django admin, for instance admins; every change they make is in the audit
log (`accounts/admin.py`, docs/privacy.md)."""

from django.contrib import admin

from .models import Group, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "joined_at"]
    extra = 0
    can_delete = False  # removing a member goes through the group's pages (seats, counts)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "join_policy", "member_count", "created_at"]
    list_filter = ["visibility", "join_policy"]
    search_fields = ["name", "slug"]
    readonly_fields = ["member_count", "created_at"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False  # a group is made by its owner, on the site

    def has_delete_permission(self, request, obj=None):
        return False
