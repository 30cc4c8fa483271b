"""What processing a message comes to (an Outcome), and how the message's row records it."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from goingsolo.discussions.models import Post, Thread
from goingsolo.groups.models import Group

from .. import signals
from ..models import InboundMessage
from .parsing import without_nul
from .refusals import explain

Status = InboundMessage.Status
Kind = InboundMessage.Kind


@dataclass
class Outcome:
    status: str
    note: str = ""
    kind: str = Kind.UNKNOWN
    group: Group | None = None
    author: object = None
    thread: Thread | None = None
    post: Post | None = None
    # Why the sender is told it was not posted: a reason of emails/inbound_refused_why.txt.
    refusal: str = ""
    refusal_context: dict = field(default_factory=dict)
    language: str | None = None  # the explanation's language; None: all the site's
    # Whether the From address is proven (by DNS or by a token only its member received):
    # only a proven sender is ever told anything. None: not checked yet (refusals.py).
    sender_proven: bool | None = None

    # Which outcome of a message sent to several of our addresses the row shows: one that
    # waits for its sender first, as it asks for an action.
    RANK = {
        Status.AWAITING: 6,
        Status.PROCESSED: 5,
        Status.HELD: 4,
        Status.REJECTED: 3,
        Status.IGNORED: 2,
        Status.FAILED: 1,
    }


RECORDED_FIELDS = [
    "status",
    "note",
    "kind",
    "sender",
    "subject",
    "group",
    "author",
    "thread",
    "post",
    "processed_at",
    "authentication",
    "confirmation_sent_at",
    "confirmed_at",
]


def record(message, outcome):
    message.status = outcome.status
    message.note = without_nul(outcome.note)[:5000]
    message.kind = outcome.kind
    message.group = outcome.group
    message.author = outcome.author
    message.thread = outcome.thread
    message.post = outcome.post
    message.processed_at = timezone.now()
    # The raw message is not written again: it may be megabytes.
    message.save(update_fields=RECORDED_FIELDS)
    if outcome.status == Status.HELD:
        transaction.on_commit(
            lambda: signals.message_held.send(sender=InboundMessage, message=message)
        )


def best_of(outcomes):
    """The outcome the row shows: one that waits for its sender first (Outcome.RANK); with
    several, its note tells every one."""
    best = max(outcomes, key=lambda outcome: Outcome.RANK.get(outcome.status, 0))
    if len(outcomes) > 1:
        best.note = "; ".join(f"{o.status}: {o.note}" for o in outcomes)
    return best


def combined(message, parsed, outcomes):
    """The outcome the row shows; the sender is told of one refusal at most."""
    refused = next((outcome for outcome in outcomes if outcome.refusal), None)
    if refused is not None:
        explain(message, parsed, refused)  # one explanation per message
    return best_of(outcomes)
