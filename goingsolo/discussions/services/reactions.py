"""Reactions to a post: one of six emoji, once each per member."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import tasks
from ..models import Post, Reaction
from .posting import require_post_rights


def _refresh_reaction_counts(post):
    counts = {}
    for emoji in Reaction.objects.filter(post=post).values_list("emoji", flat=True):
        counts[emoji] = counts.get(emoji, 0) + 1
    ordered = {emoji: counts[emoji] for emoji in Reaction.Emoji.values if emoji in counts}
    Post.objects.filter(pk=post.pk).update(reaction_counts=ordered)
    post.reaction_counts = ordered


@transaction.atomic
def reaction_add(*, post, user, emoji):
    """USER reacts to POST with EMOJI. Side effects on commit: the author is notified
    (grouped with other reactions to the same post)."""
    if emoji not in Reaction.Emoji.values:
        raise ValidationError(_("Choose one of the offered reactions."))
    require_post_rights(user, post.group)
    if post.deleted_at is not None:
        raise ValidationError(_("This post was deleted."))
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, emoji=emoji)
    except IntegrityError:
        raise ValidationError(_("You already reacted with %(emoji)s.") % {"emoji": emoji}) from None
    _refresh_reaction_counts(post)
    transaction.on_commit(
        lambda: tasks.reaction_added.enqueue(post_id=post.pk, user_id=user.pk, emoji=emoji)
    )
    return post


@transaction.atomic
def reaction_remove(*, post, user, emoji):
    Reaction.objects.filter(post=post, user=user, emoji=emoji).delete()
    _refresh_reaction_counts(post)
    return post
