"""Who may do what in a group's wiki, on top of the group's rules.

- Reading follows the group: whoever may view its content reads its wiki.
- Members who may post edit pages, unless a moderator locked the page.
- Members whose edits publish at once (trusted members, moderators) rename the pages they
  may edit; others ask a moderator (`can_rename_page`).
- Moderators approve and reject held edits, revert all edits of a member, lock pages.
- A revision waiting for review, or rejected, is seen by its author and the moderators
  only; everyone else sees the page's last approved revision. So is an image until a
  published revision of its uploader shows it (`can_see_image`).
- How much the group trusts the editor decides whether an edit shows at once
  (`goingsolo.groups.trust`); what each level may do is
  `trust.ALLOWED` (links per edit, edits an hour, edits without review).
"""

from goingsolo.groups import rules as group_rules
from goingsolo.groups.models import Membership
from goingsolo.groups.rules import Action
from goingsolo.groups.trust import allowed


def can_read(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.VIEW_CONTENT, group, membership)


def can_edit(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.POST, group, membership)


def can_moderate(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.MODERATE, group, membership)


def can_edit_page(user, page, membership=group_rules.UNSET):
    """Members edit unlocked pages; moderators edit every page."""
    if page.is_locked:
        return can_moderate(user, page.group, membership)
    return can_edit(user, page.group, membership)


def can_see_revision(user, revision, *, is_moderator):
    if revision.is_approved:
        return True
    return is_moderator or (user.is_authenticated and revision.author_id == user.pk)


def can_see_image(user, attachment, *, is_moderator):
    """An image a published revision shows is the group's; until then (its edit held for
    review, or not saved yet) it is its uploader's and the moderators' (`services.images`)."""
    if attachment.published_at is not None:
        return True
    return is_moderator or (user.is_authenticated and attachment.uploaded_by_id == user.pk)


def edits_need_review(membership):
    """True when an edit by MEMBERSHIP's member waits for a moderator before it shows."""
    return not allowed(membership).wiki_edits_without_review


def can_rename_page(user, page, membership=group_rules.UNSET):
    """Those whose edits publish at once (trusted members, moderators) rename pages they
    may edit. A rename changes the page's address and what links say, so it is not held
    for review like an edit: a member whose edits wait for a moderator asks one instead."""
    if user is None or not user.is_authenticated:
        return False
    if membership is group_rules.UNSET:
        membership = Membership.objects.filter(group=page.group, user=user).first()
    return can_edit_page(user, page, membership) and not edits_need_review(membership)
