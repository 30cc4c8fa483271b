"""The demo's threads: goingsolo/demo/content/discussions.py, through
goingsolo/discussions/services.py.

The threads are history brought into the instance, as an archive is: they are posted
`via=Via.IMPORT` with the dates they were written (`created_at`), as the mbox import posts
them, so the mailing list does not send them, at once or in the first digests, to members
who never wrote them.
"""

import io
import random
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from goingsolo.core.uploads import check_upload
from goingsolo.demo.content.discussions import (
    PAYMENT_DAYS_CHART,
    POLL_VOTERS,
    POLL_WEIGHTS,
    REACTION_EMOJI,
    REACTIONS_PER_POST,
    READERS,
    THREADS,
)
from goingsolo.demo.content.groups import GOING_SOLO
from goingsolo.demo.content.people import GOING_SOLO_PEOPLE
from goingsolo.discussions import services
from goingsolo.discussions.models import Post, Thread, ThreadSubscription, Via
from goingsolo.discussions.search_index import index_post

MENTION = re.compile(r"\{@([\w.-]+)\}")


def _text(demo, text):
    """TEXT with "{@key}" turned into the @handle of that person."""
    return MENTION.sub(lambda match: "@" + demo.users[match.group(1)].handle, text)


def _chart_png(chart):
    """CHART (a BarChart) drawn as a small PNG."""
    image = Image.new("RGB", (480, 280), (250, 248, 243))
    draw = ImageDraw.Draw(image)
    draw.text((20, 14), chart.title, fill=(30, 30, 30))
    draw.line((20, 250, 460, 250), fill=(120, 120, 120), width=1)
    for index, (label, value, colour) in enumerate(chart.bars):
        left = 50 + index * 140
        top = 250 - value * 3
        draw.rectangle((left, top, left + 80, 249), fill=colour)
        draw.text((left + 28, top - 16), str(value), fill=(30, 30, 30))
        draw.text((left - 8, 258), label, fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _chart_attachment(chart):
    """CHART as the attachments `post_reply` takes: checked as any upload is."""
    upload = SimpleUploadedFile(chart.file_name, _chart_png(chart), content_type="image/png")
    return [(check_upload(upload), upload)]


def _post_times(demo, plan):
    """When the opening post and each reply were written: in order, all in the past."""
    times = [demo.now - timedelta(days=plan.days_ago)]
    for reply in plan.replies:
        times.append(times[-1] + timedelta(hours=reply[1]))
    # Squeeze a thread that would run into the future so its last reply is a few minutes old.
    latest = demo.now - timedelta(minutes=7)
    if times[-1] > latest:
        span = (times[-1] - times[0]) or timedelta(minutes=1)
        scale = (latest - times[0]) / span
        times = [times[0] + (moment - times[0]) * scale for moment in times]
    return times


def _start_thread(demo, plan, rng):
    """Starts PLAN's thread with its replies, poll, image, reactions and votes; returns
    its posts."""
    group = demo.groups[GOING_SOLO]
    author = demo.users[plan.author]
    times = _post_times(demo, plan)
    poll = None
    if plan.poll:
        poll = {
            "question": plan.poll["question"],
            "options": plan.poll["options"],
            "closes_at": demo.now + timedelta(days=plan.poll["closes_in_days"]),
        }
    opening = services.thread_start(
        group=group,
        author=author,
        title=plan.title,
        body=_text(demo, plan.body),
        poll=poll,
        via=Via.IMPORT,
        created_at=times[0],
    ).post
    thread = opening.thread
    # An imported thread has no followers; its author follows it, as on the web.
    services.thread_subscribe(thread=thread, user=author, state=ThreadSubscription.State.FOLLOWING)
    posts = [opening]
    for reply, created_at in zip(plan.replies, times[1:], strict=True):
        key, _hours, text, *quoted = reply
        attachments = None
        if plan.image_at == len(posts) + 1:
            attachments = _chart_attachment(PAYMENT_DAYS_CHART)
        posts.append(
            services.post_reply(
                thread=thread,
                author=demo.users[key],
                body=_text(demo, text),
                quoted_post=posts[quoted[0] - 1] if quoted else None,
                via=Via.IMPORT,
                created_at=created_at,
                attachments=attachments,
            ).post
        )
    if plan.announce:
        services.thread_set_pinned(thread=thread, by=author, pinned=True)
        # History: this announcement was emailed weeks ago. thread_announce would email it
        # now to every (fictional) member, which a new instance's first start would print.
        Thread.objects.filter(pk=thread.pk).update(is_announcement=True)
    members = [person.key for person in GOING_SOLO_PEOPLE]
    for post in posts:
        count = rng.choice(REACTIONS_PER_POST)
        if post.position == 1:
            count += 2 + plan.announce * 4
        reactors = rng.sample([key for key in members if demo.users[key] != post.author], count)
        for key in reactors:
            services.reaction_add(post=post, user=demo.users[key], emoji=rng.choice(REACTION_EMOJI))
    if thread_poll := getattr(thread, "poll", None):
        options = list(thread_poll.options.order_by("position"))
        for key in rng.sample(members, POLL_VOTERS):
            option = rng.choices(options, weights=POLL_WEIGHTS[: len(options)])[0]
            services.poll_vote(poll=thread_poll, user=demo.users[key], option_ids=[option.pk])
    return list(Post.objects.filter(thread=thread).select_related("thread__group"))


def _mark_read(demo, threads, rng):
    """The demo logins have read some threads to the end, some part of the way, and never
    opened others (shown as "New")."""
    for key, (full, partial) in READERS.items():
        user = demo.users[key]
        for thread in threads:
            draw = rng.random()
            if draw < full:
                position = thread.last_position
            elif draw < full + partial:
                position = rng.randint(1, max(thread.last_position - 1, 1))
            else:
                continue
            services.thread_mark_read(thread=thread, user=user, position=position)


def add_discussions(demo):
    """About fifteen threads of the Going Solo group, in French and English, with replies,
    quotes, mentions, reactions, a poll, an image and a pinned announcement; then read
    states for the demo logins and the search index (at once: the demo's jobs wait for
    the worker)."""
    group = demo.groups[GOING_SOLO]
    present = set(Thread.objects.filter(group=group).values_list("title", flat=True))
    rng = demo.random("discussions")
    new_threads, new_posts = [], []
    for number, plan in enumerate(THREADS, start=1):
        # Drawn for every thread, so a thread's reactions do not depend on what is there.
        thread_rng = random.Random(rng.random())
        if plan.title not in present:
            posts = _start_thread(demo, plan, thread_rng)
            new_posts += posts
            new_threads.append(posts[0].thread)
        demo.progress(number, len(THREADS))
    _mark_read(demo, [Thread.objects.get(pk=thread.pk) for thread in new_threads], rng)
    for post in new_posts:
        index_post(post)
