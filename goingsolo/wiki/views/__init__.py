"""Wiki pages. Thin: each view gets the group with group_access, parses input with a form,
calls a service and renders. Whatever goes wrong on save, the editor's text comes back
in the form.

By use case: `reading` (lists, a page, its history, diffs, links, images, watching it),
`editing` (new pages, edits and their conflicts, drafts, reverts, renames), `moderation`
(the review queue, reverting a member's edits, locking a page); `lookup` finds what an
address names, following renames.
"""
