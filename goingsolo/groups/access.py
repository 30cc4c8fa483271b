"""Who may open a group's pages: every view of every feature starts here.

`group_access(request, slug, action)` loads the group and the visitor's `GroupAccess` once
per request (membership, standing, allowed actions from `rules.py`) or refuses: 404 for a
group the visitor may not find, LoginRequired (→ the login page, with `login_when_needed`)
for an anonymous visitor who needs an account, 403 otherwise.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from goingsolo.core.prepared import PreparedQuery

from . import rules, selectors
from .models import Group
from .rules import Action

# Every group page asks it: its SQL is built once per process (core/prepared.py).
_group_at = PreparedQuery(
    lambda slug: Group.objects.filter(slug=slug).order_by("pk")[:1], text=["slug"]
)


class GroupAccess:
    """What the current visitor is and may do in one group, loaded once per request."""

    def __init__(self, request, group):
        self.group = group
        self.user = request.user
        self.membership = selectors.membership_of(user=request.user, group=group)
        if self.membership is not None:
            self.membership.group = group
        self.standing = rules.standing_of(request.user, group, self.membership)
        self.allowed = rules.allowed_actions(self.standing, group, self.membership)
        if rules.is_instance_admin(request.user):
            self.allowed = self.allowed | rules.INSTANCE_ADMIN_ACTIONS

    def can(self, action):
        return Action(action) in self.allowed

    # Template-friendly names.
    @property
    def can_view_content(self):
        return self.can(Action.VIEW_CONTENT)

    @property
    def can_list_members(self):
        return self.can(Action.LIST_MEMBERS)

    @property
    def can_post(self):
        return self.can(Action.POST)

    @property
    def can_moderate(self):
        return self.can(Action.MODERATE)

    @property
    def can_administer(self):
        return self.can(Action.ADMINISTER)

    @property
    def sanction(self):
        """Why the member may not take part now (a silence, a suspension), or ""."""
        return rules.sanction_refusal(self.membership)

    @functools.cached_property
    def is_banned(self):
        """Whether the visitor, not a member, was banned (asked only by the join button)."""
        return self.membership is None and rules.is_banned(self.user, self.group)


def group_access(request, slug, action=Action.FIND):
    """The group and the visitor's access, or the right refusal.

    A group the visitor may not find is a 404, exactly like a group that does not exist;
    an anonymous visitor who needs more is sent to log in; anyone else gets a 403.
    """
    group = _group_at.first(slug=slug)
    if group is None:
        raise Http404
    access = GroupAccess(request, group)
    if not access.can(Action.FIND):
        raise Http404
    if not access.can(action):
        if not request.user.is_authenticated:
            raise LoginRequired
        if access.sanction and Action(action) in rules.allowed_actions(access.standing, group):
            # Refused for the sanction alone: the 403 page says until when, and gives back
            # what a refused form held.
            raise Sanctioned(access.sanction)
        raise PermissionDenied(_("You are not allowed to see this page."))
    return access


class Sanctioned(PermissionDenied):
    """A member under a silence or a suspension asked for what it takes away; the message
    says until when (rules.sanction_refusal). The 403 page shows what the refused form
    held, so that nothing typed is lost (core/site_pages.py)."""

    gives_back_typed_text = True


class LoginRequired(Exception):
    """Raised by a view for an anonymous visitor who needs an account; see login_when_needed."""


def login_when_needed(view):
    """Decorates a view: LoginRequired raised inside it sends the visitor to log in."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapper
