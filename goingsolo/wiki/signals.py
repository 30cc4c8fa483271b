"""What happened in the wiki, for the features above it to react to (mail, moderation).

Sent once the transaction that made the change has committed, so a receiver never sees a
change that was rolled back. Receivers should enqueue a job rather than work inline.
"""

from django.dispatch import Signal

# revision: a Revision that became what everyone sees on its page (an edit published at
# once or approved, a revert, a merge, a rename). Held edits send nothing until approved.
revision_published = Signal()
# revision: a new Revision held for review (it waits in the group's review queue).
revision_held = Signal()
