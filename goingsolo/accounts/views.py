from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from goingsolo.core.forms import add_service_errors

from . import selectors, services, wording
from .forms import ProfileForm
from .models import User

NOTIFICATIONS_PER_PAGE = 30


@require_POST
def set_language(request):
    """The language switcher: remembered on the account, and in a cookie for visitors."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(User._meta.get_field("language").choices):
        services.language_set(user=request.user, language=language)
    return django_set_language(request)


@login_required
def profile_edit(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=User.objects.get(pk=user.pk))
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
            try:
                services.profile_update(
                    user=user,
                    avatar_upload=form.cleaned_data.get("avatar_upload"),
                    remove_avatar=form.cleaned_data.get("remove_avatar", False),
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error, fields={"__all__": "avatar_upload"})
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("groups:member_profile", pk=user.pk)
    else:
        form = ProfileForm(instance=user)
    return render(request, "accounts/profile_edit.html", {"form": form})


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
