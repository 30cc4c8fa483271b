"""Discussion pages, one module per use case. Thin: each view gets the group with
group_access, parses input with a form, calls a service and renders or redirects.

- `threads`: start a thread, read one, reply, vote in its poll, follow or mute it, moderate
  it, and the member's notification level for the group's threads;
- `posts`: edit, delete, restore, a post's history, its language, reactions, translation,
  its attachments, and the members one may mention while writing;
- `live`: one post as the thread page shows it, and the server-sent events of a thread and a
  group (docs/live-updates.md);
- `common`: what they share (the thread or post a URL names, what a post shows with it).

Every action is a plain form POST that redirects back to the thread; with htmx, replies,
reactions and translations update the page in place: the same views answer with the fragment
template the page includes (docs/contributing.md, "htmx, one pattern").
"""
