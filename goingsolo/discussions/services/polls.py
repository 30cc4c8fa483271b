"""Votes in a thread's poll (the poll itself comes with its thread: posting.thread_start)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..models import Poll, PollOption, PollVote
from .posting import require_post_rights


@transaction.atomic
def poll_vote(*, poll, user, option_ids):
    """USER votes once in POLL: one option, or several when the poll allows it."""
    poll = Poll.objects.select_for_update().select_related("thread__group").get(pk=poll.pk)
    require_post_rights(user, poll.thread.group)
    if poll.is_closed:
        raise ValidationError(_("This poll is closed."))
    option_ids = {int(option_id) for option_id in option_ids}
    options = list(poll.options.filter(pk__in=option_ids))
    if not options or len(options) != len(option_ids):
        raise ValidationError(_("Choose an option."))
    if len(options) > 1 and not poll.allows_multiple:
        raise ValidationError(_("This poll takes one answer only."))
    if PollVote.objects.filter(poll=poll, user=user).exists():
        raise ValidationError(_("You have already voted in this poll."))
    PollVote.objects.bulk_create(
        [PollVote(poll=poll, option=option, user=user) for option in options]
    )
    PollOption.objects.filter(pk__in=[option.pk for option in options]).update(
        vote_count=F("vote_count") + 1
    )
    Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
    return poll
