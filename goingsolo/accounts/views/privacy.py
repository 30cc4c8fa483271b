"""The member's privacy tools: download their data, reset their private links, delete their
account (docs/privacy.md)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.core.forms import add_service_errors

from .. import export, services
from ..forms import AccountDeleteForm


@login_required
def privacy(request):
    return render(request, "accounts/privacy.html")


@login_required
def data_export(request):
    """The zip, built for this request (accounts/export.py says why not by a job)."""
    return FileResponse(
        export.export_archive(request.user),
        as_attachment=True,
        filename=export.archive_name(request.user),
        content_type="application/zip",
    )


@require_POST
@login_required
def private_links_reset(request):
    services.private_links_reset(user=request.user)
    messages.success(
        request,
        _(
            "Your private links are reset: the links in emails you received (to cancel a "
            "seat, for instance) and your calendar’s address no longer work."
        ),
    )
    return redirect("accounts:privacy")


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user, keep_posts=form.keep_posts)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Goodbye!"))
            return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})
