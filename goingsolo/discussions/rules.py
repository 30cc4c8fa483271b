"""Who may do what with threads and posts, on top of the group's rules."""

from goingsolo.groups import rules as group_rules
from goingsolo.groups.rules import Action


def can_read(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.VIEW_CONTENT, group, membership)


def can_post(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.POST, group, membership)


def can_moderate(user, group, membership=group_rules.UNSET):
    return group_rules.can(user, Action.MODERATE, group, membership)


def can_edit_post(user, post, membership=group_rules.UNSET):
    """Authors edit their own posts while they may post; moderators edit any post."""
    if not user.is_authenticated:
        return False
    if can_moderate(user, post.group, membership):
        return True
    return (
        post.author_id == user.pk
        and post.deleted_at is None
        and can_post(user, post.group, membership)
    )


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
