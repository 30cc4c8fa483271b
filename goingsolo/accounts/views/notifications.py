"""The member's notifications: the list, marking them read, opening one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services, wording

NOTIFICATIONS_PER_PAGE = 30


@login_required
def notification_list(request):
    page = Paginator(
        selectors.notifications_of(user=request.user), NOTIFICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    notifications = list(page.object_list)
    group_names = selectors.group_names_of(user=request.user) if notifications else {}
    for notification in notifications:
        notification.sentence = wording.sentence(notification)
        notification.group_name = group_names.get(notification.group_id, "")
    return render(
        request,
        "accounts/notifications.html",
        {
            "page": page,
            "notifications": notifications,
            "has_unread": any(n.read_at is None for n in notifications),
        },
    )


@require_POST
@login_required
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked read."))
    return redirect("accounts:notifications")


@login_required
def notification_open(request, pk):
    """Marks the notification read and goes where it points."""
    notification = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    if not url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("accounts:notifications")
    return redirect(notification.url)
