"""Who may do what with threads and posts, on top of the group's rules."""

from goingsolo.groups import rules as group_rules
from goingsolo.groups.rules import Action


def can_read(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.VIEW_CONTENT, group, membership)


def can_post(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.POST, group, membership)


def can_moderate(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.MODERATE, group, membership)


def post_edit_rights(user, group, membership=group_rules.UNSET):
    """(may moderate, may post) in GROUP: what can_edit_post asks of the group, asked once
    for a page of posts."""
    if not user.is_authenticated:
        return (False, False)
    return (can_moderate(user, group, membership), can_post(user, group, membership))


def can_edit_post(user, post, membership=group_rules.UNSET, rights=None):
    """Authors edit their own posts while they may post; moderators edit any post.
    RIGHTS: post_edit_rights of the post's group, when already known."""
    if not user.is_authenticated:
        return False
    moderates, may_post = rights or post_edit_rights(user, post.group, membership)
    if moderates:
        return True
    return post.author_id == user.pk and post.deleted_at is None and may_post


def can_delete_post(user, post, membership=group_rules.UNSET):
    return can_edit_post(user, post, membership)


def can_restore_post(user, post, membership=group_rules.UNSET):
    return can_moderate(user, post.group, membership)


def can_see_held(post_or_thread, *, user_id, is_moderator):
    """A held post or thread (waiting for approval) is seen by its author (USER_ID) and
    the moderators only; anything else by whoever reads the group."""
    if not post_or_thread.is_held:
        return True
    return is_moderator or (user_id is not None and post_or_thread.author_id == user_id)


def can_pin(user, group, membership=group_rules.UNSET):
    """Pinning and announcements are for admins."""
    return group_rules.can(user, Action.ADMINISTER, group, membership)
