"""Groups' part of a member's export and of deleting their account
(the registry: `goingsolo/accounts/privacy.py`; docs/privacy.md)."""

from goingsolo.accounts.privacy import ExportFile, eraser, exporter

from . import services
from .models import JoinRequest, Membership


@exporter
def export_memberships(user):
    memberships = Membership.objects.filter(user=user).select_related("group").order_by("pk")
    yield ExportFile(
        "memberships.json",
        [
            {
                "group": membership.group.name,
                "slug": membership.group.slug,
                "role": membership.role,
                "joined_at": membership.joined_at,
                "notifications": membership.notification_level,
            }
            for membership in memberships
        ],
    )
    requests = JoinRequest.objects.filter(user=user).select_related("group").order_by("pk")
    yield ExportFile(
        "join_requests.json",
        [
            {
                "group": request.group.slug,
                "status": request.status,
                "answers": request.answers,
                "created_at": request.created_at,
            }
            for request in requests
        ],
    )


@eraser
def leave_every_group(user, *, keep_posts):
    services.account_memberships_end(user=user)
