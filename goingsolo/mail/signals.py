"""What happened to inbound mail, for the features above mail to react to (moderation).

Sent once the transaction that made the change has committed, so a receiver never sees a
change that was rolled back. Receivers should enqueue a job rather than work inline.
"""

from django.dispatch import Signal

# message: an InboundMessage held for a moderator's approval (the group's
# `hold_new_threads`); it waits in the group's review queue.
message_held = Signal()
