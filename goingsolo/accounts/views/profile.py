"""The member's profile and their language."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from goingsolo.core.forms import add_service_errors

from .. import profile_sections, services
from ..forms import ProfileForm
from ..models import User


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
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": form, "sections": profile_sections.sections_for(request)},
    )
