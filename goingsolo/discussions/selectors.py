"""Reads of discussions that span relations. Each runs a fixed number of queries,
whatever the number of threads, posts, reactions or attachments."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.text import Truncator

from goingsolo.core.prepared import PreparedQuery
from goingsolo.groups.models import Membership, Role
from goingsolo.groups.people import ProfileAccess, mentioned_ids

from . import rules
from .models import (
    Attachment,
    Poll,
    PollVote,
    Post,
    Reaction,
    ReadState,
    Thread,
    ThreadSubscription,
)

THREADS_PER_PAGE = 25
ACTIVITY_PER_PAGE = 20
# Twenty posts a page, as forums do: a page renders in well under 50 ms (bench/discussions.py).
POSTS_PER_PAGE = 20
THREAD_FIELDS = [field.name for field in Thread._meta.concrete_fields]
POST_FIELDS = [field.name for field in Post._meta.concrete_fields]
POLL_FIELDS = [f"poll__{field.name}" for field in Poll._meta.concrete_fields]
# What a page shows of a post's author and of the post it quotes: a whole user row (23
# columns, password and bio included) per post cost more to turn into objects than the
# query took. User.name reads display_name and email; the avatar include reads avatar.
# The two JSON columns (why a post was held, its reactions counted) are not shown by the
# page: decoding them was a quarter of turning its rows into posts.
POST_PAGE_FIELDS = (
    *(name for name in POST_FIELDS if name not in ("held_because", "reaction_counts")),
    "author__display_name",
    "author__email",
    "author__avatar",
    "quoted_post__position",
    "quoted_post__guest_author_name",
    "quoted_post__author__display_name",
    "quoted_post__author__email",
)


def page_of_position(position):
    """The page of a thread that shows the post at POSITION (deleted posts keep theirs)."""
    return max((position - 1) // POSTS_PER_PAGE + 1, 1)


def post_anchor_url(thread_url, position):
    page = page_of_position(position)
    query = f"?page={page}" if page > 1 else ""
    return f"{thread_url}{query}#post-{position}"


def _with_read_position(threads, user):
    return threads.annotate(
        last_read_position=Subquery(
            ReadState.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_position")[
                :1
            ]
        )
    )


def _with_read_states(threads, user):
    """The reader's read state of each thread of the page, as .my_read_states, by one
    query once the page is cut. A subquery in the select list would cost as much per
    thread, but PostgreSQL runs it for every row an OFFSET skips too: 2,500 of them on
    page 100 (docs/discussions.md, "Speed")."""
    return threads.prefetch_related(
        Prefetch(
            "read_states",
            queryset=ReadState.objects.filter(user=user).only("thread_id", "last_read_position"),
            to_attr="my_read_states",
        )
    )


def mark_unread(threads, joined_at_of):
    """Sets .last_read_position, .unread_count and .is_new on each thread read with
    _with_read_position or _with_read_states.

    A thread never opened is "new" when it moved since the member joined its group
    (JOINED_AT_OF(thread)); a member who joins does not find the whole past unread.
    """
    for thread in threads:
        read_states = getattr(thread, "my_read_states", None)
        if read_states is not None:
            thread.last_read_position = read_states[0].last_read_position if read_states else None
        last_read = thread.last_read_position = getattr(thread, "last_read_position", None)
        thread.unread_count = 0
        thread.is_new = False
        if last_read is None:
            joined_at = joined_at_of(thread)
            thread.is_new = joined_at is not None and thread.last_activity_at > joined_at
        else:
            thread.unread_count = max(thread.last_position - last_read, 0)
    return threads


def rows_key(threads):
    """The key of a whole list of THREADS kept as one fragment (the group page's and the
    home page's): each row's fragment key (Thread.row_key and the reader's read state, as
    the lists' templates key each row), so a list read again is one lookup."""
    return tuple(
        (thread.row_key, thread.unread_count, thread.is_new, thread.last_read_position)
        for thread in threads
    )


def _listed(threads):
    """THREADS with what a list's row reads: the list shows who wrote last, by name, so
    only those columns of the member, and a deep page, which PostgreSQL sorts whole, sorts
    narrow rows."""
    return threads.select_related("last_post_author").only(
        *THREAD_FIELDS, "last_post_author__display_name", "last_post_author__email"
    )


def group_threads(*, group, user, membership, show="", language=""):
    """GROUP's threads for the list: pinned first, then by latest activity.

    SHOW: "" (all), "unanswered", "following" or "deleted" (moderators). For a member,
    threads carry the member's read state, which mark_unread() turns into
    .last_read_position (None where never opened).
    """
    threads = _listed(Thread.objects.filter(group=group))
    # Held threads wait in the review queue, not in the list (docs/moderation.md).
    threads = threads.filter(deleted_at__isnull=show != "deleted", is_held=False)
    if show == "unanswered":
        threads = threads.filter(post_count__lte=1)
    elif show == "following":
        threads = threads.filter(
            pk__in=ThreadSubscription.objects.filter(
                user=user, state=ThreadSubscription.State.FOLLOWING
            ).values("thread_id")
        )
    if language:
        threads = threads.filter(language=language)
    if membership is not None:
        threads = _with_read_states(threads, user)
    return threads.order_by("-is_pinned", "-last_activity_at", "-pk")


def _group_first_page(group_id, read_by):
    threads = _listed(
        Thread.objects.filter(group_id=group_id, deleted_at__isnull=True, is_held=False)
    )
    if read_by is not None:
        # On the first page a subquery per row costs no more than the prefetch (no OFFSET
        # rows: see _with_read_states).
        threads = threads.annotate(
            last_read_position=Subquery(
                ReadState.objects.filter(thread=OuterRef("pk"), user_id=read_by).values(
                    "last_read_position"
                )[:1]
            )
        )
    return threads.order_by("-is_pinned", "-last_activity_at", "-pk")[:THREADS_PER_PAGE]


# The list a group's page opens on (its first page, no filter), built once per process
# (core/prepared.py): for a member, with their read positions; for anyone else, without.
_group_first_page_read = PreparedQuery(
    lambda group_id, user_id: _group_first_page(group_id, read_by=user_id)
)
_group_first_page_unread = PreparedQuery(lambda group_id: _group_first_page(group_id, read_by=None))
_group_thread_count = PreparedQuery(
    lambda group_id: Thread.objects.filter(
        group_id=group_id, deleted_at__isnull=True, is_held=False
    ),
    count=True,
)


def group_threads_first_page(*, group, user, membership):
    """(rows, count) of the unfiltered first page of GROUP's thread list, as
    group_threads() pages it, by queries built once: the page every visit opens on."""
    count = _group_thread_count.value(group_id=group.pk)
    if not count:
        return [], 0
    if membership is not None:
        return _group_first_page_read.objects(group_id=group.pk, user_id=user.pk), count
    return _group_first_page_unread.objects(group_id=group.pk), count


def activity_of(*, user, language="", languages=()):
    """Threads of USER's groups by latest activity, with their group and read position.

    LANGUAGE keeps one language; LANGUAGES (the member's reading languages) several."""
    # EXISTS rather than IN: SQLite then reads the threads in order from the activity
    # index and stops at the page, where with IN it sorted every thread of every group.
    threads = (
        Thread.objects.filter(
            Exists(Membership.objects.filter(group=OuterRef("group_id"), user=user)),
            deleted_at__isnull=True,
            is_held=False,
        )
        .select_related("group", "last_post_author")
        # The rows show the group's name and link, and who wrote last: whole group and
        # member rows (their descriptions, rules, bios) cost more to make than to read.
        .only(
            *THREAD_FIELDS,
            "group__slug",
            "group__name",
            "last_post_author__display_name",
            "last_post_author__email",
        )
        .annotate(
            joined_at=Subquery(
                Membership.objects.filter(group=OuterRef("group_id"), user=user).values(
                    "joined_at"
                )[:1]
            )
        )
    )
    if language:
        threads = threads.filter(language=language)
    elif languages:
        threads = threads.filter(language__in=list(languages))
    return _with_read_position(threads, user).order_by("-last_activity_at", "-pk")


# The first page of activity_of, as the home page opens on it, built once per process for
# each number of reading languages (core/prepared.py): none, one (or one chosen), two.
_activity_first_pages = {
    0: PreparedQuery(lambda user_id: activity_of(user=user_id)[:ACTIVITY_PER_PAGE]),
    1: PreparedQuery(
        lambda user_id, language0: activity_of(user=user_id, language=language0)[
            :ACTIVITY_PER_PAGE
        ],
        text=["language0"],
    ),
    2: PreparedQuery(
        lambda user_id, language0, language1: activity_of(
            user=user_id, languages=(language0, language1)
        )[:ACTIVITY_PER_PAGE],
        text=["language0", "language1"],
    ),
}


def _chosen_languages(language, languages):
    """The languages the activity keeps, and them as the prepared queries' parameters."""
    chosen = (language,) if language else tuple(languages)
    return chosen, {f"language{index}": code for index, code in enumerate(chosen)}


def activity_first_page(*, user, language="", languages=()):
    """The threads of activity_of's first page, by a query built once; None for more
    reading languages than prepared (then page activity_of itself)."""
    chosen, parameters = _chosen_languages(language, languages)
    prepared = _activity_first_pages.get(len(chosen))
    if prepared is None:
        return None
    return prepared.objects(user_id=user.pk, **parameters)


def _activity_counted(user_id, languages):
    # IN a subquery of the member's groups, not EXISTS: SQLite then counts each group's
    # threads from the group's index, where EXISTS read every thread of the site (5 ms of
    # a 20 ms home page with 5,000 threads).
    threads = Thread.objects.filter(
        group_id__in=Membership.objects.filter(user_id=user_id).values("group_id"),
        deleted_at__isnull=True,
        is_held=False,
    ).values("pk")  # counted: no other column
    if len(languages) == 1:
        return threads.filter(language=languages[0])
    if languages:
        return threads.filter(language__in=list(languages))
    return threads


# How many threads activity_of lists, built once per process for each number of languages.
_activity_counts = {
    0: PreparedQuery(lambda user_id: _activity_counted(user_id, ()), count=True),
    1: PreparedQuery(
        lambda user_id, language0: _activity_counted(user_id, (language0,)),
        count=True,
        text=["language0"],
    ),
    2: PreparedQuery(
        lambda user_id, language0, language1: _activity_counted(user_id, (language0, language1)),
        count=True,
        text=["language0", "language1"],
    ),
}


def activity_count(*, user, language="", languages=()):
    """How many threads activity_of lists (the threads of every group USER belongs to)."""
    chosen, parameters = _chosen_languages(language, languages)
    prepared = _activity_counts.get(len(chosen))
    if prepared is None:
        return _activity_counted(user.pk, chosen).count()
    return prepared.value(user_id=user.pk, **parameters)


@dataclass
class ReactionGroup:
    emoji: str
    label: str
    count: int
    names: list = field(default_factory=list)
    mine: bool = False


@dataclass
class ThreadPage:
    thread: Thread
    posts: list
    page: int
    page_count: int
    poll: Poll | None = None
    poll_options: list = field(default_factory=list)
    my_vote_ids: set = field(default_factory=set)
    subscription: str | None = None
    # How far the reader had read before this visit (None: never opened, or not a member).
    last_read_position: int | None = None
    # Unread posts since the last visit (others' posts only), and where the first is.
    new_count: int = 0
    first_new_position: int | None = None

    @property
    def page_numbers(self):
        return range(1, self.page_count + 1)

    @property
    def has_voted(self):
        return bool(self.my_vote_ids)


def _reactions(reactions):
    return (
        reactions.select_related("user")
        .only("post_id", "emoji", "user_id", "user__display_name", "user__email")
        .order_by("created_at", "pk")
    )


# The reactions of a page of posts, by the page's positions: one shape for every page,
# built once per process (core/prepared.py).
_page_reactions = PreparedQuery(
    lambda thread_id, first, last: _reactions(
        Reaction.objects.filter(
            post__thread_id=thread_id, post__position__gte=first, post__position__lte=last
        )
    )
)


# The reactions' labels (lazy translations: made text in the reader's language where
# used) and their order on a post.
_EMOJI_LABELS = dict(Reaction.Emoji.choices)
_EMOJI_ORDER = {emoji: index for index, emoji in enumerate(Reaction.Emoji.values)}


def reaction_groups(posts, user, reactions=None):
    """Sets .reaction_groups on each post: who reacted with which emoji, in one query.

    REACTIONS: those of the posts' page, already read by its positions (thread_page);
    else they are read by the posts' ids."""
    labels = _EMOJI_LABELS
    by_post = {post.pk: {} for post in posts}
    if reactions is None:
        reactions = _reactions(Reaction.objects.filter(post__in=list(by_post)))
    for reaction in reactions:
        groups = by_post.get(reaction.post_id)
        if groups is None:
            continue  # a post of the page this reader is not shown (held)
        group = groups.get(reaction.emoji)
        if group is None:
            group = groups[reaction.emoji] = ReactionGroup(
                reaction.emoji, str(labels.get(reaction.emoji, "")), 0
            )
        group.count += 1
        group.names.append(reaction.user.name)
        if user.is_authenticated and reaction.user_id == user.pk:
            group.mine = True
    for post in posts:
        post.reaction_groups = sorted(
            by_post[post.pk].values(), key=lambda group: _EMOJI_ORDER.get(group.emoji, 99)
        )
    return posts


# The actions on a post, each a route "discussions:post_<action>" under the post's address.
POST_ACTIONS = ("edit", "delete", "restore", "history", "language", "react", "translate")


# A post number no post has: reversed once per page of posts, then replaced by each post's.
_ANY_POST = 987654321


def post_action_urls(post, edit_url=None):
    """{action: URL} of POST's actions. One reverse() for all of them (a reverse() per
    action and post was a tenth of a thread page's time, bench/discussions.py), or none
    with EDIT_URL, the edit address of post _ANY_POST of the same group."""
    if edit_url is None:
        edit_url = reverse("discussions:post_edit", args=[post.group.slug, _ANY_POST])
    # The last occurrence: a group's address could be that number too.
    head, _number, tail = edit_url.rpartition(f"/{_ANY_POST}/")
    prefix = f"{head}/{post.pk}/{tail}".removesuffix("edit/")
    return {action: f"{prefix}{action}/" for action in POST_ACTIONS}


def prepare_posts(posts, *, user, membership, reactions=None):
    """Sets what the post template needs on POSTS (whose .group and .thread are loaded):
    .can_edit, .anchor_url, .urls (of its actions), .reaction_groups, no translation, and
    the keys of its two kept fragments, .text_key and .actions_key (post_fragment_keys).
    Two queries: the reactions, and which of the authors' and mentioned members'
    profiles the reader may open (the `people` template tags then link only to those)."""
    profiles = ProfileAccess.of(user)
    mentions = {post.pk: mentioned_ids(post.body_html) for post in posts}
    groups = {post.group_id for post in posts}
    profiles.load(
        [post.author_id for post in posts] + [pk for ids in mentions.values() for pk in ids],
        # The reader is reading this group: its members are answered by a plain lookup.
        reading=posts[0].group if len(groups) == 1 else None,
        membership=membership,
    )
    thread_urls = {}
    edit_urls = {}
    edit_rights = {}  # group id → rules.post_edit_rights
    for post in posts:
        thread_url = thread_urls.get(post.thread_id)
        if thread_url is None:
            thread_url = thread_urls[post.thread_id] = post.thread.get_absolute_url()
        # Set by a translation; looked up by the template (a missing attribute costs it more).
        post.translation_html = post.translation_error = None
        if not hasattr(post, "attachment_list"):  # a single post, prefetched by its view
            post.attachment_list = list(post.attachments.all())
        rights = edit_rights.get(post.group_id)
        if rights is None:
            rights = edit_rights[post.group_id] = rules.post_edit_rights(
                user, post.group, membership
            )
        post.can_edit = rules.can_edit_post(user, post, membership, rights)
        post.anchor_url = post_anchor_url(thread_url, post.position)
        edit_url = edit_urls.get(post.group_id)
        if edit_url is None:
            edit_url = edit_urls[post.group_id] = reverse(
                "discussions:post_edit", args=[post.group.slug, _ANY_POST]
            )
        post.urls = post_action_urls(post, edit_url)
        quoted = post.quoted_post
        if quoted is not None:
            quoted.anchor_url = post_anchor_url(thread_url, quoted.position)
    reaction_groups(posts, user, reactions)
    for post in posts:
        post_fragment_keys(post, user, profiles, mentions[post.pk])
    return posts


def post_fragment_keys(post, user, profiles, mentioned):
    """Sets .text_key and .actions_key on POST: everything its two kept fragments in
    `discussions/_post.html` show (core/fragments.py), what depends on this reader included;
    the template adds the reader's rights on the group. `tests/discussions/
    test_post_fragments.py` changes each of them and reads the page again."""
    quoted = post.quoted_post
    post.text_key = (
        post.header_key,
        # The author's name links to their profile if this reader may open it.
        profiles.can_open(post.author_id),
        post.group.slug,
        post.anchor_url,
        post.deleted_at,
        post.is_held,
        post.body_html,
        # The mentions link only to the profiles this reader may open.
        tuple(sorted(pk for pk in mentioned if profiles.can_open(pk))),
        (quoted.anchor_url, quoted.author_name) if quoted is not None else None,
        tuple(
            (item.pk, item.name, item.kind, item.width, item.height, item.size)
            for item in post.attachment_list
        ),
    )
    post.actions_key = (
        post.pk,
        post.group.slug,
        post.position,
        post.deleted_at,
        post.is_held,
        post.edited_at,
        post.language,
        post.author_name,
        post.can_edit,
        user.is_authenticated and post.author_id == user.pk,
        tuple(
            (group.emoji, group.label, group.count, tuple(group.names), group.mine)
            for group in post.reaction_groups
        ),
    )


# What the thread page asks about its reader on every visit: built once per process.
_last_read_position = PreparedQuery(
    lambda thread_id, user_id: (
        ReadState.objects.filter(thread_id=thread_id, user_id=user_id)
        .order_by("pk")
        .values_list("last_read_position")[:1]
    )
)
_subscription_state = PreparedQuery(
    lambda thread_id, user_id: (
        ThreadSubscription.objects.filter(thread_id=thread_id, user_id=user_id)
        .order_by("pk")
        .values_list("state")[:1]
    )
)


# The files of a page of posts, by the page's positions: a query of one shape for every
# page, where prefetch_related("attachments") built one per page with the posts' ids, and
# cost a tenth of a thread page doing so (bench/read_path.py). Every column is text or a
# number: the rows need no converter to become Attachments.
ATTACHMENT_FIELDS = [field.attname for field in Attachment._meta.concrete_fields]
_page_attachments = PreparedQuery(
    lambda thread_id, first, last: (
        Attachment.objects.filter(
            post__thread_id=thread_id, post__position__gte=first, post__position__lte=last
        )
        .order_by("pk")
        .values_list(*ATTACHMENT_FIELDS)
    )
)


def _page_posts(thread_id, first, last):
    """The posts at positions FIRST to LAST of a thread, as its page shows them."""
    return (
        Post.objects.filter(thread_id=thread_id, position__gte=first, position__lte=last)
        .select_related("author", "quoted_post__author")
        .only(*POST_PAGE_FIELDS)
        .order_by("position")
    )


# The three shapes of a page of posts, each built once per process (core/prepared.py).
# Held posts: the moderators see them all; their author sees them with a notice.
_page_posts_all = PreparedQuery(_page_posts)
_page_posts_shown = PreparedQuery(
    lambda thread_id, first, last: _page_posts(thread_id, first, last).filter(is_held=False)
)
_page_posts_shown_and_own = PreparedQuery(
    lambda thread_id, first, last, user_id: _page_posts(thread_id, first, last).filter(
        Q(is_held=False) | Q(author_id=user_id)
    )
)


def page_attachments(thread, page):
    """{post id: [Attachment]} of the posts on PAGE of THREAD."""
    rows = _page_attachments.rows(
        thread_id=thread.pk,
        first=(page - 1) * POSTS_PER_PAGE + 1,
        last=page * POSTS_PER_PAGE,
    )
    files = {}
    for row in rows:
        attachment = Attachment.from_db("default", ATTACHMENT_FIELDS, row)
        files.setdefault(attachment.post_id, []).append(attachment)
    return files


def thread_page(*, thread, group, user, membership, page=None):
    """What the thread page shows: one page of posts with their authors, attachments,
    reactions and quoted posts; the poll; the reader's subscription and unread posts.

    PAGE None picks the page of the member's first unread post (else the first).
    """
    page_count = page_of_position(thread.last_position or 1)
    logged_in = user.is_authenticated
    last_read = None
    new_count, first_new = 0, None
    if logged_in and membership is not None:
        last_read = _last_read_position.value(thread_id=thread.pk, user_id=user.pk)
        if last_read is not None and last_read < thread.last_position:
            unread = (
                Post.objects.filter(
                    thread=thread,
                    position__gt=last_read,
                    deleted_at__isnull=True,
                    is_held=False,
                )
                .exclude(author=user)
                .aggregate(count=Count("pk"), first=Min("position"))
            )
            new_count, first_new = unread["count"], unread["first"]
    if page is None:
        page = page_of_position(first_new) if first_new else 1
    page = min(max(page, 1), page_count)

    bounds = {
        "thread_id": thread.pk,
        "first": (page - 1) * POSTS_PER_PAGE + 1,
        "last": page * POSTS_PER_PAGE,
    }
    if membership is not None and membership.has_role(Role.MODERATOR):
        posts = _page_posts_all.objects(**bounds)
    elif logged_in:
        posts = _page_posts_shown_and_own.objects(**bounds, user_id=user.pk)
    else:
        posts = _page_posts_shown.objects(**bounds)
    files = page_attachments(thread, page)
    for post in posts:
        # The rows the rules and URLs need, without a query per post.
        post.group = group
        post.thread = thread
        post.attachment_list = files.get(post.pk, [])
    prepare_posts(
        posts, user=user, membership=membership, reactions=_page_reactions.objects(**bounds)
    )

    result = ThreadPage(
        thread=thread,
        posts=posts,
        page=page,
        page_count=page_count,
        last_read_position=last_read,
        new_count=new_count,
        first_new_position=first_new,
    )
    poll = poll_of(thread)
    if poll is not None:
        result.poll = poll
        result.poll_options = list(poll.options.all())
        for option in result.poll_options:
            option.percent = (
                round(100 * option.vote_count / poll.voter_count) if poll.voter_count else 0
            )
        if logged_in:
            result.my_vote_ids = set(
                PollVote.objects.filter(poll=poll, user=user).values_list("option_id", flat=True)
            )
    if logged_in:
        result.subscription = _subscription_state.value(thread_id=thread.pk, user_id=user.pk)
    return result


def poll_of(thread):
    """THREAD's poll or None (loaded with the thread by thread_of: no query)."""
    try:
        return thread.poll
    except Poll.DoesNotExist:
        return None


_thread_of = PreparedQuery(
    lambda group_id, thread_id: (
        Thread.objects.filter(group_id=group_id, pk=thread_id)
        .select_related("author", "poll")
        .only(
            *THREAD_FIELDS, *POLL_FIELDS, "author__display_name", "author__email", "author__avatar"
        )
        .order_by("pk")[:1]
    )
)


def thread_of(*, group, thread_id):
    """A thread of GROUP with its author and poll, or None."""
    return _thread_of.first(group_id=group.pk, thread_id=thread_id)


def post_of(*, group, post_id):
    """A post of GROUP with its thread and author, or None."""
    post = (
        Post.objects.filter(group=group, pk=post_id)
        .select_related("thread", "author", "quoted_post__author")
        .prefetch_related("attachments")
        .first()
    )
    if post is not None:
        post.group = group
        post.thread.group = group
        post.urls = post_action_urls(post)
    return post


def quote_of(post):
    """POST's text as a Markdown quote, for the reply form."""
    author = post.author_name
    lines = Truncator(post.body).chars(2000).splitlines()
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    return f"**{author}:**\n{quoted}\n\n" if author else f"{quoted}\n\n"


def post_revisions(*, post):
    return list(post.revisions.select_related("edited_by").order_by("-created_at"))
