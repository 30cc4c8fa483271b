"""What makes a post's email one of a list's: its address, List-Id, Message-ID and the
threading headers (In-Reply-To, References) that keep a thread together in mail clients."""

import re

from django.conf import settings

from goingsolo.discussions.models import Post

# References carries the opening post and the most recent earlier ones, up to this many.
REFERENCES_CAP = 20


def list_address(group):
    return f"{group.slug}@{settings.GOINGSOLO_MAIL_DOMAIN}"


def list_id(group):
    """RFC 2919: "Going Solo <going-solo.example.org>"."""
    name = group.name.replace('"', "").replace("<", "").replace(">", "")
    return f"{name} <{group.slug}.{settings.GOINGSOLO_MAIL_DOMAIN}>"


def generated_message_id(post_id, thread_id):
    return f"<post-{post_id}.{thread_id}@{settings.GOINGSOLO_MAIL_DOMAIN}>"


_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>")


def usable_message_id(value, post_id, thread_id):
    """VALUE when it is a well-formed Message-ID (ASCII, <left@right>), else ours: a post
    that came by email keeps its own, unless the sender's mail software mangled it."""
    if value and len(value) <= 250 and _MESSAGE_ID.fullmatch(value):
        return value
    return generated_message_id(post_id, thread_id)


def message_id_of(post):
    """The Message-ID a post is mailed with: the one it arrived with, else ours."""
    return usable_message_id(post.message_id, post.pk, post.thread_id)


def ensure_message_id(post):
    """Stores our Message-ID on POST when it has none, so replies can find it."""
    if not post.message_id:
        generated = generated_message_id(post.pk, post.thread_id)
        Post.objects.filter(pk=post.pk, message_id="").update(message_id=generated)
        post.message_id = generated
    return post.message_id


def threading_headers(post):
    """(In-Reply-To, References) for POST: the post it answers, then the thread's earlier
    messages, the opening one first, capped at REFERENCES_CAP."""
    earlier = list(
        Post.objects.filter(thread_id=post.thread_id, position__lt=post.position)
        .order_by("position")
        .values_list("pk", "message_id")
    )
    if not earlier:
        return "", ""
    ids = {pk: usable_message_id(message_id, pk, post.thread_id) for pk, message_id in earlier}
    ordered = list(ids.values())
    in_reply_to = ids.get(post.quoted_post_id) or ordered[-1]
    references = (
        ordered
        if len(ordered) <= REFERENCES_CAP
        else [
            ordered[0],
            *ordered[-(REFERENCES_CAP - 1) :],
        ]
    )
    return in_reply_to, " ".join(references)


def absolute_url(path):
    return settings.SITE_URL + path
