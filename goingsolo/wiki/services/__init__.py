"""Every change to a group's wiki. One function per use case, each atomic.

Web views, imports and the demo call these, as `services.page_edit(…)`. Side effects are
listed in each docstring; those outside the database run once the transaction commits,
through a job (`tasks.revision_published`: watchers' notifications and the search index;
`tasks.page_removed`: the search index) or a signal (`signals.revision_published`: the
mail app emails the watchers).

The modules, by use case:
- `editing`: new pages, edits (and how an edit is saved), imports, drafts, images;
- `images`: images held with the edits that bring them, published or deleted with them;
- `renaming`: renames, and the former titles and addresses they leave;
- `review`: why an edit is held, the moderators' approval and rejection, locked pages;
- `reverts`: restoring an old revision, reverting every edit of a member;
- `watching`: who hears of a page's changes, and what a deleted account leaves behind;
- `revisions`: what they share (permission checks, adding and publishing a revision).

What is not a write lives beside the package: the rules a member can break
(`validators.py`), new members' limits (`limits.py`), the three-way merge (`merge.py`),
diffs (`diff.py`), the revision an editor starts from (`selectors.head_for`).
"""

from .editing import (
    EditConflict,
    SaveResult,
    attachment_add,
    draft_discard,
    draft_save,
    page_create,
    page_edit,
    page_import,
)
from .renaming import page_rename, rename_refusal
from .reverts import MassRevertPlan, member_edits_plan, member_edits_revert, page_revert
from .review import HoldReason, page_lock, revision_approve, revision_reject
from .watching import account_wiki_traces_erase, page_watch

__all__ = [
    "EditConflict",
    "HoldReason",
    "MassRevertPlan",
    "SaveResult",
    "account_wiki_traces_erase",
    "attachment_add",
    "draft_discard",
    "draft_save",
    "member_edits_plan",
    "member_edits_revert",
    "page_create",
    "page_edit",
    "page_import",
    "page_lock",
    "page_rename",
    "page_revert",
    "page_watch",
    "rename_refusal",
    "revision_approve",
    "revision_reject",
]
