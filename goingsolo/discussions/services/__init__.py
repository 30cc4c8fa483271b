"""Every change to discussions. One function per use case, each atomic, in a module per use
case: `posting` (threads, replies, edits, deletions, languages, holding posts for approval
and approving them), `polls`, `reactions`, `threads` (pinned, announcements, closed,
followed or muted, read), `erasure` (what a member who deletes their account takes with
them). The rules they apply, with their messages, are `discussions/validators.py`.

The web views, the inbound mail handler, the API and imports all call these, as
`services.<name>`. Side effects are listed in each docstring; they run once the transaction
commits: notifications and the search index through a job, live updates, and the `signals`
other features listen to.
"""

from .erasure import author_posts_erase, reader_traces_erase
from .polls import poll_vote
from .posting import (
    HELD_REASONS,
    HoldReason,
    PostResult,
    hold_reasons,
    post_approve,
    post_delete,
    post_edit,
    post_reply,
    post_restore,
    post_set_language,
    render_post_body,
    thread_start,
)
from .reactions import reaction_add, reaction_remove
from .threads import (
    thread_announce,
    thread_mark_read,
    thread_set_locked,
    thread_set_pinned,
    thread_subscribe,
)

__all__ = [
    "HELD_REASONS",
    "HoldReason",
    "PostResult",
    "author_posts_erase",
    "hold_reasons",
    "poll_vote",
    "post_approve",
    "post_delete",
    "post_edit",
    "post_reply",
    "post_restore",
    "post_set_language",
    "reaction_add",
    "reaction_remove",
    "reader_traces_erase",
    "render_post_body",
    "thread_announce",
    "thread_mark_read",
    "thread_set_locked",
    "thread_set_pinned",
    "thread_start",
    "thread_subscribe",
]
