"""What happened in discussions, for the features above to react to (mail, events, moderation).

Sent once the transaction that made the change has committed, so a receiver never sees a
change that was rolled back. Receivers should enqueue a job rather than work inline.
"""

from django.dispatch import Signal

# post: the new Post (thread start or reply); thread: its Thread.
post_created = Signal()
# post: a new Post held for the moderators (it waits in the group's review queue).
post_held = Signal()
# post: the edited Post.
post_edited = Signal()
# thread: a Thread an admin marked as an announcement (email it to every member).
thread_announced = Signal()
