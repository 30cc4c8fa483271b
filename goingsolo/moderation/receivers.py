"""The review queue listens to what lands in it: each receiver only enqueues a job
(`tasks.queue_item_landed`, which tells the moderators: `alerts.py`); those signals are
sent once the change has committed. And the log hears of every answer to a request to
join, inside its transaction, wherever it was given."""

from goingsolo.discussions import signals as discussions_signals
from goingsolo.groups import signals as groups_signals
from goingsolo.mail import signals as mail_signals
from goingsolo.wiki import signals as wiki_signals

from . import services
from .models import TargetKind
from .tasks import queue_item_landed


def _landed(group_id, kind, label):
    queue_item_landed.enqueue(group_id=group_id, kind=kind, label=label[:200])


def post_held(sender, post, **kwargs):
    _landed(post.group_id, TargetKind.POST, f"{post.thread.title} #{post.position}")


def revision_held(sender, revision, **kwargs):
    _landed(revision.group_id, TargetKind.REVISION, f"{revision.page.title} r{revision.number}")


def message_held(sender, message, **kwargs):
    _landed(message.group_id, TargetKind.EMAIL, message.subject or message.sender)


def join_request_created(sender, join_request, **kwargs):
    _landed(join_request.group_id, TargetKind.JOIN_REQUEST, join_request.user.name)


def join_request_decided(sender, join_request, by, **kwargs):
    # Inside the answer's transaction: the log entry and the answer commit together.
    services.join_request_log(join_request=join_request, by=by)


def connect():
    discussions_signals.post_held.connect(post_held, dispatch_uid="moderation.post_held")
    wiki_signals.revision_held.connect(revision_held, dispatch_uid="moderation.revision_held")
    mail_signals.message_held.connect(message_held, dispatch_uid="moderation.message_held")
    groups_signals.join_request_created.connect(
        join_request_created, dispatch_uid="moderation.join_request_created"
    )
    groups_signals.join_request_decided.connect(
        join_request_decided, dispatch_uid="moderation.join_request_decided"
    )
